// A booking's life after it is made: cancelled (by the member before it starts, or by the desk),
// claimed when the member arrives, or released as a no-show after the centre's grace period.

import type { Actor } from "../audit/actor.ts";
import { recordAudit } from "../audit/recordAudit.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import type { ReservationTable } from "../db/schema.ts";
import { assertCentreAccess, assertRole, DESK } from "../identity/policy.ts";
import { Conflict, Forbidden, NotFound } from "../server/errors.ts";
import type { AccessCtx } from "./context.ts";
import {
  changeReservationStatus,
  findReservation,
  freeSlots,
  unclaimedStarted,
} from "./reservationQueries.ts";
import { reservationSettings, SLOT_MS } from "./reservationSettings.ts";
import { inTransaction } from "./transactions.ts";

/** How early before its start the desk may mark a booking as claimed. */
export const CLAIM_EARLY_MS = SLOT_MS;

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
export async function cancelReservation(db: Executor, id: string, ctx: AccessCtx): Promise<ReservationTable> {
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
export async function claimReservation(db: Executor, id: string, ctx: AccessCtx): Promise<ReservationTable> {
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
