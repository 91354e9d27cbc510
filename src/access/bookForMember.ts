// Booking a PC for a member: at the desk for a member of its centre, or online by the member.

import { recordAudit } from "../audit/recordAudit.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { ReservationTable } from "../db/schema.ts";
import { assertCentreAccess, assertRole, DESK } from "../identity/policy.ts";
import { findMemberById } from "../members/queries.ts";
import { Conflict, Forbidden, ValidationFailed, type FieldProblem } from "../server/errors.ts";
import { insertBooking, slotTaken, timeProblems } from "./bookingSlots.ts";
import { centreTime, localDate, localTime, type CentreTime } from "./centreTime.ts";
import type { AccessCtx } from "./context.ts";
import { activeBan, categoryCode, findPc } from "./queries.ts";
import { memberLiveBookings } from "./reservationQueries.ts";
import { reservationSettings, type ReservationSettings } from "./reservationSettings.ts";
import { accessStats, ageOn } from "./stats.ts";
import { inTransaction, lockRow } from "./transactions.ts";

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
  ctx: AccessCtx,
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
