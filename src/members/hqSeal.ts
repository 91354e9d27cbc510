// Sealing to headquarters (X25519 + HKDF-SHA256 + AES-256-GCM): a centre seals each CNIC with
// headquarters' public key (cnic_sealed), and only headquarters' private key opens it. The keys
// themselves are loaded in keys.ts.
import crypto, { type KeyObject } from "node:crypto";

const b64 = (b: Buffer) => b.toString("base64url");

const SEAL_INFO = Buffer.from("rasai cnic seal v1", "utf8");

/** The 32 raw bytes of an X25519 public key. */
export function rawX25519(key: KeyObject): Buffer {
  const x = key.export({ format: "jwk" }).x;
  if (!x) throw new Error("not an X25519 key");
  return Buffer.from(x, "base64url");
}

function sealKey(shared: Buffer, ephemeralRaw: Buffer, recipientRaw: Buffer): Buffer {
  const salt = Buffer.concat([ephemeralRaw, recipientRaw]);
  return Buffer.from(crypto.hkdfSync("sha256", shared, salt, SEAL_INFO, 32));
}

/**
 * Seals a value so only the holder of headquarters' private key can open it:
 * "s1:<ephemeral public key>:<iv>:<ciphertext+tag>", base64url. A fresh key pair per value, so
 * nothing a centre keeps (not even its own key files) opens what it sealed.
 */
export function sealForHq(publicKey: KeyObject, plaintext: string): string {
  if (publicKey.asymmetricKeyType !== "x25519") throw new Error("headquarters' key must be X25519");
  const ephemeral = crypto.generateKeyPairSync("x25519");
  const ephemeralRaw = rawX25519(ephemeral.publicKey);
  const shared = crypto.diffieHellman({ privateKey: ephemeral.privateKey, publicKey });
  const key = sealKey(shared, ephemeralRaw, rawX25519(publicKey));
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(ephemeralRaw);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `s1:${b64(ephemeralRaw)}:${b64(iv)}:${b64(body)}`;
}

export function openSealed(privateKey: KeyObject, blob: string): string {
  const parts = blob.split(":");
  if (parts.length !== 4 || parts[0] !== "s1") throw new Error("Not a sealed value (expected s1:…).");
  const ephemeralRaw = Buffer.from(parts[1]!, "base64url");
  const iv = Buffer.from(parts[2]!, "base64url");
  const body = Buffer.from(parts[3]!, "base64url");
  if (ephemeralRaw.length !== 32 || iv.length !== 12 || body.length < 16) {
    throw new Error("A sealed value is damaged.");
  }
  try {
    const ephemeral = crypto.createPublicKey({
      key: { kty: "OKP", crv: "X25519", x: parts[1]! },
      format: "jwk",
    });
    const shared = crypto.diffieHellman({ privateKey, publicKey: ephemeral });
    const key = sealKey(shared, ephemeralRaw, rawX25519(crypto.createPublicKey(privateKey)));
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(ephemeralRaw);
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new Error("A sealed value cannot be opened with this key (another key, or altered).");
  }
}

/** Headquarters' key pair: the public half goes to every centre, the private half stays at HQ. */
export function generateHqKeyPair(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("x25519");
  return {
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
