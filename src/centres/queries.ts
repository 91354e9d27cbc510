import type { Executor } from "../db/connect.ts";
import type { CentreHoursExceptionTable, CentreTable } from "../db/schema.ts";

export async function findCentreById(db: Executor, id: string): Promise<CentreTable | undefined> {
  return db
    .selectFrom("centres")
    .selectAll()
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function findCentreByCode(db: Executor, code: string): Promise<CentreTable | undefined> {
  return db
    .selectFrom("centres")
    .selectAll()
    .where("code", "=", code)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function listCentres(db: Executor): Promise<CentreTable[]> {
  return db.selectFrom("centres").selectAll().where("deleted_at", "is", null).orderBy("code").execute();
}

export async function insertCentre(db: Executor, row: CentreTable): Promise<void> {
  await db.insertInto("centres").values(row).execute();
}

export async function updateCentreRow(
  db: Executor,
  id: string,
  changes: Partial<Omit<CentreTable, "id" | "code" | "created_at">>,
): Promise<void> {
  await db.updateTable("centres").set(changes).where("id", "=", id).execute();
}

export async function listHoursExceptions(
  db: Executor,
  centreId: string,
): Promise<CentreHoursExceptionTable[]> {
  return db
    .selectFrom("centre_hours_exceptions")
    .selectAll()
    .where("centre_id", "=", centreId)
    .where("deleted_at", "is", null)
    .orderBy("date")
    .execute();
}

export async function tombstoneHoursExceptions(db: Executor, ids: string[], nowIso: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("centre_hours_exceptions")
    .set({ deleted_at: nowIso, updated_at: nowIso })
    .where("id", "in", ids)
    .execute();
}

export async function insertHoursException(db: Executor, row: CentreHoursExceptionTable): Promise<void> {
  await db.insertInto("centre_hours_exceptions").values(row).execute();
}

export async function updateHoursException(
  db: Executor,
  id: string,
  changes: Partial<Omit<CentreHoursExceptionTable, "id" | "centre_id" | "created_at">>,
): Promise<void> {
  await db.updateTable("centre_hours_exceptions").set(changes).where("id", "=", id).execute();
}

export async function getSetting(db: Executor, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("instance_settings")
    .select("value")
    .where("key", "=", key)
    .executeTakeFirst();
  return row?.value;
}

export async function putSetting(db: Executor, key: string, value: string, nowIso: string): Promise<void> {
  await db
    .insertInto("instance_settings")
    .values({ key, value, updated_at: nowIso })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: nowIso }))
    .execute();
}
