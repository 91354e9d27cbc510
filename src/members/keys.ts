/**
 * The keys that protect members' CNICs, and the field encryption built on them. How they fit a
 * national system is in docs/member-keys.md; in short:
 *
 * - data key (per centre, AES-256-GCM): `cnic_enc`, readable only where the key is;
 * - hash key (one national secret from headquarters; a standalone centre's own until it is
 *   enrolled, HMAC-SHA256): `cnic_hash`, finds the same person twice without decrypting;
 * - headquarters' public key (X25519): `cnic_sealed`, which only headquarters can open (hqSeal.ts).
 */
import crypto, { type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../config.ts";
import { maskCnic } from "./cnic.ts";
import { rawX25519, sealForHq } from "./hqSeal.ts";

export type KeySource = "env" | "file" | "none";

export interface MemberKeys {
  /** Every data key this server can decrypt with, by key id (current, old and retired). */
  dataKeys: ReadonlyMap<string, Buffer>;
  /** The key new values are encrypted under. */
  currentDataKeyId: string;
  hashKey: Buffer;
  /** Headquarters' X25519 public key; null until headquarters has issued one. */
  hqPublicKey: crypto.KeyObject | null;
  /** The keys folder, `<dataDir>/keys`. */
  dir: string;
  /** Where each key came from (for `rasai keys status` and rotation); absent means unknown. */
  sources?: { dataKey: KeySource; hashKey: KeySource; hqPublicKey: KeySource };
}

export const DATA_KEY_ENV = "RASAI_DATA_KEY";
export const OLD_DATA_KEYS_ENV = "RASAI_DATA_KEY_OLD";
export const HASH_KEY_ENV = "RASAI_CNIC_HASH_KEY";
export const HQ_PUBLIC_KEY_ENV = "RASAI_HQ_PUBLIC_KEY";

export const HASH_KEY_FILE = "cnic-hash.key";
export const HQ_PUBLIC_KEY_FILE = "hq-public.pem";
export const CURRENT_FILE = "current";
export const RETIRED_DIR = "retired";

/** A key's id: the first 12 hex characters of its SHA-256. Says which key, reveals nothing. */
export function keyId(key: Buffer): string {
  return crypto.createHash("sha256").update(key).digest("hex").slice(0, 12);
}

export function dataKeyFile(dir: string, id: string): string {
  return path.join(dir, `data-${id}.key`);
}

const KEY_HINT = "a base64-encoded 32-byte key (make one with: openssl rand -base64 32)";

/** Decodes a base64 (or base64url) 32-byte key, or undefined when it is not one. */
export function decodeKey(text: string): Buffer | undefined {
  const value = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const key = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return key.length === 32 ? key : undefined;
}

function envKey(env: NodeJS.ProcessEnv, name: string): Buffer | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const key = decodeKey(raw);
  if (!key) throw new ConfigError(`${name} is not ${KEY_HINT}; or unset it to use the key file.`);
  return key;
}

function ensureDir(dir: string): void {
  if (fs.existsSync(dir)) return;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

function readKeyFile(file: string): Buffer {
  const key = decodeKey(fs.readFileSync(file, "utf8"));
  if (!key) {
    throw new ConfigError(
      `The key file ${file} is damaged (not ${KEY_HINT}): put it back from the keys backup.`,
    );
  }
  return key;
}

/** Writes a new key file readable by this user only; never replaces an existing one. */
export function writeKeyFile(file: string, key: Buffer): void {
  ensureDir(path.dirname(file));
  fs.writeFileSync(file, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
}

/** Replaces a small file atomically (write beside it, then rename), readable by this user only. */
export function replaceFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Every `data-<id>.key` in the keys folder and its retired/ folder, checked against its name. */
function readDataKeyFiles(dir: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const folder of [dir, path.join(dir, RETIRED_DIR)]) {
    if (!fs.existsSync(folder)) continue;
    for (const name of fs.readdirSync(folder).sort()) {
      const m = /^data-([0-9a-f]{12})\.key$/.exec(name);
      if (!m) continue;
      const file = path.join(folder, name);
      const key = readKeyFile(file);
      if (keyId(key) !== m[1]) {
        throw new ConfigError(
          `The key file ${file} does not hold the key its name says (${m[1]}): put it back from the keys backup.`,
        );
      }
      keys.set(m[1]!, key);
    }
  }
  return keys;
}

/** The current data key from the key files, made (with `current` naming it) at first start. */
function currentFileKey(dir: string, files: Map<string, Buffer>): string {
  const currentFile = path.join(dir, CURRENT_FILE);
  if (!fs.existsSync(currentFile)) {
    if (files.size > 0) {
      throw new ConfigError(
        `${currentFile} is missing but data keys are there: put it back from the keys backup (it holds the current key's id).`,
      );
    }
    const key = crypto.randomBytes(32);
    const id = keyId(key);
    writeKeyFile(dataKeyFile(dir, id), key);
    // Two processes starting together: only one `current` wins (link fails if it exists).
    const tmp = `${currentFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${id}\n`, { mode: 0o600 });
    try {
      fs.linkSync(tmp, currentFile);
      files.set(id, key);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      fs.rmSync(dataKeyFile(dir, id), { force: true });
      for (const [otherId, otherKey] of readDataKeyFiles(dir)) files.set(otherId, otherKey);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  const id = fs.readFileSync(currentFile, "utf8").trim();
  if (!files.has(id)) {
    throw new ConfigError(
      `The current data key ${id} (named in ${currentFile}) has no key file ${dataKeyFile(dir, id)}: put it back from the keys backup.`,
    );
  }
  return id;
}

function loadHashKey(dir: string, env: NodeJS.ProcessEnv): { key: Buffer; source: KeySource } {
  const fromEnv = envKey(env, HASH_KEY_ENV);
  if (fromEnv) return { key: fromEnv, source: "env" };
  const file = path.join(dir, HASH_KEY_FILE);
  if (fs.existsSync(file)) return { key: readKeyFile(file), source: "file" };
  // A standalone centre's own hash key, until headquarters issues the national one.
  const key = crypto.randomBytes(32);
  try {
    writeKeyFile(file, key);
    return { key, source: "file" };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return { key: readKeyFile(file), source: "file" };
    throw error;
  }
}

/** Reads an X25519 public key from PEM text, refusing anything else (above all a private key). */
export function parseHqPublicKey(pem: string, where: string): KeyObject {
  if (/PRIVATE KEY/.test(pem)) {
    throw new ConfigError(
      `${where} holds a private key: a centre needs only hq-public.pem; keep hq-private.pem at headquarters.`,
    );
  }
  let key: KeyObject;
  try {
    key = crypto.createPublicKey(pem);
  } catch {
    throw new ConfigError(`${where} is not a PEM public key: use the hq-public.pem headquarters issued.`);
  }
  if (key.asymmetricKeyType !== "x25519") {
    throw new ConfigError(
      `${where} is a ${key.asymmetricKeyType ?? "unknown"} key, not X25519: use the hq-public.pem made by rasai keys hq-generate.`,
    );
  }
  return key;
}

function loadHqPublicKey(dir: string, env: NodeJS.ProcessEnv): { key: KeyObject | null; source: KeySource } {
  const raw = env[HQ_PUBLIC_KEY_ENV]?.trim();
  if (raw) {
    // PEM text (an env file may carry its line breaks as \n), or a path to a PEM file.
    if (raw.includes("-----BEGIN")) {
      return { key: parseHqPublicKey(raw.replace(/\\n/g, "\n"), HQ_PUBLIC_KEY_ENV), source: "env" };
    }
    let text: string;
    try {
      text = fs.readFileSync(raw, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      throw new ConfigError(
        `${HQ_PUBLIC_KEY_ENV} names ${raw}, which cannot be read (${code}): give the PEM text or the path of hq-public.pem.`,
      );
    }
    return { key: parseHqPublicKey(text, `${HQ_PUBLIC_KEY_ENV} (${raw})`), source: "env" };
  }
  const file = path.join(dir, HQ_PUBLIC_KEY_FILE);
  if (!fs.existsSync(file)) return { key: null, source: "none" };
  return { key: parseHqPublicKey(fs.readFileSync(file, "utf8"), file), source: "file" };
}

/**
 * Loads (at first start, creates) the member keys. Environment variables win over files:
 * RASAI_DATA_KEY (+ RASAI_DATA_KEY_OLD, comma-separated, to read values under earlier keys),
 * RASAI_CNIC_HASH_KEY, RASAI_HQ_PUBLIC_KEY. Key files in `<dataDir>/keys` (and its retired/
 * folder) are always loaded for decrypting, so moving from files to the environment loses
 * nothing.
 */
export function loadMemberKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): MemberKeys {
  const dir = path.join(dataDir, "keys");
  const envCurrent = envKey(env, DATA_KEY_ENV);
  const envOld: Buffer[] = [];
  for (const part of (env[OLD_DATA_KEYS_ENV] ?? "").split(",")) {
    if (part.trim() === "") continue;
    const key = decodeKey(part);
    if (!key) {
      throw new ConfigError(
        `${OLD_DATA_KEYS_ENV} holds a value that is not ${KEY_HINT}; separate several keys with commas.`,
      );
    }
    envOld.push(key);
  }
  if (envOld.length > 0 && !envCurrent) {
    throw new ConfigError(`${OLD_DATA_KEYS_ENV} is set without ${DATA_KEY_ENV}: set the current key too.`);
  }

  try {
    const dataKeys = readDataKeyFiles(dir);
    let currentDataKeyId: string;
    if (envCurrent) {
      for (const key of envOld) dataKeys.set(keyId(key), key);
      currentDataKeyId = keyId(envCurrent);
      dataKeys.set(currentDataKeyId, envCurrent);
    } else {
      currentDataKeyId = currentFileKey(dir, dataKeys);
    }
    const hash = loadHashKey(dir, env);
    const hq = loadHqPublicKey(dir, env);
    return {
      dataKeys,
      currentDataKeyId,
      hashKey: hash.key,
      hqPublicKey: hq.key,
      dir,
      sources: { dataKey: envCurrent ? "env" : "file", hashKey: hash.source, hqPublicKey: hq.source },
    };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(
      `Cannot read or create the member keys in ${dir} (${code}): check RASAI_DATA_DIR permissions, or set ${DATA_KEY_ENV} and ${HASH_KEY_ENV}.`,
    );
  }
}

// ---- field encryption (AES-256-GCM under a data key) ----

/** A value encrypted under a data key this server does not have. */
export class MissingDataKey extends Error {
  override name = "MissingDataKey";
  constructor(readonly keyId: string) {
    super(
      `The data key ${keyId} is not available: put data-${keyId}.key back in the keys folder (or its retired/ folder), or add the key to ${OLD_DATA_KEYS_ENV}.`,
    );
  }
}

const b64 = (b: Buffer) => b.toString("base64url");

/** "v1:<key id>:<iv>:<ciphertext+tag>", base64url, under the current data key. */
export function encryptField(keys: MemberKeys, plaintext: string): string {
  const id = keys.currentDataKeyId;
  const key = keys.dataKeys.get(id);
  if (!key) throw new MissingDataKey(id);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  // The key id is authenticated: a value cannot be relabelled as another key's.
  cipher.setAAD(Buffer.from(id, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1:${id}:${b64(iv)}:${b64(body)}`;
}

/** The key id a `v1:` value is under, or undefined when it is not one. */
export function fieldKeyId(blob: string): string | undefined {
  return /^v1:([0-9a-f]{12}):/.exec(blob)?.[1];
}

export function decryptField(keys: MemberKeys, blob: string): string {
  const parts = blob.split(":");
  if (parts.length !== 4 || parts[0] !== "v1" || !/^[0-9a-f]{12}$/.test(parts[1]!)) {
    throw new Error("Not an encrypted field (expected v1:<key id>:<iv>:<ciphertext>).");
  }
  const [, id, ivText, bodyText] = parts as [string, string, string, string];
  const key = keys.dataKeys.get(id);
  if (!key) throw new MissingDataKey(id);
  const iv = Buffer.from(ivText, "base64url");
  const body = Buffer.from(bodyText, "base64url");
  if (iv.length !== 12 || body.length < 16) throw new Error(`An encrypted field under key ${id} is damaged.`);
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(Buffer.from(id, "utf8"));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new Error(`An encrypted field under key ${id} failed its integrity check (altered or damaged).`);
  }
}

// ---- keyed hash ----

/** HMAC-SHA256 of the 13 ASCII digits under the hash key, hex. CNIC and B-form share it. */
export function cnicHash(keys: MemberKeys, digits: string): string {
  if (!/^\d{13}$/.test(digits)) throw new Error("cnicHash takes the 13 ASCII digits from parseCnic");
  return crypto.createHmac("sha256", keys.hashKey).update(digits, "utf8").digest("hex");
}

/** The id of headquarters' public key, so a centre can check it has the right one. */
export function hqKeyId(publicKey: KeyObject): string {
  return keyId(rawX25519(publicKey));
}

/** The four members columns for a CNIC or B-form number (13 ASCII digits from parseCnic). */
export function protectCnic(
  keys: MemberKeys,
  digits: string,
): { cnic_enc: string; cnic_hash: string; cnic_sealed: string | null; cnic_masked: string } {
  return {
    cnic_enc: encryptField(keys, digits),
    cnic_hash: cnicHash(keys, digits),
    cnic_sealed: keys.hqPublicKey ? sealForHq(keys.hqPublicKey, digits) : null,
    cnic_masked: maskCnic(digits),
  };
}
