/**
 * Bulk key work on members' CNIC columns: rotating the data key, sealing for headquarters once
 * its key arrives, and re-hashing under the national hash key when a centre is enrolled.
 *
 * The few queries live here rather than in members/queries.ts because they only ever serve
 * these three jobs and touch nothing but the four CNIC columns.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../config.ts";
import { systemClock, type Clock } from "../db/clock.ts";
import type { Db, Executor } from "../db/connect.ts";
import {
  CURRENT_FILE,
  RETIRED_DIR,
  cnicHash,
  dataKeyFile,
  decryptField,
  encryptField,
  keyId,
  replaceFile,
  writeKeyFile,
  type MemberKeys,
} from "./keys.ts";
import { sealForHq } from "./hqSeal.ts";
import { reencryptPhotos } from "./photo/crypto.ts";
import { photoKeyUsage } from "./queries.ts";

export interface KeyProgress {
  done: number;
  total: number;
}

export interface BatchOptions {
  onProgress?: (p: KeyProgress) => void;
  batchSize?: number;
  /** For updated_at on sealed and re-hashed rows (changes headquarters must receive). */
  clock?: Clock;
}

const DEFAULT_BATCH = 500;

// ---- queries ----

/** `cnic_enc` values are "v1:<key id>:…"; the prefix says which key a row is under. */
const underKey = (id: string) => `v1:${id}:%`;

async function countNotUnder(db: Executor, id: string): Promise<number> {
  const row = await db
    .selectFrom("members")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("cnic_enc", "is not", null)
    .where("cnic_enc", "not like", underKey(id))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function encryptedNotUnderAfter(db: Executor, id: string, after: string | null, limit: number) {
  let q = db
    .selectFrom("members")
    .select(["id", "cnic_enc"])
    .where("cnic_enc", "is not", null)
    .where("cnic_enc", "not like", underKey(id));
  if (after !== null) q = q.where("id", ">", after);
  return q.orderBy("id").limit(limit).execute();
}

async function countUnsealed(db: Executor, all = false): Promise<number> {
  let q = db
    .selectFrom("members")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("cnic_enc", "is not", null);
  if (!all) q = q.where("cnic_sealed", "is", null);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

async function unsealedAfter(db: Executor, all: boolean, after: string | null, limit: number) {
  let q = db.selectFrom("members").select(["id", "cnic_enc"]).where("cnic_enc", "is not", null);
  if (!all) q = q.where("cnic_sealed", "is", null);
  if (after !== null) q = q.where("id", ">", after);
  return q.orderBy("id").limit(limit).execute();
}

async function encryptedAfter(db: Executor, after: string | null, limit: number) {
  let q = db
    .selectFrom("members")
    .select(["id", "member_no", "centre_id", "cnic_enc", "cnic_hash", "cnic_masked", "deleted_at"])
    .where("cnic_enc", "is not", null);
  if (after !== null) q = q.where("id", ">", after);
  return q.orderBy("id").limit(limit).execute();
}

/** Members under each data key id, and how many CNICs are not yet sealed for headquarters. */
export async function keyUsage(db: Executor): Promise<{ byKey: Map<string, number>; unsealed: number }> {
  const rows = await db
    .selectFrom("members")
    .select((eb) => [
      eb.fn<string>("substr", [eb.ref("cnic_enc"), eb.val(4), eb.val(12)]).as("key_id"),
      eb.fn.countAll<number>().as("n"),
    ])
    .where("cnic_enc", "is not", null)
    .groupBy("key_id")
    .execute();
  const byKey = new Map<string, number>();
  for (const r of rows) byKey.set(r.key_id, Number(r.n));
  return { byKey, unsealed: await countUnsealed(db) };
}

// ---- data key rotation ----

/**
 * Re-encrypts every CNIC not under the current data key (after a rotation, or after the
 * operator moved RASAI_DATA_KEY to a new key with the old one in RASAI_DATA_KEY_OLD), then every
 * member photo likewise. Each batch commits on its own; a row changed meanwhile is left for the
 * next run.
 */
export async function reencryptAll(
  db: Db,
  keys: MemberKeys,
  opts: BatchOptions = {},
): Promise<{ reencrypted: number; photos: number }> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const current = keys.currentDataKeyId;
  const total = await countNotUnder(db, current);
  let done = 0;
  let reencrypted = 0;
  opts.onProgress?.({ done, total });
  let after: string | null = null;
  for (;;) {
    const batch = await encryptedNotUnderAfter(db, current, after, batchSize);
    if (batch.length === 0) break;
    // Decrypt before the transaction: a missing key stops the run before anything is written.
    const updates = batch.map((r) => ({
      id: r.id,
      old: r.cnic_enc!,
      next: encryptField(keys, decryptField(keys, r.cnic_enc!)),
    }));
    await db.transaction().execute(async (trx) => {
      for (const u of updates) {
        // updated_at stays: the member did not change, and a data key never leaves its centre.
        const r = await trx
          .updateTable("members")
          .set({ cnic_enc: u.next })
          .where("id", "=", u.id)
          .where("cnic_enc", "=", u.old)
          .executeTakeFirst();
        reencrypted += Number(r.numUpdatedRows);
      }
    });
    after = batch.at(-1)!.id;
    done += batch.length;
    opts.onProgress?.({ done, total: Math.max(total, done) });
  }
  return { reencrypted, photos: await reencryptPhotos(db, keys) };
}

/**
 * Makes a new data key current and re-encrypts every CNIC under it, then moves each old key
 * file that no row uses any more to `keys/retired/`: kept, because backups made before the
 * rotation still need it. `keys` is updated in place to the new key. Run it with the server
 * stopped (or restart the server afterwards), so the server picks up the new key.
 */
export async function rotateDataKey(
  db: Db,
  keys: MemberKeys,
  opts: BatchOptions = {},
): Promise<{ newKeyId: string; reencrypted: number; photos: number }> {
  const fromEnv =
    keys.sources?.dataKey === "env" ||
    (keys.sources === undefined && !fs.existsSync(dataKeyFile(keys.dir, keys.currentDataKeyId)));
  if (fromEnv) {
    throw new ConfigError(
      "The data key comes from RASAI_DATA_KEY, so Rasai cannot replace it: set RASAI_DATA_KEY to a new key (openssl rand -base64 32), add the old one to RASAI_DATA_KEY_OLD, then run rasai keys reencrypt.",
    );
  }
  const key = crypto.randomBytes(32);
  const newKeyId = keyId(key);
  writeKeyFile(dataKeyFile(keys.dir, newKeyId), key);
  replaceFile(path.join(keys.dir, CURRENT_FILE), `${newKeyId}\n`);
  const dataKeys = new Map(keys.dataKeys);
  dataKeys.set(newKeyId, key);
  keys.dataKeys = dataKeys;
  keys.currentDataKeyId = newKeyId;

  const { reencrypted, photos } = await reencryptAll(db, keys, opts);

  const { byKey } = await keyUsage(db);
  const photosByKey = await photoKeyUsage(db);
  const retired = path.join(keys.dir, RETIRED_DIR);
  for (const name of fs.readdirSync(keys.dir)) {
    const id = /^data-([0-9a-f]{12})\.key$/.exec(name)?.[1];
    if (!id || id === newKeyId || (byKey.get(id) ?? 0) > 0 || (photosByKey.get(id) ?? 0) > 0) continue;
    fs.mkdirSync(retired, { recursive: true, mode: 0o700 });
    fs.renameSync(path.join(keys.dir, name), path.join(retired, name));
  }
  return { newKeyId, reencrypted, photos };
}

// ---- sealing for headquarters ----

/**
 * Seals every CNIC not yet sealed, once headquarters' public key is configured. With `all`,
 * re-seals every CNIC: after headquarters replaced a lost or stolen key pair.
 */
export async function sealPending(
  db: Db,
  keys: MemberKeys,
  opts: BatchOptions & { all?: boolean } = {},
): Promise<{ sealed: number }> {
  const hq = keys.hqPublicKey;
  if (!hq) {
    throw new ConfigError(
      `There is no headquarters public key: copy hq-public.pem into ${keys.dir}, or set RASAI_HQ_PUBLIC_KEY.`,
    );
  }
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const clock = opts.clock ?? systemClock;
  const all = opts.all === true;
  const total = await countUnsealed(db, all);
  let done = 0;
  let sealed = 0;
  opts.onProgress?.({ done, total });
  let after: string | null = null;
  for (;;) {
    const batch = await unsealedAfter(db, all, after, batchSize);
    if (batch.length === 0) break;
    const updates = batch.map((r) => ({ id: r.id, sealed: sealForHq(hq, decryptField(keys, r.cnic_enc!)) }));
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      for (const u of updates) {
        // updated_at moves: headquarters must receive the sealed copy.
        let q = trx
          .updateTable("members")
          .set({ cnic_sealed: u.sealed, updated_at: now })
          .where("id", "=", u.id);
        if (!all) q = q.where("cnic_sealed", "is", null);
        const r = await q.executeTakeFirst();
        sealed += Number(r.numUpdatedRows);
      }
    });
    after = batch.at(-1)!.id;
    done += batch.length;
    opts.onProgress?.({ done, total: Math.max(total, done) });
  }
  return { sealed };
}

// ---- re-hashing under a new hash key ----

export interface HashCollision {
  /** Live members whose CNICs are the same number (masked; the number itself is never shown). */
  cnicMasked: string;
  members: { id: string; memberNo: string; centreId: string }[];
}

/**
 * Recomputes every cnic_hash under `keys.hashKey` (after enrolment brought the national key).
 * All in one transaction, and checked before anything is written: when two live members turn
 * out to hold the same number, nothing changes and they are returned as collisions for a
 * person to resolve. A value this server cannot decrypt stops the run, likewise unchanged.
 */
export async function rehashAll(
  db: Db,
  keys: MemberKeys,
  opts: BatchOptions = {},
): Promise<{ rehashed: number; collisions: HashCollision[] }> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const now = (opts.clock ?? systemClock).now().toISOString();
  return db.transaction().execute(async (trx) => {
    const changes: { id: string; hash: string }[] = [];
    const live = new Map<string, HashCollision>();
    const collided = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const batch = await encryptedAfter(trx, after, batchSize);
      if (batch.length === 0) break;
      for (const r of batch) {
        const hash = cnicHash(keys, decryptField(keys, r.cnic_enc!));
        if (hash !== r.cnic_hash) changes.push({ id: r.id, hash });
        // Only live rows must be unique (the index ignores tombstones).
        if (r.deleted_at !== null) continue;
        const member = { id: r.id, memberNo: r.member_no, centreId: r.centre_id };
        const seen = live.get(hash);
        if (seen) {
          seen.members.push(member);
          collided.add(hash);
        } else {
          live.set(hash, { cnicMasked: r.cnic_masked ?? "", members: [member] });
        }
      }
      after = batch.at(-1)!.id;
    }
    if (collided.size > 0) return { rehashed: 0, collisions: [...collided].map((h) => live.get(h)!) };

    const total = changes.length;
    opts.onProgress?.({ done: 0, total });
    let done = 0;
    for (const c of changes) {
      // updated_at moves: headquarters finds duplicates across centres by this hash.
      await trx
        .updateTable("members")
        .set({ cnic_hash: c.hash, updated_at: now })
        .where("id", "=", c.id)
        .execute();
      done++;
      if (done % batchSize === 0 || done === total) opts.onProgress?.({ done, total });
    }
    return { rehashed: total, collisions: [] };
  });
}
