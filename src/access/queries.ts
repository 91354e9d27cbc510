// Queries for PCs, rules, sessions, bans, guest passes, messages and the member category code the
// statistics keep. Reservations and their slots are in ./reservationQueries.ts, queue tickets in
// ./queueQueries.ts; each query has one implementation, used by sessions, bookings and the queue.

import type { Executor } from "../db/connect.ts";
import type {
  AccessRuleTable,
  BanTable,
  GuestPassTable,
  PcMessageTable,
  PcRoom,
  PcSessionTable,
  PcTable,
} from "../db/schema.ts";

/**
 * A centre's PCs, one room after the other, by name within a room: the desk grid and the PC
 * settings list the lab first, the reservation and queue pages the lounge.
 */
export async function listPcs(db: Executor, centreId: string, firstRoom: PcRoom = "lab"): Promise<PcTable[]> {
  return db
    .selectFrom("pcs")
    .selectAll()
    .where("centre_id", "=", centreId)
    .where("deleted_at", "is", null)
    .orderBy("room", firstRoom === "lab" ? "asc" : "desc")
    .orderBy("name")
    .execute();
}

export async function findPc(db: Executor, id: string): Promise<PcTable | undefined> {
  return db
    .selectFrom("pcs")
    .selectAll()
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function findPcByName(
  db: Executor,
  centreId: string,
  name: string,
): Promise<PcTable | undefined> {
  return db
    .selectFrom("pcs")
    .selectAll()
    .where("centre_id", "=", centreId)
    .where("name", "=", name)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function insertPc(db: Executor, row: PcTable): Promise<void> {
  await db.insertInto("pcs").values(row).execute();
}

export async function updatePcRow(db: Executor, id: string, changes: Partial<PcTable>): Promise<void> {
  await db.updateTable("pcs").set(changes).where("id", "=", id).execute();
}

export async function listRules(db: Executor, centreId: string): Promise<AccessRuleTable[]> {
  return db
    .selectFrom("access_rules")
    .selectAll()
    .where("centre_id", "=", centreId)
    .where("deleted_at", "is", null)
    .execute();
}

export async function upsertRule(db: Executor, row: AccessRuleTable): Promise<void> {
  const existing = await db
    .selectFrom("access_rules")
    .select("id")
    .where("centre_id", "=", row.centre_id)
    .where((eb) =>
      row.category_id === null ? eb("category_id", "is", null) : eb("category_id", "=", row.category_id),
    )
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable("access_rules")
      .set({
        daily_minutes: row.daily_minutes,
        weekly_minutes: row.weekly_minutes,
        session_minutes: row.session_minutes,
        updated_at: row.updated_at,
      })
      .where("id", "=", existing.id)
      .execute();
  } else {
    await db.insertInto("access_rules").values(row).execute();
  }
}

export async function runningSessions(db: Executor, centreId: string): Promise<PcSessionTable[]> {
  return db
    .selectFrom("pc_sessions")
    .selectAll()
    .where("centre_id", "=", centreId)
    .where("ended_at", "is", null)
    .where("deleted_at", "is", null)
    .execute();
}

export async function runningSessionOnPc(db: Executor, pcId: string): Promise<PcSessionTable | undefined> {
  return db
    .selectFrom("pc_sessions")
    .selectAll()
    .where("pc_id", "=", pcId)
    .where("ended_at", "is", null)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function runningSessionOfMember(
  db: Executor,
  memberId: string,
): Promise<PcSessionTable | undefined> {
  return db
    .selectFrom("pc_sessions")
    .selectAll()
    .where("member_id", "=", memberId)
    .where("ended_at", "is", null)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function findSession(db: Executor, id: string): Promise<PcSessionTable | undefined> {
  return db.selectFrom("pc_sessions").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function insertSession(db: Executor, row: PcSessionTable): Promise<void> {
  await db.insertInto("pc_sessions").values(row).execute();
}

export async function updateSessionRow(
  db: Executor,
  id: string,
  changes: Partial<PcSessionTable>,
): Promise<void> {
  await db.updateTable("pc_sessions").set(changes).where("id", "=", id).execute();
}

/** A member's sessions that overlap [from, to), for allowances. */
export async function memberSessionsSince(
  db: Executor,
  memberId: string,
  from: string,
): Promise<PcSessionTable[]> {
  return db
    .selectFrom("pc_sessions")
    .selectAll()
    .where("member_id", "=", memberId)
    .where("deleted_at", "is", null)
    .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", from)]))
    .execute();
}

export async function sessionsDueToEnd(db: Executor, now: string): Promise<PcSessionTable[]> {
  return db
    .selectFrom("pc_sessions")
    .selectAll()
    .where("ended_at", "is", null)
    .where("deleted_at", "is", null)
    .where("ends_at", "<=", now)
    .execute();
}

export async function sessionsEndingBefore(db: Executor, before: string): Promise<PcSessionTable[]> {
  return db
    .selectFrom("pc_sessions")
    .selectAll()
    .where("ended_at", "is", null)
    .where("deleted_at", "is", null)
    .where("ends_at", "<=", before)
    .execute();
}

export async function activeBan(db: Executor, memberId: string, now: string): Promise<BanTable | undefined> {
  return db
    .selectFrom("bans")
    .selectAll()
    .where("member_id", "=", memberId)
    .where("until", ">", now)
    .where("deleted_at", "is", null)
    .orderBy("until", "desc")
    .executeTakeFirst();
}

export async function insertBan(db: Executor, row: BanTable): Promise<void> {
  await db.insertInto("bans").values(row).execute();
}

export async function listActiveBans(db: Executor, centreId: string, now: string): Promise<BanTable[]> {
  return db
    .selectFrom("bans")
    .selectAll()
    .where("centre_id", "=", centreId)
    .where("until", ">", now)
    .where("deleted_at", "is", null)
    .orderBy("until")
    .execute();
}

export async function findBan(db: Executor, id: string): Promise<BanTable | undefined> {
  return db.selectFrom("bans").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function liftBan(db: Executor, id: string, now: string): Promise<void> {
  await db.updateTable("bans").set({ deleted_at: now, updated_at: now }).where("id", "=", id).execute();
}

export async function insertGuestPass(db: Executor, row: GuestPassTable): Promise<void> {
  await db.insertInto("guest_passes").values(row).execute();
}

export async function findGuestPass(db: Executor, codeHash: string): Promise<GuestPassTable | undefined> {
  return db
    .selectFrom("guest_passes")
    .selectAll()
    .where("code_hash", "=", codeHash)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/** Marks a pass used only if it still is unused: two PCs cannot spend one pass. */
export async function spendGuestPass(db: Executor, id: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable("guest_passes")
    .set({ used_at: now, updated_at: now })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertMessage(db: Executor, row: PcMessageTable): Promise<void> {
  await db.insertInto("pc_messages").values(row).execute();
}

export async function unseenMessages(db: Executor, pcId: string): Promise<PcMessageTable[]> {
  return db
    .selectFrom("pc_messages")
    .selectAll()
    .where("pc_id", "=", pcId)
    .where("seen_at", "is", null)
    .where("deleted_at", "is", null)
    .orderBy("created_at")
    .limit(5)
    .execute();
}

export async function markMessageSeen(db: Executor, pcId: string, id: string, now: string): Promise<void> {
  await db
    .updateTable("pc_messages")
    .set({ seen_at: now, updated_at: now })
    .where("id", "=", id)
    .where("pc_id", "=", pcId)
    .execute();
}

/** The code of a member's category, which sessions, bookings and tickets keep for the reports. */
export async function categoryCode(db: Executor, categoryId: string | null): Promise<string | null> {
  if (!categoryId) return null;
  const row = await db
    .selectFrom("member_categories")
    .select("code")
    .where("id", "=", categoryId)
    .executeTakeFirst();
  return row?.code ?? null;
}
