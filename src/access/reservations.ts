// PC reservations: members book a PC for a time (online or at the desk), the desk block-books the
// training lab for a class, bookings nobody comes for are released after a grace period.
//
// A booking is stored as fixed 15-minute slots, one row per (PC, slot), under a unique index over
// live rows: whatever the requests race, the database keeps one booking per PC and slot, on
// SQLite and PostgreSQL alike. Cancelling or releasing tombstones the slots, so the time can be
// booked again. Every reservation keeps category, age group and gender (never identity).

import { sql } from "kysely";
import type { Actor } from "../audit/actor.ts";
import { recordAudit } from "../audit/recordAudit.ts";
import { isOpenAt, localParts, spansOn } from "../centres/openingHours.ts";
import { exceptionFromRow } from "../centres/presenters.ts";
import { findCentreById, listHoursExceptions } from "../centres/queries.ts";
import type { HoursException, OpeningHours } from "../centres/schemas.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { AccessStats, PcTable, ReservationTable } from "../db/schema.ts";
import { zonedLocalToUtc } from "../i18n/zonedTime.ts";
import { assertCentreAccess, assertRole, DESK } from "../identity/policy.ts";
import { findMemberById } from "../members/queries.ts";
import { Conflict, Forbidden, NotFound, ValidationFailed, type FieldProblem } from "../server/errors.ts";
import { ageOn, accessStats } from "./stats.ts";
import { activeBan, categoryCode, findPc, listPcs } from "./queries.ts";
import {
  centreReservations,
  changeReservationStatus,
  findReservation,
  freeSlots,
  insertReservation,
  insertSlots,
  liveSlots,
  memberLiveBookings,
  unclaimedStarted,
  type TakenSlot,
} from "./reservationQueries.ts";
import { inTransaction, isUniqueViolation, lockRow } from "./transactions.ts";
import {
  reservationSettings,
  SLOT_MINUTES,
  SLOT_MS,
  type ReservationSettings,
} from "./reservationSettings.ts";

export interface ReservationCtx {
  actor: Actor;
  clock: Clock;
}

/** How early before its start the desk may mark a booking as claimed. */
export const CLAIM_EARLY_MS = SLOT_MS;
/** The longest class block: a whole day. */
export const CLASS_MAX_MINUTES = 600;
/** How far ahead a class may be booked. */
export const CLASS_HORIZON_DAYS = 180;

// ---- the centre's clock and hours -------------------------------------------------------------

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

function slotStarts(start: Date, minutes: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < minutes / SLOT_MINUTES; i++)
    out.push(new Date(start.getTime() + i * SLOT_MS).toISOString());
  return out;
}

/** The time checks every booking passes: whole slots, in the future, within reach, while open. */
function timeProblems(
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

function slotTaken(clashes: string): Conflict {
  return new Conflict("slot_taken", [{ path: "/start", code: "slot_taken", params: { clashes } }]);
}

/**
 * Inserts a reservation with its slots. The unique (pc, slot) index over live rows decides: a
 * slot someone else holds (or took a moment ago, in a transaction that raced this one) refuses
 * the insert on both databases. The insert runs under a savepoint so that, after a refusal, the
 * transaction can still read who holds the time and say so.
 */
async function insertBooking(
  db: Executor,
  row: ReservationTable,
  onTaken: (clashes: string) => Error,
  timeZone: string,
): Promise<void> {
  const slots = slotStarts(
    new Date(row.starts_at),
    (Date.parse(row.ends_at) - Date.parse(row.starts_at)) / 60_000,
  );
  await sql`savepoint reservation_slots`.execute(db);
  try {
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
    await sql`release savepoint reservation_slots`.execute(db);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await sql`rollback to savepoint reservation_slots`.execute(db);
    await sql`release savepoint reservation_slots`.execute(db);
    const taken = await liveSlots(db, [row.pc_id], row.starts_at, row.ends_at);
    throw onTaken(
      describeClashes(taken, timeZone) ||
        `${localTime(row.starts_at, timeZone)}–${localTime(row.ends_at, timeZone)}`,
    );
  }
}

// ---- booking for a member ---------------------------------------------------------------------

export interface MemberBookingInput {
  pcId: string;
  memberId: string;
  /** The first slot's start (an instant); null when the form's date or time was malformed. */
  startsAt: Date | string | null;
  minutes: number;
}

/**
 * Books a PC for a member: the desk (front-desk staff, managers, headquarters) for a member of
 * its centre, or a signed-in member for themselves. Run it in a transaction (it opens one when
 * given the database): the slots go in with the reservation, and a slot someone else took first
 * comes back as Conflict("slot_taken").
 */
export async function bookForMember(
  db: Executor,
  input: MemberBookingInput,
  ctx: ReservationCtx,
): Promise<ReservationTable> {
  const { actor } = ctx;
  if (actor.kind === "member") {
    if (actor.id !== input.memberId) throw new Forbidden();
  } else {
    assertRole(actor, DESK);
  }
  return inTransaction(db, async (trx) => {
    const now = ctx.clock.now();
    const pc = await findPc(trx, input.pcId);
    if (!pc) throw new ValidationFailed([{ path: "/pc_id", code: "invalid_choice" }]);
    if (actor.kind !== "member") assertCentreAccess(actor, pc.centre_id);
    const member = await findMemberById(trx, input.memberId);
    if (!member || member.status !== "active")
      throw new ValidationFailed([{ path: "/member_no", code: "member_not_bookable" }]);
    if (member.centre_id !== pc.centre_id) {
      throw new ValidationFailed(
        actor.kind === "member"
          ? [{ path: "/pc_id", code: "invalid_choice" }]
          : [{ path: "/member_no", code: "member_other_centre" }],
      );
    }
    const problems: FieldProblem[] = [];
    if (pc.out_of_order) problems.push({ path: "/pc_id", code: "pc_out_of_order", params: { pc: pc.name } });
    if (pc.min_age && member.date_of_birth && ageOn(member.date_of_birth, now) < pc.min_age)
      problems.push({ path: "/pc_id", code: "pc_min_age", params: { pc: pc.name, age: pc.min_age } });
    const banned = await activeBan(trx, member.id, now.toISOString());
    if (banned) problems.push({ path: "/member_no", code: "member_banned" });
    const settings = await reservationSettings(trx, pc.centre_id);
    const ct = await centreTime(trx, pc.centre_id);
    const start = input.startsAt === null ? null : new Date(input.startsAt);
    problems.push(
      ...timeProblems(
        start,
        input.minutes,
        { min: settings.min_minutes, max: settings.max_minutes, horizonDays: settings.horizon_days },
        ct,
        now,
      ),
    );
    if (problems.length) throw new ValidationFailed(problems);
    const startsAt = start!;
    const endsAt = new Date(startsAt.getTime() + input.minutes * 60_000);

    // One member's requests take turns, so the limits below hold even when they race.
    await lockRow(trx, "members", member.id);
    await checkMemberLimits(trx, member.id, startsAt, endsAt, settings, ct, now);

    // No look-before-you-book: the unique index is the one rule, and it names the clash.
    const nowIso = now.toISOString();
    const stats = accessStats(member, await categoryCode(trx, member.category_id), now);
    const row: ReservationTable = {
      id: newId(),
      centre_id: pc.centre_id,
      pc_id: pc.id,
      member_id: member.id,
      kind: "member",
      title: "",
      starts_at: startsAt.toISOString(),
      ends_at: endsAt.toISOString(),
      status: "booked",
      ...stats,
      created_at: nowIso,
      updated_at: nowIso,
      deleted_at: null,
    };
    await insertBooking(trx, row, slotTaken, ct.timeZone);
    await recordAudit(
      trx,
      actor,
      {
        action: "reservation.booked",
        entity: "reservation",
        entityId: row.id,
        centreId: row.centre_id,
        details: { pc: pc.name, member_no: member.member_no, starts_at: row.starts_at, ends_at: row.ends_at },
      },
      ctx.clock,
    );
    return row;
  });
}

/** At most N bookings not yet ended, none overlapping, and the configured gap between them. */
async function checkMemberLimits(
  db: Executor,
  memberId: string,
  start: Date,
  end: Date,
  settings: ReservationSettings,
  ct: CentreTime,
  now: Date,
): Promise<void> {
  const live = await memberLiveBookings(db, memberId, now.toISOString());
  if (live.length >= settings.max_future) {
    throw new Conflict("too_many_bookings", [
      { path: "/start", code: "too_many_bookings", params: { max: settings.max_future } },
    ]);
  }
  const gap = settings.gap_minutes * 60_000;
  for (const b of live) {
    const bs = Date.parse(b.starts_at);
    const be = Date.parse(b.ends_at);
    const when = `${localDate(b.starts_at, ct.timeZone)} ${localTime(b.starts_at, ct.timeZone)}–${localTime(b.ends_at, ct.timeZone)}`;
    if (bs < end.getTime() && start.getTime() < be) {
      throw new Conflict("member_overlap", [{ path: "/start", code: "member_overlap", params: { when } }]);
    }
    if (gap > 0 && bs < end.getTime() + gap && start.getTime() < be + gap) {
      throw new Conflict("too_close", [
        { path: "/start", code: "too_close", params: { when, gap: settings.gap_minutes } },
      ]);
    }
  }
}

// ---- classes ----------------------------------------------------------------------------------

export interface ClassBookingInput {
  title: string;
  /** Chosen lab PCs, or "all" (an empty list means all too). */
  pcIds: string[] | "all";
  startsAt: Date | string | null;
  minutes: number;
}

/**
 * Block-books the training lab (every lab PC, or the chosen ones) for a class. Anything already
 * booked in that time refuses the whole block, naming each clashing PC and time.
 */
export async function bookClass(
  db: Executor,
  centreId: string,
  input: ClassBookingInput,
  ctx: ReservationCtx,
): Promise<ReservationTable[]> {
  assertRole(ctx.actor, DESK);
  assertCentreAccess(ctx.actor, centreId);
  return inTransaction(db, async (trx) => {
    const now = ctx.clock.now();
    const problems: FieldProblem[] = [];
    const title = input.title.trim();
    if (!title) problems.push({ path: "/title", code: "required" });
    else if (title.length > 120) problems.push({ path: "/title", code: "too_long", params: { limit: 120 } });
    const lab = (await listPcs(trx, centreId, "lounge")).filter((p) => p.room === "lab" && !p.out_of_order);
    let pcs: PcTable[];
    if (input.pcIds === "all" || input.pcIds.length === 0) {
      pcs = lab;
      if (lab.length === 0) problems.push({ path: "/pc_ids", code: "no_lab_pcs" });
    } else {
      const wanted = new Set(input.pcIds);
      pcs = lab.filter((p) => wanted.has(p.id));
      if (pcs.length !== wanted.size) problems.push({ path: "/pc_ids", code: "invalid_choice" });
    }
    const ct = await centreTime(trx, centreId);
    const start = input.startsAt === null ? null : new Date(input.startsAt);
    problems.push(
      ...timeProblems(
        start,
        input.minutes,
        { min: SLOT_MINUTES, max: CLASS_MAX_MINUTES, horizonDays: CLASS_HORIZON_DAYS },
        ct,
        now,
      ),
    );
    if (problems.length) throw new ValidationFailed(problems);
    const startsAt = start!;
    const endsAt = new Date(startsAt.getTime() + input.minutes * 60_000);
    const clash = (clashes: string) =>
      new Conflict("class_clash", [{ path: "/pc_ids", code: "class_clash", params: { clashes } }]);
    const taken = await liveSlots(
      trx,
      pcs.map((p) => p.id),
      startsAt.toISOString(),
      endsAt.toISOString(),
    );
    if (taken.length) throw clash(describeClashes(taken, ct.timeZone));

    const nowIso = now.toISOString();
    const stats: AccessStats = { category_code: "class", age_group: null, gender: null };
    const rows: ReservationTable[] = [];
    for (const pc of pcs) {
      const row: ReservationTable = {
        id: newId(),
        centre_id: centreId,
        pc_id: pc.id,
        member_id: null,
        kind: "class",
        title,
        starts_at: startsAt.toISOString(),
        ends_at: endsAt.toISOString(),
        status: "booked",
        ...stats,
        created_at: nowIso,
        updated_at: nowIso,
        deleted_at: null,
      };
      await insertBooking(trx, row, clash, ct.timeZone);
      rows.push(row);
    }
    await recordAudit(
      trx,
      ctx.actor,
      {
        action: "reservation.class_booked",
        entity: "reservation",
        entityId: rows[0]?.id ?? null,
        centreId,
        details: {
          title,
          pcs: pcs.map((p) => p.name),
          starts_at: startsAt.toISOString(),
          ends_at: endsAt.toISOString(),
        },
      },
      ctx.clock,
    );
    return rows;
  });
}

// ---- cancel, claim, release -------------------------------------------------------------------

async function loadFor(db: Executor, id: string, actor: Actor): Promise<ReservationTable> {
  const r = await findReservation(db, id);
  if (!r) throw new NotFound("reservation");
  if (actor.kind === "member") {
    if (r.member_id !== actor.id) throw new NotFound("reservation");
  } else {
    assertRole(actor, DESK);
    assertCentreAccess(actor, r.centre_id);
  }
  return r;
}

/**
 * Cancels a booking and frees its slots. A member cancels their own booking before it starts;
 * the desk cancels any booking (or class) of its centre that still holds its PC.
 */
export async function cancelReservation(
  db: Executor,
  id: string,
  ctx: ReservationCtx,
): Promise<ReservationTable> {
  return inTransaction(db, async (trx) => {
    const r = await loadFor(trx, id, ctx.actor);
    const now = ctx.clock.now();
    const nowIso = now.toISOString();
    if (ctx.actor.kind === "member") {
      if (r.status !== "booked") throw new Conflict("reservation_not_booked");
      if (Date.parse(r.starts_at) <= now.getTime()) throw new Conflict("reservation_started");
    } else if ((r.status !== "booked" && r.status !== "claimed") || Date.parse(r.ends_at) <= now.getTime()) {
      throw new Conflict("reservation_not_booked");
    }
    if (!(await changeReservationStatus(trx, r.id, r.status, "cancelled", nowIso)))
      throw new Conflict("reservation_not_booked");
    await freeSlots(trx, r.id, nowIso);
    await recordAudit(
      trx,
      ctx.actor,
      {
        action: "reservation.cancelled",
        entity: "reservation",
        entityId: r.id,
        centreId: r.centre_id,
        details: { kind: r.kind, starts_at: r.starts_at },
      },
      ctx.clock,
    );
    return { ...r, status: "cancelled", updated_at: nowIso };
  });
}

/** The member has come: from a slot before the start until the end, the desk marks it claimed. */
export async function claimReservation(
  db: Executor,
  id: string,
  ctx: ReservationCtx,
): Promise<ReservationTable> {
  return inTransaction(db, async (trx) => {
    const r = await loadFor(trx, id, ctx.actor);
    if (ctx.actor.kind === "member") throw new Forbidden();
    const now = ctx.clock.now();
    if (r.status !== "booked") throw new Conflict("reservation_not_booked");
    if (now.getTime() < Date.parse(r.starts_at) - CLAIM_EARLY_MS) throw new Conflict("claim_too_early");
    if (now.getTime() >= Date.parse(r.ends_at)) throw new Conflict("reservation_over");
    const nowIso = now.toISOString();
    if (!(await changeReservationStatus(trx, r.id, "booked", "claimed", nowIso)))
      throw new Conflict("reservation_not_booked");
    await recordAudit(
      trx,
      ctx.actor,
      {
        action: "reservation.claimed",
        entity: "reservation",
        entityId: r.id,
        centreId: r.centre_id,
        details: { kind: r.kind },
      },
      ctx.clock,
    );
    return { ...r, status: "claimed", updated_at: nowIso };
  });
}

/**
 * Releases member bookings nobody claimed within the centre's grace period: the status becomes
 * "released" (the row and its statistics stay, as a no-show), the slots are freed, and the
 * released bookings are returned so the queue can call someone for those PCs.
 */
export async function releaseNoShows(
  db: Executor,
  clock: Clock,
  centreId?: string,
): Promise<ReservationTable[]> {
  return inTransaction(db, async (trx) => {
    const now = clock.now();
    const nowIso = now.toISOString();
    const released: ReservationTable[] = [];
    const graceOf = new Map<string, number>();
    for (const r of await unclaimedStarted(trx, nowIso, centreId)) {
      let grace = graceOf.get(r.centre_id);
      if (grace === undefined) {
        grace = (await reservationSettings(trx, r.centre_id)).grace_minutes;
        graceOf.set(r.centre_id, grace);
      }
      if (Date.parse(r.starts_at) + grace * 60_000 > now.getTime()) continue;
      if (!(await changeReservationStatus(trx, r.id, "booked", "released", nowIso))) continue;
      await freeSlots(trx, r.id, nowIso);
      released.push({ ...r, status: "released", updated_at: nowIso });
    }
    return released;
  });
}

// ---- the day's grid ---------------------------------------------------------------------------

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
