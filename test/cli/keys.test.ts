import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { createDb, type Db } from "../../src/db/connect.ts";
import { newId } from "../../src/db/ids.ts";
import {
  cnicHash,
  CURRENT_FILE,
  dataKeyFile,
  decryptField,
  encryptField,
  fieldKeyId,
  keyId,
  loadMemberKeys,
  protectCnic,
  replaceFile,
  writeKeyFile,
  type MemberKeys,
} from "../../src/members/keys.ts";
import { openSealed } from "../../src/members/hqSeal.ts";
import { decryptPhoto, encryptPhoto } from "../../src/members/photo/crypto.ts";
import { runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/db.ts";

const NUMBERS = ["3520248271001", "3520248271082", "4210148271163", "6110148271244", "3740548271325"];

/**
 * A centre made through the CLI, and members with protected CNICs written straight to the file;
 * with `photos`, that many of them (the 1st, 3rd, …) also get an encrypted photo, and the first
 * one a tombstoned earlier photo (no bytes, no key), which no key count includes.
 */
async function centreWithMembers(numbers = NUMBERS, photos = 0) {
  const dataDir = tempDir();
  const env = { RASAI_DATA_DIR: dataDir };
  const made = runCli(
    [
      "centre",
      "create",
      "--code",
      "LHR-01",
      "--name-ur",
      "لاہور",
      "--name-en",
      "IAC Lahore",
      "--district",
      "Lahore",
      "--province",
      "punjab",
      "--address",
      "Mall Road",
      "--current",
    ],
    env,
  );
  assert.equal(made.status, 0, made.stderr);
  const db = createDb({ dialect: "sqlite", file: path.join(dataDir, "rasai.sqlite") });
  try {
    const centre = await db.selectFrom("centres").select("id").executeTakeFirstOrThrow();
    const keys = loadMemberKeys(dataDir, {});
    for (const [i, digits] of numbers.entries()) {
      const memberId = await insertMember(db, centre.id, i, protectCnic(keys, digits));
      if (i % 2 === 0 && i / 2 < photos) {
        if (i === 0) await insertPhoto(db, keys, centre.id, memberId, null);
        await insertPhoto(db, keys, centre.id, memberId, photoBytes(i));
      }
    }
  } finally {
    await db.destroy();
  }
  return { dataDir, env };
}

/** Stand-in JPEG bytes for member number `n`: only the encryption matters here. */
const photoBytes = (n: number) => Buffer.from(`\xff\xd8 photo of member ${n + 1} \xff\xd9`, "latin1");

async function insertPhoto(
  db: Db,
  keys: MemberKeys,
  centreId: string,
  memberId: string,
  jpeg: Buffer | null,
) {
  const now = "2026-11-25T06:00:00.000Z";
  const id = newId();
  const sealed = jpeg ? encryptPhoto(keys, jpeg, { memberId, photoId: id }) : { key_id: null, bytes: null };
  await db
    .insertInto("member_photos")
    .values({
      id,
      created_at: now,
      updated_at: now,
      deleted_at: jpeg ? null : now,
      centre_id: centreId,
      member_id: memberId,
      content_type: "image/jpeg",
      width: 300,
      height: 400,
      byte_size: jpeg?.length ?? 0,
      ...sealed,
    })
    .execute();
  if (jpeg) await db.updateTable("members").set({ photo_path: id }).where("id", "=", memberId).execute();
}

/** The live photos, oldest member first, with their key id and decrypted bytes. */
async function livePhotos(dataDir: string) {
  const db = createDb({ dialect: "sqlite", file: path.join(dataDir, "rasai.sqlite") });
  const keys = loadMemberKeys(dataDir, {});
  try {
    const rows = await db
      .selectFrom("member_photos")
      .innerJoin("members", "members.id", "member_photos.member_id")
      .select(["member_photos.id", "member_id", "key_id", "bytes", "member_no"])
      .where("bytes", "is not", null)
      .orderBy("member_no")
      .execute();
    return rows.map((r) => ({
      keyId: r.key_id!,
      jpeg: decryptPhoto(
        keys,
        { key_id: r.key_id!, bytes: r.bytes! },
        { memberId: r.member_id, photoId: r.id },
      ),
    }));
  } finally {
    await db.destroy();
  }
}

async function insertMember(
  db: Db,
  centreId: string,
  n: number,
  cnic: ReturnType<typeof protectCnic>,
): Promise<string> {
  const now = "2026-11-25T06:00:00.000Z";
  const id = newId();
  await db
    .insertInto("members")
    .values({
      id,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      centre_id: centreId,
      member_no: `LHR-01-${String(n + 1).padStart(5, "0")}`,
      status: "active",
      full_name_ur: null,
      full_name_en: null,
      id_kind: "cnic",
      ...cnic,
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

async function members(dataDir: string) {
  const db = createDb({ dialect: "sqlite", file: path.join(dataDir, "rasai.sqlite") });
  try {
    return await db.selectFrom("members").selectAll().orderBy("member_no").execute();
  } finally {
    await db.destroy();
  }
}

describe("rasai keys", () => {
  it("status, hq-generate, seal-pending, rotate and rehash through the real command", async () => {
    const { dataDir, env } = await centreWithMembers(NUMBERS, 2);
    const keysDir = path.join(dataDir, "keys");
    const firstId = fs.readFileSync(path.join(keysDir, "current"), "utf8").trim();

    const status = runCli(["keys", "status"], env);
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`${firstId}\\s+5 members\\s+2 photos\\s+current`));
    assert.doesNotMatch(status.stdout, /under older data keys/);
    assert.match(status.stdout, /CNIC hash key: [0-9a-f]{12}\s+from cnic-hash\.key/);
    assert.match(status.stdout, /Headquarters public key: none/);
    assert.match(status.stdout, /Not sealed for headquarters: 5 members/);

    // Headquarters makes its key pair; the centre gets the public half and seals what it has.
    const hqDir = path.join(tempDir(), "hq");
    const gen = runCli(["keys", "hq-generate", "--out", hqDir], env);
    assert.equal(gen.status, 0, gen.stderr);
    assert.match(gen.stdout, /hq-private\.pem\s+SECRET/);
    assert.match(gen.stdout, /hq-public\.pem\s+Give it to every centre/);
    assert.equal(fs.statSync(path.join(hqDir, "hq-private.pem")).mode & 0o777, 0o600);
    const again = runCli(["keys", "hq-generate", "--out", hqDir], env);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists/);
    fs.copyFileSync(path.join(hqDir, "hq-public.pem"), path.join(keysDir, "hq-public.pem"));

    const seal = runCli(["keys", "seal-pending"], env);
    assert.equal(seal.status, 0, seal.stderr);
    assert.match(seal.stdout, /5 CNICs sealed for headquarters\./);
    assert.match(seal.stderr, /seal \[#{30}\] 100% 5\/5/);
    const hqPrivate = crypto.createPrivateKey(fs.readFileSync(path.join(hqDir, "hq-private.pem"), "utf8"));
    assert.deepEqual(
      (await members(dataDir)).map((m) => openSealed(hqPrivate, m.cnic_sealed!)),
      NUMBERS,
    );

    const rotate = runCli(["keys", "rotate"], env);
    assert.equal(rotate.status, 0, rotate.stderr);
    assert.match(rotate.stderr, /re-encrypt \[#{30}\] 100% 5\/5/);
    const newId = fs.readFileSync(path.join(keysDir, "current"), "utf8").trim();
    assert.notEqual(newId, firstId);
    assert.match(
      rotate.stdout,
      new RegExp(`Data key rotated: ${firstId} → ${newId}; 5 CNICs and 2 photos re-encrypted\\.`),
    );
    assert.ok(fs.existsSync(path.join(keysDir, "retired", `data-${firstId}.key`)));
    const keys = loadMemberKeys(dataDir, {});
    const rows = await members(dataDir);
    assert.ok(rows.every((m) => fieldKeyId(m.cnic_enc!) === newId));
    assert.deepEqual(
      rows.map((m) => decryptField(keys, m.cnic_enc!)),
      NUMBERS,
    );
    // The photos moved with the CNICs: same pictures, now under the new key.
    assert.deepEqual(await livePhotos(dataDir), [
      { keyId: newId, jpeg: photoBytes(0) },
      { keyId: newId, jpeg: photoBytes(2) },
    ]);
    const rotated = runCli(["keys", "status"], env).stdout;
    assert.match(rotated, new RegExp(`${firstId}\\s+0 members\\s+0 photos\\s+retired`));
    assert.match(rotated, new RegExp(`${newId}\\s+5 members\\s+2 photos\\s+current`));

    // Enrolment: the national hash key replaces the centre's own once every hash is recomputed.
    const ownHashId = keyId(keys.hashKey);
    const nationalFile = path.join(tempDir(), "national-cnic-hash.key");
    const national = crypto.randomBytes(32);
    fs.writeFileSync(nationalFile, national.toString("base64"));
    const rehash = runCli(["keys", "rehash", "--hash-key", nationalFile], env);
    assert.equal(rehash.status, 0, rehash.stderr);
    assert.match(rehash.stdout, new RegExp(`5 CNIC hashes recomputed under hash key ${keyId(national)}`));
    const enrolled = loadMemberKeys(dataDir, {});
    assert.ok(enrolled.hashKey.equals(national));
    assert.equal(fs.statSync(path.join(keysDir, "cnic-hash.key")).mode & 0o777, 0o600);
    assert.ok(fs.existsSync(path.join(keysDir, "retired", `cnic-hash-${ownHashId}.key`)));
    assert.deepEqual(
      (await members(dataDir)).map((m) => m.cnic_hash),
      NUMBERS.map((d) => cnicHash(enrolled, d)),
    );
  });

  it("counts photos under each key in status, and reencrypt moves photos left under an old key", async () => {
    const { dataDir, env } = await centreWithMembers(NUMBERS.slice(0, 3), 2);
    const keysDir = path.join(dataDir, "keys");
    const oldId = fs.readFileSync(path.join(keysDir, CURRENT_FILE), "utf8").trim();

    // A new current key with the CNICs already under it and the photos not: what an operator
    // has after setting a new key by hand, or after a run stopped between CNICs and photos.
    const key = crypto.randomBytes(32);
    const currentId = keyId(key);
    writeKeyFile(dataKeyFile(keysDir, currentId), key);
    replaceFile(path.join(keysDir, CURRENT_FILE), `${currentId}\n`);
    const keys = loadMemberKeys(dataDir, {});
    assert.equal(keys.currentDataKeyId, currentId);
    const db = createDb({ dialect: "sqlite", file: path.join(dataDir, "rasai.sqlite") });
    try {
      for (const m of await db.selectFrom("members").select(["id", "cnic_enc"]).execute()) {
        const next = encryptField(keys, decryptField(keys, m.cnic_enc!));
        await db.updateTable("members").set({ cnic_enc: next }).where("id", "=", m.id).execute();
      }
    } finally {
      await db.destroy();
    }

    const before = runCli(["keys", "status"], env);
    assert.equal(before.status, 0, before.stderr);
    assert.match(before.stdout, new RegExp(`${currentId}\\s+3 members\\s+0 photos\\s+current`));
    assert.match(before.stdout, new RegExp(`${oldId}\\s+0 members\\s+2 photos\\s+old`));
    assert.match(before.stdout, /0 members and 2 photos under older data keys: run rasai keys reencrypt/);

    const run = runCli(["keys", "reencrypt"], env);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`^0 CNICs and 2 photos re-encrypted under the current data key ${currentId}\\.$`, "m"),
    );
    assert.deepEqual(await livePhotos(dataDir), [
      { keyId: currentId, jpeg: photoBytes(0) },
      { keyId: currentId, jpeg: photoBytes(2) },
    ]);

    const after = runCli(["keys", "status"], env);
    assert.match(after.stdout, new RegExp(`${currentId}\\s+3 members\\s+2 photos\\s+current`));
    assert.match(after.stdout, new RegExp(`${oldId}\\s+0 members\\s+0 photos\\s+old`));
    assert.doesNotMatch(after.stdout, /under older data keys/);

    // Running it again finds nothing left to do.
    assert.match(runCli(["keys", "reencrypt"], env).stdout, /^0 CNICs and 0 photos re-encrypted/m);
  });

  it("lists members that collide under the national key, exits 1 and keeps the centre's own key", async () => {
    const { dataDir, env } = await centreWithMembers(NUMBERS.slice(0, 2));
    // The same person again, hashed under some other key: only the national key shows it.
    const db = createDb({ dialect: "sqlite", file: path.join(dataDir, "rasai.sqlite") });
    const keys = loadMemberKeys(dataDir, {});
    try {
      const centre = await db.selectFrom("centres").select("id").executeTakeFirstOrThrow();
      const p = protectCnic(keys, NUMBERS[0]!);
      await insertMember(db, centre.id, 7, { ...p, cnic_hash: crypto.randomBytes(32).toString("hex") });
    } finally {
      await db.destroy();
    }
    const nationalFile = path.join(tempDir(), "national.key");
    fs.writeFileSync(nationalFile, crypto.randomBytes(32).toString("base64"));
    const run = runCli(["keys", "rehash", "--hash-key", nationalFile], env);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /Nothing changed: 1 CNIC belong/);
    assert.match(run.stdout, /35202-\*{7}-1\s+LHR-01-00001, LHR-01-00008/);
    assert.ok(!run.stdout.includes(NUMBERS[0]!));
    assert.ok(loadMemberKeys(dataDir, {}).hashKey.equals(keys.hashKey));
  });

  it("refuses to rotate while a server runs on the data folder", async () => {
    const { dataDir, env } = await centreWithMembers(NUMBERS.slice(0, 1));
    fs.writeFileSync(path.join(dataDir, "rasai.pid"), String(process.pid));
    const run = runCli(["keys", "rotate"], env);
    assert.equal(run.status, 2);
    assert.match(run.stderr, new RegExp(`^rasai: A Rasai server \\(pid ${process.pid}\\) is running`));
    assert.equal(run.stderr.trim().split("\n").length, 1);
  });

  it("explains bad keys, bad actions and its usage in one line", () => {
    const env = { RASAI_DATA_DIR: tempDir() };
    const bad = runCli(["keys", "status"], { ...env, RASAI_DATA_KEY: "too-short" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^rasai: RASAI_DATA_KEY is not a base64-encoded 32-byte key/);
    assert.equal(bad.stderr.trim().split("\n").length, 1);

    const fromEnv = runCli(["keys", "rotate"], {
      ...env,
      RASAI_DATA_KEY: crypto.randomBytes(32).toString("base64"),
    });
    assert.equal(fromEnv.status, 2);
    assert.match(fromEnv.stderr, /RASAI_DATA_KEY_OLD/);

    const noHq = runCli(["keys", "seal-pending"], env);
    assert.equal(noHq.status, 2);
    assert.match(noHq.stderr, /no headquarters public key/);

    const unknown = runCli(["keys", "spin"], env);
    assert.equal(unknown.status, 64);
    assert.match(unknown.stderr, /Unknown keys action "spin"/);
    const noOut = runCli(["keys", "hq-generate"], env);
    assert.equal(noOut.status, 64);
    assert.match(noOut.stderr, /--out/);

    const keysHelp = runCli(["keys", "--help"], env).stdout;
    assert.match(keysHelp, /rasai keys rotate +New data key; re-encrypt CNICs and photos/);
    assert.match(keysHelp, /rasai keys reencrypt +Re-encrypt CNICs and photos/);
    assert.match(keysHelp, /rasai keys status +.*members and photos under each data key/);
    assert.match(runCli(["keys", "status", "--help"], env).stdout, /how many photos are\nunder it/);
    assert.match(runCli(["keys", "rotate", "--help"], env).stdout, /then every member's photo/);
    assert.match(runCli(["keys", "reencrypt", "--help"], env).stdout, /every member's photo not under/);
    assert.match(runCli(["--help"], env).stdout, /Keys that protect CNICs and photos/);
    assert.match(runCli(["keys", "rehash", "--help"], env).stdout, /--hash-key names the national hash key/);
  });
});
