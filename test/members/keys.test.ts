import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, it } from "node:test";
import { ConfigError } from "../../src/config.ts";
import type { Db } from "../../src/db/connect.ts";
import { newId } from "../../src/db/ids.ts";
import { formatCnic } from "../../src/members/cnic.ts";
import { rehashAll, reencryptAll, rotateDataKey, sealPending } from "../../src/members/keyRotation.ts";
import {
  cnicHash,
  decryptField,
  encryptField,
  fieldKeyId,
  keyId,
  loadMemberKeys,
  MissingDataKey,
  protectCnic,
  type MemberKeys,
} from "../../src/members/keys.ts";
import { generateHqKeyPair, openSealed, sealForHq } from "../../src/members/hqSeal.ts";
import { makeCentre } from "../helpers/app.ts";
import { onBothDatabases, tempDir } from "../helpers/db.ts";

const b64key = () => crypto.randomBytes(32).toString("base64");
const NOW = "2026-11-25T06:00:00.000Z";

/** Distinct, recognisable numbers: the middle seven digits never occur by chance in key material. */
function cnics(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `35202${String(4827100 + i * 7).padStart(7, "0")}${i % 10}`);
}

async function insertMember(
  db: Db,
  centreId: string,
  n: number,
  cnic: ReturnType<typeof protectCnic> | null,
) {
  const id = newId();
  await db
    .insertInto("members")
    .values({
      id,
      created_at: NOW,
      updated_at: NOW,
      deleted_at: null,
      centre_id: centreId,
      member_no: `T-${n}-${id.slice(-8)}`,
      status: "active",
      full_name_ur: null,
      full_name_en: `Member ${n}`,
      id_kind: "cnic",
      cnic_enc: cnic?.cnic_enc ?? null,
      cnic_hash: cnic?.cnic_hash ?? null,
      cnic_sealed: cnic?.cnic_sealed ?? null,
      cnic_masked: cnic?.cnic_masked ?? null,
      phone_e164: null,
      date_of_birth: null,
      gender: null,
      district: null,
      education: null,
      disability: null,
      category_id: null,
      photo_path: null,
      consent_version: null,
      consent_at: null,
      confirmed_at: null,
      confirmed_by: null,
      pin_hash: null,
      pin_failures: 0,
      pin_locked_until: null,
      card_serial: 0,
      last_seen_at: null,
      erased_at: null,
    })
    .execute();
  return id;
}

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe("member keys: loading", () => {
  it("creates the data key file 0600 in a 0700 folder at first start and reuses it", () => {
    const dataDir = tempDir();
    const first = loadMemberKeys(dataDir, {});
    const dir = path.join(dataDir, "keys");
    const file = path.join(dir, `data-${first.currentDataKeyId}.key`);
    assert.equal(mode(file), 0o600);
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(path.join(dir, "cnic-hash.key")), 0o600);
    assert.equal(fs.readFileSync(path.join(dir, "current"), "utf8").trim(), first.currentDataKeyId);
    assert.equal(first.currentDataKeyId, keyId(first.dataKeys.get(first.currentDataKeyId)!));
    assert.match(first.currentDataKeyId, /^[0-9a-f]{12}$/);
    assert.deepEqual(first.sources, { dataKey: "file", hashKey: "file", hqPublicKey: "none" });
    assert.equal(first.hqPublicKey, null);

    const second = loadMemberKeys(dataDir, {});
    assert.equal(second.currentDataKeyId, first.currentDataKeyId);
    assert.ok(second.hashKey.equals(first.hashKey));
    assert.equal(decryptField(second, encryptField(first, "x")), "x");
    assert.equal(fs.readdirSync(dir).filter((f) => f.startsWith("data-")).length, 1);
  });

  it("takes keys from the environment over the files", () => {
    const dataDir = tempDir();
    const files = loadMemberKeys(dataDir, {});
    const pair = generateHqKeyPair();
    const env = {
      RASAI_DATA_KEY: b64key(),
      RASAI_CNIC_HASH_KEY: b64key(),
      RASAI_HQ_PUBLIC_KEY: pair.publicPem,
    };
    const keys = loadMemberKeys(dataDir, env);
    assert.equal(keys.currentDataKeyId, keyId(Buffer.from(env.RASAI_DATA_KEY, "base64")));
    assert.notEqual(keys.currentDataKeyId, files.currentDataKeyId);
    assert.ok(keys.hashKey.equals(Buffer.from(env.RASAI_CNIC_HASH_KEY, "base64")));
    assert.deepEqual(keys.sources, { dataKey: "env", hashKey: "env", hqPublicKey: "env" });
    // The file key is still there for reading what was written under it.
    assert.equal(decryptField(keys, encryptField(files, "old")), "old");
    assert.equal(fieldKeyId(encryptField(keys, "new")), keys.currentDataKeyId);
  });

  it("reads RASAI_HQ_PUBLIC_KEY as a path, and hq-public.pem from the keys folder", () => {
    const dataDir = tempDir();
    const pair = generateHqKeyPair();
    const pemFile = path.join(tempDir(), "hq-public.pem");
    fs.writeFileSync(pemFile, pair.publicPem);
    assert.ok(loadMemberKeys(dataDir, { RASAI_HQ_PUBLIC_KEY: pemFile }).hqPublicKey);
    fs.copyFileSync(pemFile, path.join(dataDir, "keys", "hq-public.pem"));
    const keys = loadMemberKeys(dataDir, {});
    assert.equal(keys.sources?.hqPublicKey, "file");
    assert.equal(
      openSealed(crypto.createPrivateKey(pair.privatePem), sealForHq(keys.hqPublicKey!, "x")),
      "x",
    );
  });

  const malformed: [string, Record<string, string>, RegExp][] = [
    ["RASAI_DATA_KEY not base64", { RASAI_DATA_KEY: "not a key!" }, /^RASAI_DATA_KEY is not a base64/],
    [
      "RASAI_DATA_KEY of 16 bytes",
      { RASAI_DATA_KEY: crypto.randomBytes(16).toString("base64") },
      /^RASAI_DATA_KEY is not/,
    ],
    [
      "RASAI_CNIC_HASH_KEY too long",
      { RASAI_CNIC_HASH_KEY: crypto.randomBytes(48).toString("base64") },
      /^RASAI_CNIC_HASH_KEY/,
    ],
    [
      "RASAI_DATA_KEY_OLD with a bad part",
      { RASAI_DATA_KEY: b64key(), RASAI_DATA_KEY_OLD: `${b64key()},xyz` },
      /^RASAI_DATA_KEY_OLD/,
    ],
    [
      "RASAI_HQ_PUBLIC_KEY a missing file",
      { RASAI_HQ_PUBLIC_KEY: "/nowhere/hq-public.pem" },
      /^RASAI_HQ_PUBLIC_KEY names/,
    ],
    [
      "RASAI_HQ_PUBLIC_KEY a private key",
      { RASAI_HQ_PUBLIC_KEY: generateHqKeyPair().privatePem },
      /private key/,
    ],
    [
      "RASAI_HQ_PUBLIC_KEY an RSA key",
      {
        RASAI_HQ_PUBLIC_KEY: crypto
          .generateKeyPairSync("rsa", { modulusLength: 1024 })
          .publicKey.export({ type: "spki", format: "pem" })
          .toString(),
      },
      /not X25519/,
    ],
  ];
  for (const [name, env, message] of malformed) {
    it(`gives a one-line ConfigError for ${name}`, () => {
      assert.throws(
        () => loadMemberKeys(tempDir(), env),
        (error: unknown) =>
          error instanceof ConfigError && message.test(error.message) && !error.message.includes("\n"),
      );
    });
  }

  it("refuses a key file whose content does not match its name", () => {
    const dataDir = tempDir();
    const keys = loadMemberKeys(dataDir, {});
    fs.writeFileSync(path.join(keys.dir, `data-${keys.currentDataKeyId}.key`), `${b64key()}\n`);
    assert.throws(() => loadMemberKeys(dataDir, {}), ConfigError);
  });
});

describe("member keys: encryption, hashing, sealing", () => {
  const keys = loadMemberKeys(tempDir(), {});

  it("round-trips a field in the v1 format with a fresh IV each time", () => {
    const a = encryptField(keys, "3520212345673");
    const b = encryptField(keys, "3520212345673");
    assert.match(a, new RegExp(`^v1:${keys.currentDataKeyId}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$`));
    assert.notEqual(a, b);
    assert.equal(decryptField(keys, a), "3520212345673");
    assert.equal(decryptField(keys, encryptField(keys, "اردو ✓")), "اردو ✓");
  });

  it("detects tampering", () => {
    const blob = encryptField(keys, "3520212345673");
    const [v, id, iv, body] = blob.split(":") as [string, string, string, string];
    const raw = Buffer.from(body, "base64url");
    raw[0]! ^= 1;
    assert.throws(() => decryptField(keys, [v, id, iv, raw.toString("base64url")].join(":")), /integrity/);
    const ivRaw = Buffer.from(iv, "base64url");
    ivRaw[3]! ^= 1;
    assert.throws(
      () => decryptField(keys, [v, id, ivRaw.toString("base64url"), body].join(":")),
      /integrity/,
    );
    assert.throws(() => decryptField(keys, "3520212345673"), /Not an encrypted field/);
  });

  it("names a key id it does not have", () => {
    const other = loadMemberKeys(tempDir(), {});
    const blob = encryptField(other, "3520212345673");
    assert.throws(
      () => decryptField(keys, blob),
      (error: unknown) => error instanceof MissingDataKey && error.message.includes(other.currentDataKeyId),
    );
    // The key id is authenticated: relabelling a value as another key's fails.
    const relabelled = blob.replace(other.currentDataKeyId, keys.currentDataKeyId);
    assert.throws(() => decryptField(keys, relabelled), /integrity/);
  });

  it("hashes stably, differently under another key", () => {
    const h = cnicHash(keys, "3520212345673");
    assert.match(h, /^[0-9a-f]{64}$/);
    assert.equal(cnicHash(keys, "3520212345673"), h);
    assert.equal(cnicHash(loadMemberKeys(keys.dir.replace(/\/keys$/, ""), {}), "3520212345673"), h);
    assert.notEqual(cnicHash(keys, "3520212345674"), h);
    assert.notEqual(cnicHash(loadMemberKeys(tempDir(), {}), "3520212345673"), h);
    assert.throws(() => cnicHash(keys, "35202-1234567-3"));
  });

  it("seals for headquarters; only the HQ private key opens it", () => {
    const hq = generateHqKeyPair();
    const hqPublic = crypto.createPublicKey(hq.publicPem);
    const sealed = sealForHq(hqPublic, "3520212345673");
    assert.match(sealed, /^s1:[A-Za-z0-9_-]{43}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    assert.notEqual(sealForHq(hqPublic, "3520212345673"), sealed);
    assert.equal(openSealed(crypto.createPrivateKey(hq.privatePem), sealed), "3520212345673");
    // A centre has the public key and its own keys, none of which open it; nor does another pair.
    const other = generateHqKeyPair();
    assert.throws(() => openSealed(crypto.createPrivateKey(other.privatePem), sealed), /cannot be opened/);
    assert.throws(() => decryptField(keys, sealed), /Not an encrypted field/);
    const [s, eph, iv, body] = sealed.split(":") as [string, string, string, string];
    const raw = Buffer.from(body, "base64url");
    raw[2]! ^= 1;
    assert.throws(
      () =>
        openSealed(crypto.createPrivateKey(hq.privatePem), [s, eph, iv, raw.toString("base64url")].join(":")),
      /cannot be opened/,
    );
  });

  it("protectCnic gives the four columns", () => {
    const hq = generateHqKeyPair();
    const withHq: MemberKeys = { ...keys, hqPublicKey: crypto.createPublicKey(hq.publicPem) };
    const p = protectCnic(withHq, "3520212345673");
    assert.equal(decryptField(keys, p.cnic_enc), "3520212345673");
    assert.equal(p.cnic_hash, cnicHash(keys, "3520212345673"));
    assert.equal(openSealed(crypto.createPrivateKey(hq.privatePem), p.cnic_sealed!), "3520212345673");
    assert.equal(p.cnic_masked, "35202-*******-3");
    assert.equal(protectCnic(keys, "3520212345673").cnic_sealed, null);
  });
});

onBothDatabases("member keys on the database", (get, dialect) => {
  let centreId: string;
  beforeEach(async () => {
    const { db } = get();
    await db.deleteFrom("members").execute();
    centreId ??= (await makeCentre(get())).id;
  });

  async function rows() {
    return get().db.selectFrom("members").selectAll().orderBy("id").execute();
  }

  it("rotates the data key: every row re-encrypted in batches, with progress; the old key retired", async () => {
    const { db } = get();
    const dataDir = tempDir();
    const keys = loadMemberKeys(dataDir, {});
    const oldId = keys.currentDataKeyId;
    const numbers = cnics(23);
    for (const [i, c] of numbers.entries()) await insertMember(db, centreId, i, protectCnic(keys, c));
    await insertMember(db, centreId, 99, null); // an erased member: nothing to re-encrypt

    const progress: { done: number; total: number }[] = [];
    const result = await rotateDataKey(db, keys, { batchSize: 5, onProgress: (p) => progress.push(p) });
    assert.equal(result.reencrypted, 23);
    assert.notEqual(result.newKeyId, oldId);
    assert.equal(keys.currentDataKeyId, result.newKeyId);
    assert.deepEqual(
      progress,
      [0, 5, 10, 15, 20, 23].map((done) => ({ done, total: 23 })),
    );

    const after = await rows();
    const encrypted = after.filter((r) => r.cnic_enc !== null);
    assert.equal(encrypted.length, 23);
    assert.ok(encrypted.every((r) => fieldKeyId(r.cnic_enc!) === result.newKeyId));
    assert.ok(!encrypted.some((r) => r.cnic_enc!.includes(oldId)));
    assert.deepEqual(encrypted.map((r) => decryptField(keys, r.cnic_enc!)).sort(), [...numbers].sort());
    assert.ok(
      after.every((r) => r.updated_at === NOW),
      "rotation is not a change to the member",
    );

    assert.ok(fs.existsSync(path.join(keys.dir, "retired", `data-${oldId}.key`)));
    assert.ok(!fs.existsSync(path.join(keys.dir, `data-${oldId}.key`)));
    assert.equal(mode(path.join(keys.dir, `data-${result.newKeyId}.key`)), 0o600);
    // A fresh start reads the new current key and still has the retired one for old backups.
    const reloaded = loadMemberKeys(dataDir, {});
    assert.equal(reloaded.currentDataKeyId, result.newKeyId);
    assert.ok(reloaded.dataKeys.has(oldId));
    assert.equal(
      decryptField(reloaded, encrypted[0]!.cnic_enc!),
      decryptField(keys, encrypted[0]!.cnic_enc!),
    );
  });

  it("refuses to rotate a key from the environment; reencrypt moves rows to the new env key", async () => {
    const { db } = get();
    const dataDir = tempDir();
    const oldKey = b64key();
    const before = loadMemberKeys(dataDir, { RASAI_DATA_KEY: oldKey });
    for (const [i, c] of cnics(4).entries()) await insertMember(db, centreId, i, protectCnic(before, c));
    await assert.rejects(
      rotateDataKey(db, before, {}),
      (e: unknown) => e instanceof ConfigError && /RASAI_DATA_KEY_OLD/.test(e.message),
    );

    const keys = loadMemberKeys(dataDir, { RASAI_DATA_KEY: b64key(), RASAI_DATA_KEY_OLD: oldKey });
    assert.equal((await reencryptAll(db, keys, { batchSize: 3 })).reencrypted, 4);
    const after = await rows();
    assert.ok(after.every((r) => fieldKeyId(r.cnic_enc!) === keys.currentDataKeyId));
    assert.deepEqual(after.map((r) => decryptField(keys, r.cnic_enc!)).sort(), cnics(4).sort());
  });

  it("seals pending rows once headquarters' key is configured", async () => {
    const { db } = get();
    const dataDir = tempDir();
    const keys = loadMemberKeys(dataDir, {});
    for (const [i, c] of cnics(7).entries()) await insertMember(db, centreId, i, protectCnic(keys, c));
    await assert.rejects(sealPending(db, keys, {}), ConfigError);

    const hq = generateHqKeyPair();
    fs.writeFileSync(path.join(keys.dir, "hq-public.pem"), hq.publicPem);
    const withHq = loadMemberKeys(dataDir, {});
    await insertMember(db, centreId, 50, protectCnic(withHq, "6110176543218")); // sealed at capture
    const progress: number[] = [];
    const { sealed } = await sealPending(db, withHq, {
      batchSize: 3,
      onProgress: (p) => progress.push(p.done),
    });
    assert.equal(sealed, 7);
    assert.deepEqual(progress, [0, 3, 6, 7]);
    const hqPrivate = crypto.createPrivateKey(hq.privatePem);
    const after = await rows();
    assert.deepEqual(
      after.map((r) => openSealed(hqPrivate, r.cnic_sealed!)).sort(),
      [...cnics(7), "6110176543218"].sort(),
    );
    assert.equal(
      after.filter((r) => r.updated_at !== NOW).length,
      7,
      "sealed rows are changes HQ must receive",
    );
    assert.equal((await sealPending(db, withHq, {})).sealed, 0);

    // Headquarters replaced its key pair: --all re-seals every CNIC to the new key.
    const replacement = generateHqKeyPair();
    const resealing: MemberKeys = { ...withHq, hqPublicKey: crypto.createPublicKey(replacement.publicPem) };
    assert.equal((await sealPending(db, resealing, { all: true, batchSize: 3 })).sealed, 8);
    const newPrivate = crypto.createPrivateKey(replacement.privatePem);
    for (const r of await rows()) {
      assert.equal(openSealed(newPrivate, r.cnic_sealed!), decryptField(keys, r.cnic_enc!));
      assert.throws(() => openSealed(hqPrivate, r.cnic_sealed!));
    }
  });

  it("rehashes under a new hash key in one go", async () => {
    const { db } = get();
    const dataDir = tempDir();
    const keys = loadMemberKeys(dataDir, {});
    for (const [i, c] of cnics(12).entries()) await insertMember(db, centreId, i, protectCnic(keys, c));
    const national: MemberKeys = { ...keys, hashKey: crypto.randomBytes(32) };
    const progress: number[] = [];
    const result = await rehashAll(db, national, { batchSize: 5, onProgress: (p) => progress.push(p.done) });
    assert.deepEqual(result, { rehashed: 12, collisions: [] });
    assert.deepEqual(progress, [0, 5, 10, 12]);
    for (const r of await rows())
      assert.equal(r.cnic_hash, cnicHash(national, decryptField(keys, r.cnic_enc!)));
    assert.deepEqual(await rehashAll(db, national, {}), { rehashed: 0, collisions: [] });
  });

  it("reports members that collide under the new hash key and changes nothing", async () => {
    const { db } = get();
    const keys = loadMemberKeys(tempDir(), {});
    const own = loadMemberKeys(tempDir(), {}); // another centre's own hash key, before enrolment
    const same = "3520248271003";
    await insertMember(db, centreId, 1, protectCnic(keys, same));
    // The same person registered where another hash key was in force: the index could not see it.
    await insertMember(db, centreId, 2, { ...protectCnic(keys, same), cnic_hash: cnicHash(own, same) });
    for (const [i, c] of cnics(3).slice(1).entries())
      await insertMember(db, centreId, 10 + i, protectCnic(keys, c));
    // A tombstoned duplicate does not count: the unique index ignores deleted rows.
    const tomb = await insertMember(db, centreId, 3, { ...protectCnic(keys, same), cnic_hash: "x" });
    await db.updateTable("members").set({ deleted_at: NOW }).where("id", "=", tomb).execute();

    const before = await rows();
    const national: MemberKeys = { ...keys, hashKey: crypto.randomBytes(32) };
    const result = await rehashAll(db, national, {});
    assert.equal(result.rehashed, 0);
    assert.equal(result.collisions.length, 1);
    assert.equal(result.collisions[0]!.cnicMasked, "35202-*******-3");
    assert.deepEqual(
      result.collisions[0]!.members.map((m) => m.memberNo).sort(),
      before
        .filter((r) => r.full_name_en === "Member 1" || r.full_name_en === "Member 2")
        .map((r) => r.member_no)
        .sort(),
    );
    assert.deepEqual(await rows(), before);
  });

  it("stops a rehash that meets a value it cannot decrypt, changing nothing", async () => {
    const { db } = get();
    const keys = loadMemberKeys(tempDir(), {});
    const stranger = loadMemberKeys(tempDir(), {});
    for (const [i, c] of cnics(3).entries()) await insertMember(db, centreId, i, protectCnic(keys, c));
    await insertMember(db, centreId, 9, protectCnic(stranger, "6110176543218"));
    const before = await rows();
    await assert.rejects(rehashAll(db, { ...keys, hashKey: crypto.randomBytes(32) }, {}), MissingDataKey);
    assert.deepEqual(await rows(), before);
  });

  if (dialect === "sqlite") {
    it("leaves no plain CNIC in the SQLite files", async () => {
      const tdb = get();
      const keys = loadMemberKeys(tempDir(), {});
      const hq = generateHqKeyPair();
      const withHq: MemberKeys = { ...keys, hqPublicKey: crypto.createPublicKey(hq.publicPem) };
      const numbers = cnics(40);
      for (const [i, c] of numbers.entries()) await insertMember(tdb.db, centreId, i, protectCnic(withHq, c));
      assert.equal((await rows()).length, 40);
      const file = tdb.config.dialect === "sqlite" ? tdb.config.file : "";
      const bytes = Buffer.concat(
        [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
      );
      assert.ok(bytes.length > 0);
      assert.ok(bytes.includes("35202-*******-"), "the masked form is there");
      for (const c of numbers) {
        for (const needle of [c, formatCnic(c), c.slice(5, 12)]) {
          assert.ok(!bytes.includes(needle), `found ${needle} in the database files`);
        }
      }
    });
  }
});
