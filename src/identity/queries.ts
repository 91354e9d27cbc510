import type { Executor } from "../db/connect.ts";
import type { SessionTable, StaffUserTable } from "../db/schema.ts";

export async function findStaffByUsername(
  db: Executor,
  username: string,
): Promise<StaffUserTable | undefined> {
  return db
    .selectFrom("staff_users")
    .selectAll()
    .where("username", "=", username)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function findStaffById(db: Executor, id: string): Promise<StaffUserTable | undefined> {
  return db
    .selectFrom("staff_users")
    .selectAll()
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function insertStaffUser(db: Executor, row: StaffUserTable): Promise<void> {
  await db.insertInto("staff_users").values(row).execute();
}

export async function updateStaffUser(
  db: Executor,
  id: string,
  changes: Partial<Omit<StaffUserTable, "id" | "created_at">>,
): Promise<void> {
  await db.updateTable("staff_users").set(changes).where("id", "=", id).execute();
}

export async function listStaffUsers(db: Executor, centreId: string | null): Promise<StaffUserTable[]> {
  let q = db.selectFrom("staff_users").selectAll().where("deleted_at", "is", null);
  if (centreId) q = q.where("centre_id", "=", centreId);
  return q.orderBy("username").execute();
}

export async function countStaffUsers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom("staff_users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertSession(db: Executor, row: SessionTable): Promise<void> {
  await db.insertInto("sessions").values(row).execute();
}

export async function findSessionById(db: Executor, id: string): Promise<SessionTable | undefined> {
  return db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function touchSession(
  db: Executor,
  id: string,
  lastSeenAt: string,
  expiresAt: string,
): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
    .where("id", "=", id)
    .execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}

export async function deleteSessionsOfSubject(
  db: Executor,
  kind: string,
  subjectId: string,
  exceptId?: string,
): Promise<void> {
  let q = db.deleteFrom("sessions").where("kind", "=", kind).where("subject_id", "=", subjectId);
  if (exceptId) q = q.where("id", "!=", exceptId);
  await q.execute();
}

export async function deleteExpiredSessions(db: Executor, nowIso: string): Promise<number> {
  const result = await db.deleteFrom("sessions").where("expires_at", "<", nowIso).executeTakeFirst();
  return Number(result.numDeletedRows);
}
