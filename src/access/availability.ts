// What a day looks like at a centre: PCs × slots, free or booked by whom, and the day's bookings.

import type { Executor } from "../db/connect.ts";
import type { PcTable } from "../db/schema.ts";
import { ValidationFailed } from "../server/errors.ts";
import { centreTime, daySlots, localToInstant } from "./centreTime.ts";
import { listPcs } from "./queries.ts";
import { centreReservations, liveSlots, type TakenSlot } from "./reservationQueries.ts";
import { SLOT_MS } from "./reservationSettings.ts";

export interface Availability {
  day: string;
  timeZone: string;
  /** Bookable slot starts (ISO) while the centre is open that day. */
  slots: string[];
  pcs: Pick<PcTable, "id" | "name" | "room" | "out_of_order">[];
  /** Live slots that day, keyed `${pc_id}|${slot_start}`. */
  taken: Map<string, TakenSlot>;
}

/** PCs × slots for a local day at a centre: what is free and what is booked by whom. */
export async function availability(db: Executor, centreId: string, day: string): Promise<Availability> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
    throw new ValidationFailed([{ path: "/day", code: "invalid_format" }]);
  const ct = await centreTime(db, centreId);
  const slots = daySlots(day, ct);
  const pcs = await listPcs(db, centreId, "lounge");
  const taken = new Map<string, TakenSlot>();
  if (slots.length) {
    const from = slots[0]!.toISOString();
    const to = new Date(slots[slots.length - 1]!.getTime() + SLOT_MS).toISOString();
    for (const s of await liveSlots(
      db,
      pcs.map((p) => p.id),
      from,
      to,
    ))
      taken.set(`${s.pc_id}|${s.slot_start}`, s);
  }
  return {
    day,
    timeZone: ct.timeZone,
    slots: slots.map((s) => s.toISOString()),
    pcs: pcs.map((p) => ({ id: p.id, name: p.name, room: p.room, out_of_order: p.out_of_order })),
    taken,
  };
}

/** The day's reservations at a centre (every status), for the desk's list. */
export async function dayReservations(db: Executor, centreId: string, day: string) {
  const ct = await centreTime(db, centreId);
  const from = localToInstant(day, "00:00", ct.timeZone);
  if (!from) throw new ValidationFailed([{ path: "/day", code: "invalid_format" }]);
  const to = new Date(from.getTime() + 86_400_000);
  return centreReservations(db, centreId, from.toISOString(), to.toISOString());
}
