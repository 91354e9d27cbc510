// The PC register, kiosk agent tokens, rules, bans, guest passes and messages: the manager's and
// the desk's settings for public PCs.

import crypto from "node:crypto";
import { recordAudit } from "../audit/recordAudit.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { PcRoom, PcTable } from "../db/schema.ts";
import { assertCentreAccess, assertRole, DESK, MANAGERS } from "../identity/policy.ts";
import { NotFound, ValidationFailed, type FieldProblem } from "../server/errors.ts";
import { pcsChanged } from "./events.ts";
import {
  findPc,
  findPcByName,
  insertBan,
  insertGuestPass,
  insertMessage,
  insertPc,
  updatePcRow,
  upsertRule,
} from "./queries.ts";
import type { AccessCtx } from "./context.ts";
import { guestCodeHash } from "./sessions.ts";

/**
 * The secret a PC's kiosk agent presents. Derived from the server secret and a per-PC nonce, so
 * the server never stores it and can sign its answers with it; a new nonce revokes the old one.
 */
export function agentToken(secret: string, pc: Pick<PcTable, "id" | "agent_token_hash">): string {
  return crypto
    .createHmac("sha256", secret)
    .update(`kiosk-agent:${pc.id}:${pc.agent_token_hash ?? ""}`)
    .digest("base64url");
}

export function checkAgentToken(secret: string, pc: PcTable, presented: string): boolean {
  if (!pc.agent_token_hash) return false;
  const want = Buffer.from(agentToken(secret, pc));
  const got = Buffer.from(presented);
  return want.length === got.length && crypto.timingSafeEqual(want, got);
}

function pcFields(raw: Record<string, unknown>): {
  name: string;
  room: PcRoom;
  min_age: number | null;
  notes: string;
} {
  const problems: FieldProblem[] = [];
  const name = typeof raw.name === "string" ? raw.name.trim().toUpperCase() : "";
  if (!/^[A-Z0-9][A-Z0-9-]{0,19}$/.test(name)) problems.push({ path: "/name", code: "invalid_pc_name" });
  const room = raw.room === "lab" ? "lab" : raw.room === "lounge" ? "lounge" : null;
  if (!room) problems.push({ path: "/room", code: "invalid_choice" });
  const ageText = typeof raw.min_age === "string" ? raw.min_age.trim() : "";
  const min_age = ageText === "" ? null : Number(ageText);
  if (min_age !== null && (!Number.isInteger(min_age) || min_age < 1 || min_age > 99)) {
    problems.push({ path: "/min_age", code: "out_of_range", params: { min: 1, max: 99 } });
  }
  const notes = typeof raw.notes === "string" ? raw.notes.trim() : "";
  if (notes.length > 200) problems.push({ path: "/notes", code: "too_long", params: { limit: 200 } });
  if (problems.length) throw new ValidationFailed(problems);
  return { name, room: room!, min_age, notes };
}

export async function addPc(
  db: Executor,
  centreId: string,
  raw: Record<string, unknown>,
  ctx: AccessCtx,
): Promise<PcTable> {
  assertRole(ctx.actor, MANAGERS);
  assertCentreAccess(ctx.actor, centreId);
  const f = pcFields(raw);
  if (await findPcByName(db, centreId, f.name))
    throw new ValidationFailed([{ path: "/name", code: "taken" }]);
  const now = ctx.clock.now().toISOString();
  const row: PcTable = {
    id: newId(),
    centre_id: centreId,
    ...f,
    out_of_order: 0,
    agent_token_hash: crypto.randomBytes(12).toString("hex"),
    agent_seen_at: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await insertPc(db, row);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "pc.added",
      entity: "pc",
      entityId: row.id,
      centreId,
      details: { name: row.name, room: row.room },
    },
    ctx.clock,
  );
  pcsChanged(centreId);
  return row;
}

export async function loadPcFor(db: Executor, id: string, ctx: AccessCtx): Promise<PcTable> {
  const pc = await findPc(db, id);
  if (!pc) throw new NotFound("pc");
  assertCentreAccess(ctx.actor, pc.centre_id);
  return pc;
}

/** A new agent token: the old one stops working at once. */
export async function renewAgentToken(db: Executor, id: string, ctx: AccessCtx): Promise<PcTable> {
  assertRole(ctx.actor, MANAGERS);
  const pc = await loadPcFor(db, id, ctx);
  const changes = {
    agent_token_hash: crypto.randomBytes(12).toString("hex"),
    updated_at: ctx.clock.now().toISOString(),
  };
  await updatePcRow(db, id, changes);
  await recordAudit(
    db,
    ctx.actor,
    { action: "pc.token_renewed", entity: "pc", entityId: id, centreId: pc.centre_id },
    ctx.clock,
  );
  return { ...pc, ...changes };
}

export async function setOutOfOrder(
  db: Executor,
  id: string,
  outOfOrder: boolean,
  ctx: AccessCtx,
): Promise<void> {
  assertRole(ctx.actor, DESK);
  const pc = await loadPcFor(db, id, ctx);
  await updatePcRow(db, id, { out_of_order: outOfOrder ? 1 : 0, updated_at: ctx.clock.now().toISOString() });
  await recordAudit(
    db,
    ctx.actor,
    {
      action: outOfOrder ? "pc.out_of_order" : "pc.back_in_service",
      entity: "pc",
      entityId: id,
      centreId: pc.centre_id,
    },
    ctx.clock,
  );
  pcsChanged(pc.centre_id);
}

export async function sendPcMessage(
  db: Executor,
  id: string,
  raw: Record<string, unknown>,
  ctx: AccessCtx,
): Promise<void> {
  assertRole(ctx.actor, DESK);
  const pc = await loadPcFor(db, id, ctx);
  const text = typeof raw.text === "string" ? raw.text.trim() : "";
  if (!text) throw new ValidationFailed([{ path: "/text", code: "required" }]);
  if (text.length > 200)
    throw new ValidationFailed([{ path: "/text", code: "too_long", params: { limit: 200 } }]);
  const now = ctx.clock.now().toISOString();
  await insertMessage(db, {
    id: newId(),
    centre_id: pc.centre_id,
    pc_id: pc.id,
    text,
    sent_by: ctx.actor.kind === "staff" ? ctx.actor.id : null,
    seen_at: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  });
  await recordAudit(
    db,
    ctx.actor,
    { action: "pc.message_sent", entity: "pc", entityId: id, centreId: pc.centre_id, details: { text } },
    ctx.clock,
  );
}

function minutes(raw: Record<string, unknown>, key: string, max: number, problems: FieldProblem[]): number {
  const n = Number(typeof raw[key] === "string" ? (raw[key] as string).trim() : raw[key]);
  if (!Number.isInteger(n) || n < 5 || n > max)
    problems.push({ path: `/${key}`, code: "out_of_range", params: { min: 5, max } });
  return n;
}

/** A category's allowance (categoryId null: guests). */
export async function setRule(
  db: Executor,
  centreId: string,
  categoryId: string | null,
  raw: Record<string, unknown>,
  ctx: AccessCtx,
): Promise<void> {
  assertRole(ctx.actor, MANAGERS);
  assertCentreAccess(ctx.actor, centreId);
  const problems: FieldProblem[] = [];
  const daily = minutes(raw, "daily_minutes", 24 * 60, problems);
  const weekly = minutes(raw, "weekly_minutes", 7 * 24 * 60, problems);
  const session = minutes(raw, "session_minutes", 24 * 60, problems);
  if (!problems.length && weekly < daily) problems.push({ path: "/weekly_minutes", code: "below_daily" });
  if (!problems.length && session > daily) problems.push({ path: "/session_minutes", code: "above_daily" });
  if (problems.length) throw new ValidationFailed(problems);
  const now = ctx.clock.now().toISOString();
  await upsertRule(db, {
    id: newId(),
    centre_id: centreId,
    category_id: categoryId,
    daily_minutes: daily,
    weekly_minutes: weekly,
    session_minutes: session,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  });
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "access_rule.set",
      entity: "access_rule",
      entityId: categoryId,
      centreId,
      details: { daily, weekly, session },
    },
    ctx.clock,
  );
}

export async function banMember(
  db: Executor,
  centreId: string,
  memberId: string,
  raw: Record<string, unknown>,
  ctx: AccessCtx,
): Promise<void> {
  assertRole(ctx.actor, MANAGERS);
  assertCentreAccess(ctx.actor, centreId);
  const until = typeof raw.until === "string" ? raw.until.trim() : "";
  const note = typeof raw.note === "string" ? raw.note.trim() : "";
  const problems: FieldProblem[] = [];
  const today = ctx.clock.now().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(Date.parse(until)))
    problems.push({ path: "/until", code: "invalid_format" });
  else if (until <= today) problems.push({ path: "/until", code: "not_in_future" });
  if (!note) problems.push({ path: "/note", code: "required" });
  if (note.length > 300) problems.push({ path: "/note", code: "too_long", params: { limit: 300 } });
  if (problems.length) throw new ValidationFailed(problems);
  const now = ctx.clock.now().toISOString();
  const id = newId();
  await insertBan(db, {
    id,
    centre_id: centreId,
    member_id: memberId,
    until: `${until}T23:59:59.999Z`,
    note,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  });
  await recordAudit(
    db,
    ctx.actor,
    { action: "member.banned", entity: "member", entityId: memberId, centreId, details: { until, note } },
    ctx.clock,
  );
}

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** Printed single-use guest codes, each good for `minutes` until the end of `validDays`. */
export async function issueGuestPasses(
  db: Executor,
  centreId: string,
  raw: Record<string, unknown>,
  ctx: AccessCtx,
): Promise<{ codes: string[]; minutes: number; validUntil: string }> {
  assertRole(ctx.actor, DESK);
  assertCentreAccess(ctx.actor, centreId);
  const problems: FieldProblem[] = [];
  const count = Number(raw.count);
  if (!Number.isInteger(count) || count < 1 || count > 50)
    problems.push({ path: "/count", code: "out_of_range", params: { min: 1, max: 50 } });
  const mins = minutes(raw, "minutes", 240, problems);
  if (problems.length) throw new ValidationFailed(problems);
  const now = ctx.clock.now();
  const validUntil = new Date(now.getTime() + 7 * 86_400_000).toISOString();
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = crypto.randomBytes(8);
    const code = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("");
    const shown = `${code.slice(0, 4)}-${code.slice(4)}`;
    codes.push(shown);
    await insertGuestPass(db, {
      id: newId(),
      centre_id: centreId,
      code_hash: guestCodeHash(shown),
      minutes: mins,
      valid_until: validUntil,
      used_at: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      deleted_at: null,
    });
  }
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "guest_pass.issued",
      entity: "guest_pass",
      entityId: null,
      centreId,
      details: { count, minutes: mins },
    },
    ctx.clock,
  );
  return { codes, minutes: mins, validUntil };
}
