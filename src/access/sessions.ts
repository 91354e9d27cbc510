// Timed sessions on public PCs: start (member, card or guest pass) within the rules, extend,
// auto-extend when nobody waits, move, end, and end on time or at closing.

import crypto from "node:crypto";
import { recordAudit } from "../audit/recordAudit.ts";
import { findCentreById } from "../centres/queries.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { MemberTable, PcSessionTable, PcTable } from "../db/schema.ts";
import { findCategory, findMemberById } from "../members/queries.ts";
import { Conflict, NotFound } from "../server/errors.ts";
import type { AccessCtx } from "./context.ts";
import { pcsChanged } from "./events.ts";
import { onPcFreed } from "./queue.ts";
import {
  activeBan,
  findGuestPass,
  findPc,
  findSession,
  insertSession,
  runningSessionOfMember,
  runningSessionOnPc,
  sessionsDueToEnd,
  sessionsEndingBefore,
  spendGuestPass,
  updateSessionRow,
} from "./queries.ts";
import { countWaiting } from "./queueQueries.ts";
import { firstReservedSlot } from "./reservationQueries.ts";
import { allowanceFor, closesAt, timeLeft } from "./rules.ts";
import { accessStats, ageOn } from "./stats.ts";

const MIN_SESSION_MINUTES = 5;
const AUTO_EXTEND_MINUTES = 15;

export function guestCodeHash(code: string): string {
  return crypto.createHash("sha256").update(code.trim().toUpperCase().replace(/[\s-]/g, "")).digest("hex");
}

async function usablePc(db: Executor, pcId: string): Promise<PcTable> {
  const pc = await findPc(db, pcId);
  if (!pc) throw new NotFound("pc");
  if (pc.out_of_order) throw new Conflict("pc_out_of_order");
  if (await runningSessionOnPc(db, pc.id)) throw new Conflict("pc_in_use");
  return pc;
}

/** The end of a session: the allowance, closing time and the PC's next reservation, whichever first. */
async function sessionEnd(db: Executor, pc: PcTable, minutes: number, now: Date): Promise<Date> {
  const centre = await findCentreById(db, pc.centre_id);
  if (!centre) throw new NotFound("centre");
  const closing = await closesAt(db, centre, now);
  if (!closing) throw new Conflict("centre_closed");
  let end = new Date(Math.min(now.getTime() + minutes * 60000, closing.getTime()));
  const reserved = await firstReservedSlot(db, pc.id, now.toISOString(), end.toISOString());
  if (reserved) end = new Date(reserved);
  if (end.getTime() - now.getTime() < MIN_SESSION_MINUTES * 60000) {
    throw new Conflict(
      reserved ? "pc_reserved_soon" : closing.getTime() <= end.getTime() ? "closing_soon" : "no_time_left",
    );
  }
  return end;
}

async function open(
  db: Executor,
  pc: PcTable,
  who: { member: MemberTable | null; guestPassId: string | null; categoryCode: string | null },
  end: Date,
  ctx: AccessCtx,
): Promise<PcSessionTable> {
  const now = ctx.clock.now();
  const iso = now.toISOString();
  const row: PcSessionTable = {
    id: newId(),
    centre_id: pc.centre_id,
    pc_id: pc.id,
    member_id: who.member?.id ?? null,
    guest_pass_id: who.guestPassId,
    started_at: iso,
    ends_at: end.toISOString(),
    ended_at: null,
    end_reason: null,
    extended_minutes: 0,
    ...accessStats(who.member, who.categoryCode, now),
    created_at: iso,
    updated_at: iso,
    deleted_at: null,
  };
  await insertSession(db, row);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "pc_session.started",
      entity: "pc_session",
      entityId: row.id,
      centreId: pc.centre_id,
      details: { pc: pc.name, member: who.member?.member_no ?? null, ends_at: row.ends_at },
    },
    ctx.clock,
  );
  pcsChanged(pc.centre_id);
  return row;
}

/** Starts a member's session within their category's allowance. */
export async function startMemberSession(
  db: Executor,
  pcId: string,
  member: MemberTable,
  ctx: AccessCtx,
): Promise<PcSessionTable> {
  const pc = await usablePc(db, pcId);
  if (member.status !== "active") throw new Conflict("member_not_active_for_pc");
  const now = ctx.clock.now();
  const ban = await activeBan(db, member.id, now.toISOString());
  if (ban)
    throw new Conflict("member_banned", [
      { path: "/member", code: "banned", params: { until: ban.until.slice(0, 10) } },
    ]);
  if (pc.min_age !== null && (!member.date_of_birth || ageOn(member.date_of_birth, now) < pc.min_age)) {
    throw new Conflict("pc_age_limit", [{ path: "/pc", code: "age_limit", params: { age: pc.min_age } }]);
  }
  if (await runningSessionOfMember(db, member.id)) throw new Conflict("member_has_session");
  const centre = await findCentreById(db, pc.centre_id);
  if (!centre) throw new NotFound("centre");
  const allowance = await allowanceFor(db, pc.centre_id, member.category_id);
  const left = await timeLeft(db, member.id, allowance, now, centre.time_zone);
  if (left.week <= 0) throw new Conflict("no_time_left_week");
  if (left.today <= 0) throw new Conflict("no_time_left_today");
  const end = await sessionEnd(db, pc, left.session, now);
  const category = member.category_id ? await findCategory(db, member.category_id) : undefined;
  return open(db, pc, { member, guestPassId: null, categoryCode: category?.code ?? null }, end, ctx);
}

/** Starts a guest's session on a printed single-use pass. */
export async function startGuestSession(
  db: Executor,
  pcId: string,
  code: string,
  ctx: AccessCtx,
): Promise<PcSessionTable> {
  const pc = await usablePc(db, pcId);
  const now = ctx.clock.now();
  const pass = await findGuestPass(db, guestCodeHash(code));
  if (!pass || pass.centre_id !== pc.centre_id || pass.used_at || pass.valid_until < now.toISOString()) {
    throw new Conflict("guest_pass_invalid");
  }
  const end = await sessionEnd(db, pc, pass.minutes, now);
  if (!(await spendGuestPass(db, pass.id, now.toISOString()))) throw new Conflict("guest_pass_invalid");
  return open(db, pc, { member: null, guestPassId: pass.id, categoryCode: "guest" }, end, ctx);
}

async function runningSession(db: Executor, id: string): Promise<PcSessionTable> {
  const s = await findSession(db, id);
  if (!s || s.ended_at || s.deleted_at) throw new NotFound("pc_session");
  return s;
}

export async function endSession(
  db: Executor,
  id: string,
  reason: "user" | "staff" | "time" | "closing" | "moved",
  ctx: AccessCtx,
  at?: Date,
): Promise<PcSessionTable> {
  const s = await runningSession(db, id);
  const now = ctx.clock.now();
  const when = at && at < now ? at : now;
  const iso = when.toISOString();
  await updateSessionRow(db, s.id, { ended_at: iso, end_reason: reason, updated_at: now.toISOString() });
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "pc_session.ended",
      entity: "pc_session",
      entityId: s.id,
      centreId: s.centre_id,
      details: { reason },
    },
    ctx.clock,
  );
  // A freed PC goes to the next person in the walk-in queue.
  if (reason !== "moved") await onPcFreed(db, s.centre_id, s.pc_id, ctx.clock);
  pcsChanged(s.centre_id);
  return { ...s, ended_at: iso, end_reason: reason };
}

/** Staff add time; the new end still respects closing time and the next reservation. */
export async function extendSession(
  db: Executor,
  id: string,
  minutes: number,
  ctx: AccessCtx,
): Promise<PcSessionTable> {
  const s = await runningSession(db, id);
  const pc = await findPc(db, s.pc_id);
  if (!pc) throw new NotFound("pc");
  const now = ctx.clock.now();
  const from = new Date(Math.max(Date.parse(s.ends_at), now.getTime()));
  const centre = await findCentreById(db, pc.centre_id);
  const closing = centre ? await closesAt(db, centre, now) : null;
  let end = new Date(from.getTime() + minutes * 60000);
  if (closing && end > closing) end = closing;
  const reserved = await firstReservedSlot(db, pc.id, from.toISOString(), end.toISOString());
  if (reserved) end = new Date(reserved);
  if (end <= from) throw new Conflict(reserved ? "pc_reserved_soon" : "closing_soon");
  const added = Math.round((end.getTime() - Date.parse(s.ends_at)) / 60000);
  await updateSessionRow(db, s.id, {
    ends_at: end.toISOString(),
    extended_minutes: s.extended_minutes + Math.max(0, added),
    updated_at: now.toISOString(),
  });
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "pc_session.extended",
      entity: "pc_session",
      entityId: s.id,
      centreId: s.centre_id,
      details: { minutes: added },
    },
    ctx.clock,
  );
  pcsChanged(s.centre_id);
  return { ...s, ends_at: end.toISOString() };
}

/** Moves a running session to another free PC; the time left moves with it. */
export async function moveSession(
  db: Executor,
  id: string,
  toPcId: string,
  ctx: AccessCtx,
): Promise<PcSessionTable> {
  const s = await runningSession(db, id);
  const to = await usablePc(db, toPcId);
  if (to.centre_id !== s.centre_id) throw new Conflict("pc_other_centre");
  await endSession(db, s.id, "moved", ctx);
  const now = ctx.clock.now().toISOString();
  const row: PcSessionTable = {
    ...s,
    id: newId(),
    pc_id: to.id,
    started_at: now,
    created_at: now,
    updated_at: now,
  };
  await insertSession(db, row);
  await onPcFreed(db, s.centre_id, s.pc_id, ctx.clock);
  pcsChanged(s.centre_id);
  return row;
}

/**
 * The server runs this every few seconds: sessions past their end are ended (the kiosk agent has
 * usually ended the desktop already), and sessions about to end are extended when nobody waits
 * and the member still has time.
 */
export async function tickSessions(db: Executor, clock: Clock): Promise<{ ended: number; extended: number }> {
  const ctx: AccessCtx = { actor: { kind: "system", name: "rasai" }, clock };
  const now = clock.now();
  let ended = 0;
  let extended = 0;
  for (const s of await sessionsEndingBefore(db, new Date(now.getTime() + 60000).toISOString())) {
    if (Date.parse(s.ends_at) <= now.getTime()) continue;
    if (!s.member_id || (await countWaiting(db, s.centre_id)) > 0) continue;
    const centre = await findCentreById(db, s.centre_id);
    const member = await findMemberById(db, s.member_id);
    if (!centre || !member) continue;
    const left = await timeLeft(
      db,
      member.id,
      await allowanceFor(db, s.centre_id, member.category_id),
      now,
      centre.time_zone,
    );
    // Time still to run in this session counts as used already by timeLeft's reckoning up to now.
    const remaining =
      Math.min(left.today, left.week) - Math.ceil((Date.parse(s.ends_at) - now.getTime()) / 60000);
    if (remaining < MIN_SESSION_MINUTES) continue;
    try {
      await extendSession(db, s.id, Math.min(AUTO_EXTEND_MINUTES, remaining), ctx);
      extended++;
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
    }
  }
  for (const s of await sessionsDueToEnd(db, now.toISOString())) {
    await endSession(db, s.id, "time", ctx, new Date(s.ends_at));
    ended++;
  }
  return { ended, extended };
}
