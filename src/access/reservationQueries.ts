// The only module that touches reservations and their slots. PCs, bans and sessions are read
// through ./queries.ts, queue tickets through ./queueQueries.ts.

import type { Executor } from "../db/connect.ts";
import type { ReservationSlotTable, ReservationTable } from "../db/schema.ts";

export async function insertReservation(db: Executor, row: ReservationTable): Promise<void> {
  await db.insertInto("reservations").values(row).execute();
}

/** One statement for all of a booking's slots: the unique (pc, slot) index refuses any taken one. */
export async function insertSlots(db: Executor, rows: ReservationSlotTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto("reservation_slots").values(rows).execute();
}

export async function findReservation(db: Executor, id: string): Promise<ReservationTable | undefined> {
  return db
    .selectFrom("reservations")
    .selectAll()
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/** Moves a reservation on only if it is still in the expected status; true when it did. */
export async function changeReservationStatus(
  db: Executor,
  id: string,
  from: ReservationTable["status"],
  to: ReservationTable["status"],
  nowIso: string,
): Promise<boolean> {
  const result = await db
    .updateTable("reservations")
    .set({ status: to, updated_at: nowIso })
    .where("id", "=", id)
    .where("status", "=", from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Tombstones a reservation's slots so the time can be booked again. */
export async function freeSlots(db: Executor, reservationId: string, nowIso: string): Promise<void> {
  await db
    .updateTable("reservation_slots")
    .set({ deleted_at: nowIso, updated_at: nowIso })
    .where("reservation_id", "=", reservationId)
    .where("deleted_at", "is", null)
    .execute();
}

/** The first live slot of this PC starting in [from, to): sessions stop short of it. */
export async function firstReservedSlot(
  db: Executor,
  pcId: string,
  from: string,
  to: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom("reservation_slots")
    .select("slot_start")
    .where("pc_id", "=", pcId)
    .where("deleted_at", "is", null)
    .where("slot_start", ">=", from)
    .where("slot_start", "<", to)
    .orderBy("slot_start")
    .executeTakeFirst();
  return row?.slot_start;
}

export interface TakenSlot {
  pc_id: string;
  pc_name: string;
  slot_start: string;
  reservation_id: string;
  kind: ReservationTable["kind"];
  title: string;
  status: ReservationTable["status"];
  member_id: string | null;
  member_no: string | null;
}

/** Live slots of these PCs with a start in [fromIso, toIso). */
export async function liveSlots(
  db: Executor,
  pcIds: string[],
  fromIso: string,
  toIso: string,
): Promise<TakenSlot[]> {
  if (pcIds.length === 0) return [];
  const rows = await db
    .selectFrom("reservation_slots as s")
    .innerJoin("reservations as r", "r.id", "s.reservation_id")
    .innerJoin("pcs as p", "p.id", "s.pc_id")
    .leftJoin("members as m", "m.id", "r.member_id")
    .select([
      "s.pc_id",
      "p.name as pc_name",
      "s.slot_start",
      "s.reservation_id",
      "r.kind",
      "r.title",
      "r.status",
      "r.member_id",
      "m.member_no",
    ])
    .where("s.pc_id", "in", pcIds)
    .where("s.deleted_at", "is", null)
    .where("s.slot_start", ">=", fromIso)
    .where("s.slot_start", "<", toIso)
    .orderBy("p.name")
    .orderBy("s.slot_start")
    .execute();
  return rows.map((r) => ({ ...r, slot_start: new Date(r.slot_start).toISOString() }));
}

/** A member's bookings that have not ended by `nowIso` and still hold their PC. */
export async function memberLiveBookings(
  db: Executor,
  memberId: string,
  nowIso: string,
): Promise<ReservationTable[]> {
  return db
    .selectFrom("reservations")
    .selectAll()
    .where("member_id", "=", memberId)
    .where("status", "in", ["booked", "claimed"])
    .where("ends_at", ">", nowIso)
    .where("deleted_at", "is", null)
    .orderBy("starts_at")
    .execute();
}

export interface ReservationRow extends ReservationTable {
  pc_name: string;
  member_no: string | null;
}

/** A centre's reservations overlapping [fromIso, toIso), every status. */
export async function centreReservations(
  db: Executor,
  centreId: string,
  fromIso: string,
  toIso: string,
): Promise<ReservationRow[]> {
  return db
    .selectFrom("reservations as r")
    .innerJoin("pcs as p", "p.id", "r.pc_id")
    .leftJoin("members as m", "m.id", "r.member_id")
    .selectAll("r")
    .select(["p.name as pc_name", "m.member_no"])
    .where("r.centre_id", "=", centreId)
    .where("r.starts_at", "<", toIso)
    .where("r.ends_at", ">", fromIso)
    .where("r.deleted_at", "is", null)
    .orderBy("r.starts_at")
    .orderBy("p.name")
    .execute();
}

/** A member's reservations ending after `fromIso`, every status. */
export async function memberReservations(
  db: Executor,
  memberId: string,
  fromIso: string,
): Promise<ReservationRow[]> {
  return db
    .selectFrom("reservations as r")
    .innerJoin("pcs as p", "p.id", "r.pc_id")
    .leftJoin("members as m", "m.id", "r.member_id")
    .selectAll("r")
    .select(["p.name as pc_name", "m.member_no"])
    .where("r.member_id", "=", memberId)
    .where("r.ends_at", ">", fromIso)
    .where("r.deleted_at", "is", null)
    .orderBy("r.starts_at")
    .limit(50)
    .execute();
}

/** Member bookings nobody has claimed that started at or before `latestStartIso`. */
export async function unclaimedStarted(
  db: Executor,
  latestStartIso: string,
  centreId?: string,
): Promise<ReservationTable[]> {
  let q = db.selectFrom("reservations").selectAll();
  if (centreId) q = q.where("centre_id", "=", centreId);
  return q
    .where("kind", "=", "member")
    .where("status", "=", "booked")
    .where("starts_at", "<=", latestStartIso)
    .where("deleted_at", "is", null)
    .orderBy("starts_at")
    .limit(500)
    .execute();
}
