// A centre's clock and opening hours as reservations and the queue see them: local dates and
// times in the centre's zone, whether it is open throughout a booking, and a day's bookable slots.

import { isOpenAt, localParts, spansOn } from "../centres/openingHours.ts";
import { exceptionFromRow } from "../centres/presenters.ts";
import { findCentreById, listHoursExceptions } from "../centres/queries.ts";
import type { HoursException, OpeningHours } from "../centres/schemas.ts";
import type { Executor } from "../db/connect.ts";
import { zonedLocalToUtc } from "../i18n/zonedTime.ts";
import { NotFound } from "../server/errors.ts";
import { SLOT_MS } from "./reservationSettings.ts";

export interface CentreTime {
  centreId: string;
  timeZone: string;
  hours: OpeningHours;
  exceptions: HoursException[];
}

export async function centreTime(db: Executor, centreId: string): Promise<CentreTime> {
  const centre = await findCentreById(db, centreId);
  if (!centre) throw new NotFound("centre");
  return {
    centreId,
    timeZone: centre.time_zone,
    hours: JSON.parse(centre.opening_hours) as OpeningHours,
    exceptions: (await listHoursExceptions(db, centreId)).map(exceptionFromRow),
  };
}

/** "2026-11-26" and "10:15" in the centre's zone as an instant; null when malformed. */
export function localToInstant(date: string, time: string, timeZone: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date.trim()) || !/^\d{2}:\d{2}$/.test(time.trim())) return null;
  return zonedLocalToUtc(`${date.trim()}T${time.trim()}`, timeZone);
}

/** HH:MM of an instant in the centre's zone. */
export function localTime(instant: Date | string, timeZone: string): string {
  return localParts(new Date(instant), timeZone).time;
}

export function localDate(instant: Date | string, timeZone: string): string {
  return localParts(new Date(instant), timeZone).date;
}

/** Is the centre open for the whole of [start, end)? Checked slot by slot. */
export function openThroughout(start: Date, end: Date, ct: CentreTime): boolean {
  for (let t = start.getTime(); t < end.getTime(); t += SLOT_MS) {
    const last = Math.min(t + SLOT_MS, end.getTime()) - 60_000;
    if (!isOpenAt(new Date(t), ct.timeZone, ct.hours, ct.exceptions)) return false;
    if (!isOpenAt(new Date(last), ct.timeZone, ct.hours, ct.exceptions)) return false;
  }
  return true;
}

/** The bookable slot starts of a local day: every whole slot inside the day's opening spans. */
export function daySlots(day: string, ct: CentreTime): Date[] {
  const noon = localToInstant(day, "12:00", ct.timeZone);
  if (!noon) return [];
  const out: Date[] = [];
  for (const span of spansOn(noon, ct.timeZone, ct.hours, ct.exceptions).spans) {
    const opens = localToInstant(day, span.opens, ct.timeZone);
    const closes = localToInstant(day, span.closes, ct.timeZone);
    if (!opens || !closes) continue;
    let t = Math.ceil(opens.getTime() / SLOT_MS) * SLOT_MS;
    for (; t + SLOT_MS <= closes.getTime(); t += SLOT_MS) out.push(new Date(t));
  }
  return out;
}
