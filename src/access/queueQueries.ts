// The only module that touches queue tickets.

import { sql } from "kysely";
import type { Executor } from "../db/connect.ts";
import type { QueueTicketTable } from "../db/schema.ts";

export async function insertTicket(db: Executor, row: QueueTicketTable): Promise<void> {
  await db.insertInto("queue_tickets").values(row).execute();
}

/** The next number for a centre's day (1 for the day's first ticket). */
export async function nextTicketNumber(db: Executor, centreId: string, day: string): Promise<number> {
  const row = await db
    .selectFrom("queue_tickets")
    .select(sql<number | null>`max(number)`.as("last"))
    .where("centre_id", "=", centreId)
    .where("day", "=", day)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(row?.last ?? 0) + 1;
}

export async function findTicket(db: Executor, id: string): Promise<QueueTicketTable | undefined> {
  return db
    .selectFrom("queue_tickets")
    .selectAll()
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/** The day's waiting tickets, first come first. */
export async function waitingTickets(
  db: Executor,
  centreId: string,
  day: string,
  limit = 200,
): Promise<QueueTicketTable[]> {
  return db
    .selectFrom("queue_tickets")
    .selectAll()
    .where("centre_id", "=", centreId)
    .where("day", "=", day)
    .where("status", "=", "waiting")
    .where("deleted_at", "is", null)
    .orderBy("number")
    .limit(limit)
    .execute();
}

/** Waiting tickets of a centre's day; without a day, of any day not yet swept. */
export async function countWaiting(db: Executor, centreId: string, day?: string): Promise<number> {
  let q = db
    .selectFrom("queue_tickets")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("centre_id", "=", centreId);
  if (day !== undefined) q = q.where("day", "=", day);
  const row = await q.where("status", "=", "waiting").where("deleted_at", "is", null).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Moves a ticket on only if it is still in the expected status; true when it did. */
export async function changeTicket(
  db: Executor,
  id: string,
  from: QueueTicketTable["status"],
  changes: Partial<Pick<QueueTicketTable, "status" | "pc_id" | "called_at" | "claimed_at">> & {
    updated_at: string;
  },
): Promise<boolean> {
  const result = await db
    .updateTable("queue_tickets")
    .set(changes)
    .where("id", "=", id)
    .where("status", "=", from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Tickets called for a PC and not yet claimed or expired. */
export async function openCallsForPc(db: Executor, pcId: string): Promise<QueueTicketTable[]> {
  return db
    .selectFrom("queue_tickets")
    .selectAll()
    .where("pc_id", "=", pcId)
    .where("status", "=", "called")
    .where("deleted_at", "is", null)
    .execute();
}

/** A centre's called tickets whose call was made before `calledBeforeIso`. */
export async function staleCalls(
  db: Executor,
  centreId: string,
  calledBeforeIso: string,
): Promise<QueueTicketTable[]> {
  return db
    .selectFrom("queue_tickets")
    .selectAll()
    .where("centre_id", "=", centreId)
    .where("status", "=", "called")
    .where("called_at", "<", calledBeforeIso)
    .where("deleted_at", "is", null)
    .orderBy("called_at")
    .execute();
}

export interface CalledTicket extends QueueTicketTable {
  pc_name: string | null;
}

/** The most recent calls of the day (called or claimed), newest first, with their PC's name. */
export async function recentCalls(
  db: Executor,
  centreId: string,
  day: string,
  limit: number,
): Promise<CalledTicket[]> {
  return db
    .selectFrom("queue_tickets as q")
    .leftJoin("pcs as p", "p.id", "q.pc_id")
    .selectAll("q")
    .select("p.name as pc_name")
    .where("q.centre_id", "=", centreId)
    .where("q.day", "=", day)
    .where("q.status", "in", ["called", "claimed"])
    .where("q.called_at", "is not", null)
    .where("q.deleted_at", "is", null)
    .orderBy("q.called_at", "desc")
    .orderBy("q.number", "desc")
    .limit(limit)
    .execute();
}

/** Waiting tickets left from earlier days: nobody is still standing there for them. */
export async function expireOldWaiting(
  db: Executor,
  centreId: string,
  today: string,
  nowIso: string,
): Promise<void> {
  await db
    .updateTable("queue_tickets")
    .set({ status: "expired", updated_at: nowIso })
    .where("centre_id", "=", centreId)
    .where("day", "<", today)
    .where("status", "in", ["waiting", "called"])
    .where("deleted_at", "is", null)
    .execute();
}
