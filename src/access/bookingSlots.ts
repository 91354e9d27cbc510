// How a booking holds its PC: as fixed 15-minute slots, one row per (PC, slot), under a unique
// index over live rows. Whatever the requests race, the database keeps one booking per PC and
// slot, on SQLite and PostgreSQL alike; cancelling or releasing tombstones the slots, so the time
// can be booked again. Also the time checks every booking passes, and how a clash is named.

import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { ReservationTable } from "../db/schema.ts";
import { Conflict, type FieldProblem } from "../server/errors.ts";
import { localTime, openThroughout, type CentreTime } from "./centreTime.ts";
import { insertReservation, insertSlots, liveSlots, type TakenSlot } from "./reservationQueries.ts";
import { SLOT_MINUTES, SLOT_MS } from "./reservationSettings.ts";
import { unlessTaken } from "./transactions.ts";

function slotStarts(start: Date, minutes: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < minutes / SLOT_MINUTES; i++)
    out.push(new Date(start.getTime() + i * SLOT_MS).toISOString());
  return out;
}

/** The time checks every booking passes: whole slots, in the future, within reach, while open. */
export function timeProblems(
  start: Date | null,
  minutes: number,
  limits: { min: number; max: number; horizonDays: number },
  ct: CentreTime,
  now: Date,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!start || Number.isNaN(start.getTime())) {
    problems.push({ path: "/start", code: "invalid_format" });
  } else if (start.getTime() % SLOT_MS !== 0) {
    problems.push({ path: "/start", code: "not_on_slot", params: { slot: SLOT_MINUTES } });
  } else if (start.getTime() < now.getTime()) {
    problems.push({ path: "/start", code: "in_past" });
  } else if (start.getTime() > now.getTime() + limits.horizonDays * 86_400_000) {
    problems.push({ path: "/start", code: "beyond_horizon", params: { days: limits.horizonDays } });
  }
  if (!Number.isInteger(minutes) || minutes % SLOT_MINUTES !== 0 || minutes <= 0) {
    problems.push({ path: "/minutes", code: "not_whole_slots", params: { slot: SLOT_MINUTES } });
  } else if (minutes < limits.min) {
    problems.push({ path: "/minutes", code: "booking_too_short", params: { min: limits.min } });
  } else if (minutes > limits.max) {
    problems.push({ path: "/minutes", code: "booking_too_long", params: { max: limits.max } });
  }
  if (problems.length === 0 && start) {
    const end = new Date(start.getTime() + minutes * 60_000);
    if (!openThroughout(start, end, ct)) problems.push({ path: "/start", code: "outside_hours" });
  }
  return problems;
}

/** Taken slots as runs per PC: "PC-03 10:00–10:30, PC-04 11:00–11:15". */
export function describeClashes(slots: TakenSlot[], timeZone: string): string {
  const runs: { pc: string; from: number; to: number; id: string }[] = [];
  for (const s of slots) {
    const t = new Date(s.slot_start).getTime();
    const last = runs[runs.length - 1];
    if (last && last.pc === s.pc_name && last.to === t && last.id === s.reservation_id) last.to = t + SLOT_MS;
    else runs.push({ pc: s.pc_name, from: t, to: t + SLOT_MS, id: s.reservation_id });
  }
  return runs
    .map((r) => `${r.pc} ${localTime(new Date(r.from), timeZone)}–${localTime(new Date(r.to), timeZone)}`)
    .join(", ");
}

export function slotTaken(clashes: string): Conflict {
  return new Conflict("slot_taken", [{ path: "/start", code: "slot_taken", params: { clashes } }]);
}

/**
 * Inserts a reservation with its slots. The unique (pc, slot) index over live rows decides: a
 * slot someone else holds (or took a moment ago, in a transaction that raced this one) refuses
 * the insert on both databases. The insert runs under a savepoint so that, after a refusal, the
 * transaction can still read who holds the time and say so.
 */
export async function insertBooking(
  db: Executor,
  row: ReservationTable,
  onTaken: (clashes: string) => Error,
  timeZone: string,
): Promise<void> {
  const slots = slotStarts(
    new Date(row.starts_at),
    (Date.parse(row.ends_at) - Date.parse(row.starts_at)) / 60_000,
  );
  const inserted = await unlessTaken(db, async () => {
    await insertReservation(db, row);
    await insertSlots(
      db,
      slots.map((slot_start) => ({
        id: newId(),
        centre_id: row.centre_id,
        reservation_id: row.id,
        pc_id: row.pc_id,
        slot_start,
        created_at: row.created_at,
        updated_at: row.created_at,
        deleted_at: null,
      })),
    );
  });
  if (inserted) return;
  const taken = await liveSlots(db, [row.pc_id], row.starts_at, row.ends_at);
  throw onTaken(
    describeClashes(taken, timeZone) ||
      `${localTime(row.starts_at, timeZone)}–${localTime(row.ends_at, timeZone)}`,
  );
}
