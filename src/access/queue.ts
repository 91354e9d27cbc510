// The walk-in queue: a ticket from the desk or the self-service screen, numbered afresh each
// centre-local day; when a PC frees, the oldest waiting ticket is called to it and shown on the
// TV; a called ticket has a few minutes (the centre's claim window) to claim the PC before the
// next one is called. Tickets keep category, age group and gender (never identity).

import type { Actor } from "../audit/actor.ts";
import { recordAudit } from "../audit/recordAudit.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { QueueTicketTable } from "../db/schema.ts";
import { assertCentreAccess, assertRole, DESK } from "../identity/policy.ts";
import { findMemberById } from "../members/queries.ts";
import { Conflict, Forbidden, NotFound, ValidationFailed } from "../server/errors.ts";
import {
  changeTicket,
  countWaiting,
  expireOldWaiting,
  findTicket,
  insertTicket,
  nextTicketNumber,
  openCallsForPc,
  recentCalls,
  staleCalls,
  waitingTickets,
  type CalledTicket,
} from "./queueQueries.ts";
import { categoryCode, findPc, runningSessionOnPc } from "./queries.ts";
import { liveSlots } from "./reservationQueries.ts";
import { centreTime, localDate } from "./centreTime.ts";
import type { AccessCtx } from "./context.ts";
import { releaseNoShows } from "./reservationLifecycle.ts";
import { reservationSettings, SLOT_MS } from "./reservationSettings.ts";
import { accessStats } from "./stats.ts";
import { inTransaction, lockRow } from "./transactions.ts";

/** The centre-local day tickets are numbered in. */
export async function queueDay(db: Executor, centreId: string, now: Date): Promise<string> {
  return localDate(now, (await centreTime(db, centreId)).timeZone);
}

/**
 * Issues the next ticket of the day: at the desk (optionally for a member, whose category, age
 * group and gender go on the ticket), or from the self-service screen (anonymous: a guest).
 */
export async function takeTicket(
  db: Executor,
  centreId: string,
  ctx: AccessCtx,
  opts: { memberId?: string | null } = {},
): Promise<QueueTicketTable> {
  const { actor } = ctx;
  if (actor.kind === "staff") {
    assertRole(actor, DESK);
    assertCentreAccess(actor, centreId);
  } else if (actor.kind === "member") {
    if (actor.centreId !== centreId) throw new Forbidden("other_centre");
  } else if (actor.kind !== "anonymous" && actor.kind !== "system" && actor.kind !== "cli") {
    throw new Forbidden();
  }
  return inTransaction(db, async (trx) => {
    const now = ctx.clock.now();
    const nowIso = now.toISOString();
    const day = await queueDay(trx, centreId, now);
    const memberId =
      actor.kind === "member" ? actor.id : actor.kind === "staff" ? (opts.memberId ?? null) : null;
    const member = memberId ? await findMemberById(trx, memberId) : undefined;
    if (memberId && (!member || member.status !== "active" || member.centre_id !== centreId))
      throw new ValidationFailed([{ path: "/member_no", code: "member_not_bookable" }]);
    // Tickets of one centre are numbered one at a time.
    await lockRow(trx, "centres", centreId);
    const row: QueueTicketTable = {
      id: newId(),
      centre_id: centreId,
      day,
      number: await nextTicketNumber(trx, centreId, day),
      member_id: member?.id ?? null,
      status: "waiting",
      pc_id: null,
      called_at: null,
      claimed_at: null,
      ...accessStats(member ?? null, member ? await categoryCode(trx, member.category_id) : null, now),
      created_at: nowIso,
      updated_at: nowIso,
      deleted_at: null,
    };
    await insertTicket(trx, row);
    if (actor.kind === "staff") {
      await recordAudit(
        trx,
        actor,
        {
          action: "queue.ticket_issued",
          entity: "queue_ticket",
          entityId: row.id,
          centreId,
          details: { day, number: row.number },
        },
        ctx.clock,
      );
    }
    return row;
  });
}

async function checkPc(db: Executor, centreId: string, pcId: string) {
  const pc = await findPc(db, pcId);
  if (!pc || pc.centre_id !== centreId)
    throw new ValidationFailed([{ path: "/pc_id", code: "invalid_choice" }]);
  if (pc.out_of_order)
    throw new ValidationFailed([{ path: "/pc_id", code: "pc_out_of_order", params: { pc: pc.name } }]);
  return pc;
}

/**
 * Calls the oldest waiting ticket of the day to a PC. A call still open for that PC lapses (the
 * desk has moved on) when someone waits to take its place. Returns the called ticket, or null
 * when nobody waits.
 */
export async function callNext(
  db: Executor,
  centreId: string,
  pcId: string,
  clock: Clock,
): Promise<CalledTicket | null> {
  return inTransaction(db, async (trx) => {
    const now = clock.now();
    const nowIso = now.toISOString();
    const pc = await checkPc(trx, centreId, pcId);
    const day = await queueDay(trx, centreId, now);
    await expireOldWaiting(trx, centreId, day, nowIso);
    if ((await countWaiting(trx, centreId, day)) === 0) return null;
    for (const open of await openCallsForPc(trx, pc.id))
      await changeTicket(trx, open.id, "called", { status: "expired", updated_at: nowIso });
    // Another desk may call the same ticket at the same moment: the status check decides.
    for (let attempt = 0; attempt < 5; attempt++) {
      const waiting = await waitingTickets(trx, centreId, day, 5);
      if (waiting.length === 0) return null;
      for (const ticket of waiting) {
        if (
          await changeTicket(trx, ticket.id, "waiting", {
            status: "called",
            pc_id: pc.id,
            called_at: nowIso,
            updated_at: nowIso,
          })
        )
          return {
            ...ticket,
            status: "called",
            pc_id: pc.id,
            called_at: nowIso,
            updated_at: nowIso,
            pc_name: pc.name,
          };
      }
    }
    return null;
  });
}

/** Desk-side: call the next ticket to a PC. */
export async function callNextAtDesk(
  db: Executor,
  centreId: string,
  pcId: string,
  ctx: AccessCtx,
): Promise<CalledTicket | null> {
  assertRole(ctx.actor, DESK);
  assertCentreAccess(ctx.actor, centreId);
  return inTransaction(db, async (trx) => {
    const called = await callNext(trx, centreId, pcId, ctx.clock);
    if (called) {
      await recordAudit(
        trx,
        ctx.actor,
        {
          action: "queue.called",
          entity: "queue_ticket",
          entityId: called.id,
          centreId,
          details: { number: called.number, pc: called.pc_name },
        },
        ctx.clock,
      );
    }
    return called;
  });
}

async function loadTicket(db: Executor, id: string, actor: Actor): Promise<QueueTicketTable> {
  assertRole(actor, DESK);
  const ticket = await findTicket(db, id);
  if (!ticket) throw new NotFound("queue_ticket");
  assertCentreAccess(actor, ticket.centre_id);
  return ticket;
}

/** The called person is at the PC: the ticket is claimed, if its claim window is still open. */
export async function claimTicket(db: Executor, id: string, ctx: AccessCtx): Promise<QueueTicketTable> {
  return inTransaction(db, async (trx) => {
    const ticket = await loadTicket(trx, id, ctx.actor);
    if (ticket.status !== "called" || !ticket.called_at) throw new Conflict("ticket_not_called");
    const now = ctx.clock.now();
    const { claim_minutes } = await reservationSettings(trx, ticket.centre_id);
    if (now.getTime() > Date.parse(ticket.called_at) + claim_minutes * 60_000)
      throw new Conflict("call_expired");
    const nowIso = now.toISOString();
    if (
      !(await changeTicket(trx, id, "called", { status: "claimed", claimed_at: nowIso, updated_at: nowIso }))
    )
      throw new Conflict("ticket_not_called");
    await recordAudit(
      trx,
      ctx.actor,
      {
        action: "queue.claimed",
        entity: "queue_ticket",
        entityId: id,
        centreId: ticket.centre_id,
        details: { number: ticket.number },
      },
      ctx.clock,
    );
    return { ...ticket, status: "claimed", claimed_at: nowIso, updated_at: nowIso };
  });
}

/** The person left: a waiting or called ticket is cancelled. */
export async function cancelTicket(db: Executor, id: string, ctx: AccessCtx): Promise<QueueTicketTable> {
  return inTransaction(db, async (trx) => {
    const ticket = await loadTicket(trx, id, ctx.actor);
    const nowIso = ctx.clock.now().toISOString();
    if (
      (ticket.status !== "waiting" && ticket.status !== "called") ||
      !(await changeTicket(trx, id, ticket.status, { status: "cancelled", updated_at: nowIso }))
    )
      throw new Conflict("ticket_not_waiting");
    await recordAudit(
      trx,
      ctx.actor,
      {
        action: "queue.cancelled",
        entity: "queue_ticket",
        entityId: id,
        centreId: ticket.centre_id,
        details: { number: ticket.number },
      },
      ctx.clock,
    );
    return { ...ticket, status: "cancelled", updated_at: nowIso };
  });
}

/**
 * Calls the next ticket to a PC that has just come free (the sessions code calls this when a
 * session ends), unless nobody waits, the PC is out of order or in use, a call for it is still
 * open, or it is reserved within the next slot.
 */
export async function onPcFreed(
  db: Executor,
  centreId: string,
  pcId: string,
  clock: Clock,
): Promise<CalledTicket | null> {
  return inTransaction(db, async (trx) => {
    const now = clock.now();
    const pc = await findPc(trx, pcId);
    if (!pc || pc.centre_id !== centreId || pc.out_of_order) return null;
    if (await runningSessionOnPc(trx, pc.id)) return null;
    if ((await openCallsForPc(trx, pc.id)).length) return null;
    const soon = await liveSlots(
      trx,
      [pc.id],
      new Date(now.getTime() - SLOT_MS + 1).toISOString(),
      new Date(now.getTime() + SLOT_MS).toISOString(),
    );
    if (soon.length) return null;
    if ((await countWaiting(trx, centreId, await queueDay(trx, centreId, now))) === 0) return null;
    return callNext(trx, centreId, pc.id, clock);
  });
}

/**
 * Calls left unclaimed longer than the claim window lapse ("expired"); each lapsed call's PC is
 * then offered to the next ticket.
 */
export async function expireCalls(
  db: Executor,
  centreId: string,
  clock: Clock,
): Promise<{ expired: QueueTicketTable[]; called: CalledTicket[] }> {
  return inTransaction(db, async (trx) => {
    const now = clock.now();
    const nowIso = now.toISOString();
    const { claim_minutes } = await reservationSettings(trx, centreId);
    const cutoff = new Date(now.getTime() - claim_minutes * 60_000).toISOString();
    const expired: QueueTicketTable[] = [];
    for (const ticket of await staleCalls(trx, centreId, cutoff)) {
      if (await changeTicket(trx, ticket.id, "called", { status: "expired", updated_at: nowIso }))
        expired.push({ ...ticket, status: "expired", updated_at: nowIso });
    }
    const called: CalledTicket[] = [];
    for (const pcId of new Set(expired.map((t) => t.pc_id).filter((p): p is string => !!p))) {
      const next = await onPcFreed(trx, centreId, pcId, clock);
      if (next) called.push(next);
    }
    return { expired, called };
  });
}

/**
 * The timed work of a centre's access desk, run whenever its pages or the TV ask: release
 * no-shows (and call the queue to their PCs), and lapse calls nobody claimed.
 */
export async function accessSweep(
  db: Executor,
  centreId: string,
  clock: Clock,
): Promise<{ released: number; expired: number; called: CalledTicket[] }> {
  return inTransaction(db, async (trx) => {
    const released = await releaseNoShows(trx, clock, centreId);
    const called: CalledTicket[] = [];
    for (const pcId of new Set(released.map((r) => r.pc_id))) {
      const next = await onPcFreed(trx, centreId, pcId, clock);
      if (next) called.push(next);
    }
    const calls = await expireCalls(trx, centreId, clock);
    return { released: released.length, expired: calls.expired.length, called: [...called, ...calls.called] };
  });
}

export interface QueueDisplay {
  day: string;
  /** Newest first: the open calls and the last few claimed ones. */
  calls: { id: string; number: number; pc: string; active: boolean; called_at: string }[];
  waiting: number;
  /** Changes whenever a new call is made: the TV chimes on a change. */
  version: string;
}

/** What the TV shows: the latest calls with their PCs and how many are waiting. */
export async function currentDisplay(
  db: Executor,
  centreId: string,
  clock: Clock,
  limit = 6,
): Promise<QueueDisplay> {
  const day = await queueDay(db, centreId, clock.now());
  const recent = await recentCalls(db, centreId, day, limit);
  const newest = recent[0];
  return {
    day,
    calls: recent.map((t) => ({
      id: t.id,
      number: t.number,
      pc: t.pc_name ?? "",
      active: t.status === "called",
      called_at: t.called_at ?? "",
    })),
    waiting: await countWaiting(db, centreId, day),
    version: newest ? `${newest.id}@${newest.called_at}` : "",
  };
}
