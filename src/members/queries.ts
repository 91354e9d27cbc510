// The only module that touches the member tables.

import { sql } from "kysely";
import type { Executor } from "../db/connect.ts";
import type { MemberCardTable, MemberCategoryTable, MemberPhotoTable, MemberTable } from "../db/schema.ts";

export async function findMemberById(db: Executor, id: string): Promise<MemberTable | undefined> {
  return db
    .selectFrom("members")
    .selectAll()
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function findMemberByNumber(db: Executor, memberNo: string): Promise<MemberTable | undefined> {
  return db
    .selectFrom("members")
    .selectAll()
    .where("member_no", "=", memberNo)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function findMembersByPhone(db: Executor, e164: string): Promise<MemberTable[]> {
  return db
    .selectFrom("members")
    .selectAll()
    .where("phone_e164", "=", e164)
    .where("deleted_at", "is", null)
    .where("status", "!=", "erased")
    .execute();
}

export async function findMemberByCnicHash(db: Executor, hash: string): Promise<MemberTable | undefined> {
  return db
    .selectFrom("members")
    .selectAll()
    .where("cnic_hash", "=", hash)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/** Same date of birth and the same name in either script, case and spacing aside. */
export async function findByNameAndBirth(
  db: Executor,
  f: { nameUr: string | null; nameEn: string | null; dateOfBirth: string },
): Promise<MemberTable[]> {
  const rows = await db
    .selectFrom("members")
    .selectAll()
    .where("date_of_birth", "=", f.dateOfBirth)
    .where("deleted_at", "is", null)
    .where("status", "!=", "erased")
    .execute();
  const norm = (s: string | null) => (s ?? "").toLowerCase().replace(/\s+/g, " ").trim();
  return rows.filter(
    (r) =>
      (f.nameEn && norm(r.full_name_en) === norm(f.nameEn)) ||
      (f.nameUr && norm(r.full_name_ur) === norm(f.nameUr)),
  );
}

export async function insertMember(db: Executor, row: MemberTable): Promise<void> {
  await db.insertInto("members").values(row).execute();
}

export async function updateMemberRow(
  db: Executor,
  id: string,
  changes: Partial<MemberTable>,
): Promise<void> {
  await db.updateTable("members").set(changes).where("id", "=", id).execute();
}

export interface MemberFilter {
  centreId?: string | undefined;
  status?: MemberTable["status"] | undefined;
  /** Matches member number, mobile number or name (either script). */
  text?: string | undefined;
  ids?: string[] | undefined;
  limit: number;
  offset: number;
}

export async function listMembers(db: Executor, f: MemberFilter): Promise<MemberTable[]> {
  let q = db.selectFrom("members").selectAll().where("deleted_at", "is", null);
  if (f.centreId) q = q.where("centre_id", "=", f.centreId);
  if (f.status) q = q.where("status", "=", f.status);
  else q = q.where("status", "!=", "erased");
  if (f.ids) q = q.where("id", "in", f.ids.length ? f.ids : [""]);
  if (f.text) {
    const like = `%${f.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(member_no)`, "like", like),
        eb("phone_e164", "like", like),
        eb(sql`lower(coalesce(full_name_en, ''))`, "like", like),
        eb(sql`coalesce(full_name_ur, '')`, "like", like),
      ]),
    );
  }
  return q.orderBy("created_at", "desc").orderBy("id", "desc").limit(f.limit).offset(f.offset).execute();
}

/** The next member number for a centre, counted inside the caller's transaction. */
export async function nextMemberSequence(db: Executor, centreId: string): Promise<number> {
  await db
    .insertInto("member_number_seq")
    .values({ centre_id: centreId, last: 0 })
    .onConflict((oc) => oc.column("centre_id").doNothing())
    .execute();
  const row = await db
    .updateTable("member_number_seq")
    .set({ last: sql<number>`last + 1` })
    .where("centre_id", "=", centreId)
    .returning("last")
    .executeTakeFirstOrThrow();
  return Number(row.last);
}

// ---- categories -----------------------------------------------------------------------------

export async function listCategories(db: Executor, centreId: string): Promise<MemberCategoryTable[]> {
  return db
    .selectFrom("member_categories")
    .selectAll()
    .where("centre_id", "=", centreId)
    .where("deleted_at", "is", null)
    .orderBy("sort_order")
    .orderBy("code")
    .execute();
}

export async function findCategory(db: Executor, id: string): Promise<MemberCategoryTable | undefined> {
  return db
    .selectFrom("member_categories")
    .selectAll()
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function insertCategory(db: Executor, row: MemberCategoryTable): Promise<void> {
  await db.insertInto("member_categories").values(row).execute();
}

export async function updateCategoryRow(
  db: Executor,
  id: string,
  changes: Partial<MemberCategoryTable>,
): Promise<void> {
  await db.updateTable("member_categories").set(changes).where("id", "=", id).execute();
}

// ---- cards ----------------------------------------------------------------------------------

export async function insertCard(db: Executor, row: MemberCardTable): Promise<void> {
  await db.insertInto("member_cards").values(row).execute();
}

export async function revokeLiveCards(
  db: Executor,
  memberId: string,
  at: string,
  reason: string,
): Promise<void> {
  await db
    .updateTable("member_cards")
    .set({ revoked_at: at, revoked_reason: reason, updated_at: at })
    .where("member_id", "=", memberId)
    .where("revoked_at", "is", null)
    .execute();
}

export async function listCards(db: Executor, memberId: string): Promise<MemberCardTable[]> {
  return db
    .selectFrom("member_cards")
    .selectAll()
    .where("member_id", "=", memberId)
    .where("deleted_at", "is", null)
    .orderBy("serial", "desc")
    .execute();
}

// ---- photos ---------------------------------------------------------------------------------

/** The member's live photo row (at most one: a unique index over live rows holds it). */
export async function findLivePhoto(db: Executor, memberId: string): Promise<MemberPhotoTable | undefined> {
  return db
    .selectFrom("member_photos")
    .selectAll()
    .where("member_id", "=", memberId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function insertPhoto(db: Executor, row: MemberPhotoTable): Promise<void> {
  await db.insertInto("member_photos").values(row).execute();
}

/**
 * Tombstones the member's photos and clears their bytes: nothing of a replaced, removed or
 * erased photo is kept. Also clears any tombstoned row that still holds bytes.
 */
export async function tombstonePhotos(db: Executor, memberId: string, at: string): Promise<number> {
  const live = await db
    .updateTable("member_photos")
    .set({ deleted_at: at, updated_at: at, bytes: null, key_id: null })
    .where("member_id", "=", memberId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  await db
    .updateTable("member_photos")
    .set({ bytes: null, key_id: null })
    .where("member_id", "=", memberId)
    .where("bytes", "is not", null)
    .execute();
  return Number(live.numUpdatedRows);
}

/** Live photos not encrypted under `keyId`, after `after` (by id), for re-encryption. */
export async function photosNotUnderKey(
  db: Executor,
  keyId: string,
  after: string | null,
  limit: number,
): Promise<Pick<MemberPhotoTable, "id" | "member_id" | "key_id" | "bytes">[]> {
  let q = db
    .selectFrom("member_photos")
    .select(["id", "member_id", "key_id", "bytes"])
    .where("bytes", "is not", null)
    .where("key_id", "!=", keyId);
  if (after !== null) q = q.where("id", ">", after);
  return q.orderBy("id").limit(limit).execute();
}

/** Replaces one photo's ciphertext, only if it is still under `oldKeyId` (else 0). */
export async function replacePhotoCiphertext(
  db: Executor,
  id: string,
  oldKeyId: string,
  next: { key_id: string; bytes: Buffer },
): Promise<number> {
  const r = await db
    .updateTable("member_photos")
    .set(next)
    .where("id", "=", id)
    .where("key_id", "=", oldKeyId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** How many stored photos are under each data key id. */
export async function photoKeyUsage(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("member_photos")
    .select((eb) => ["key_id", eb.fn.countAll<number>().as("n")])
    .where("bytes", "is not", null)
    .groupBy("key_id")
    .execute();
  return new Map(rows.filter((r) => r.key_id !== null).map((r) => [r.key_id!, Number(r.n)]));
}

/** Active members not seen since `before`, for the retention rule. */
export async function listLapsedMembers(
  db: Executor,
  centreId: string,
  before: string,
  limit: number,
): Promise<MemberTable[]> {
  return db
    .selectFrom("members")
    .selectAll()
    .where("centre_id", "=", centreId)
    .where("deleted_at", "is", null)
    .where("status", "!=", "erased")
    .where((eb) =>
      eb.or([
        eb("last_seen_at", "<", before),
        eb.and([eb("last_seen_at", "is", null), eb("created_at", "<", before)]),
      ]),
    )
    .limit(limit)
    .execute();
}
