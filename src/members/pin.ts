// Member PINs: sign-in on the web and at a kiosk, lock-out after repeated failures, and a reset
// at the desk once staff have checked the person's identity.

import { recordAudit } from "../audit/recordAudit.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import type { MemberTable } from "../db/schema.ts";
import { AccountLocked, LoginFailed, LOCKOUT_MS, MAX_FAILED_LOGINS } from "../identity/authenticateStaff.ts";
import { burnPasswordCheck, hashPassword, verifyPassword } from "../identity/passwords.ts";
import { assertRole, DESK } from "../identity/policy.ts";
import { DomainError, ValidationFailed } from "../server/errors.ts";
import { asciiDigits, checkPin, parsePhone } from "./memberInput.ts";
import { findMemberByNumber, findMembersByPhone, updateMemberRow } from "./queries.ts";
import { loadMemberFor, type MemberCtx } from "./register.ts";

export class MemberPending extends DomainError {
  constructor() {
    super("member_pending", 403);
  }
}

export type MemberAuthResult = { ok: true; member: MemberTable } | { ok: false; error: DomainError };

/** Member number or mobile number: one login box, as people remember one or the other. */
async function candidates(db: Executor, login: string): Promise<MemberTable[]> {
  const text = asciiDigits(login.trim()).toUpperCase();
  const byNumber = await findMemberByNumber(db, text);
  if (byNumber) return [byNumber];
  const phone = parsePhone(text);
  return phone ? (await findMembersByPhone(db, phone)).slice(0, 5) : [];
}

/**
 * Checks a login and PIN. A failure is returned, not thrown, so the caller's transaction keeps
 * the failure count; five wrong PINs lock the member for 15 minutes. The answer never says
 * whether the login exists.
 */
export async function authenticateMember(
  db: Executor,
  input: { login: string; pin: string; ip: string | null },
  clock: Clock,
): Promise<MemberAuthResult> {
  const now = clock.now();
  const pin = asciiDigits(input.pin.trim());
  const found = (await candidates(db, input.login)).filter((m) => m.status !== "erased" && m.pin_hash);
  if (found.length === 0) {
    await burnPasswordCheck(pin);
    return { ok: false, error: new LoginFailed() };
  }
  for (const m of found) {
    if (m.pin_locked_until && m.pin_locked_until > now.toISOString()) continue;
    if (await verifyPassword(m.pin_hash!, pin)) {
      if (m.status === "pending") return { ok: false, error: new MemberPending() };
      await updateMemberRow(db, m.id, {
        pin_failures: 0,
        pin_locked_until: null,
        last_seen_at: now.toISOString(),
      });
      return { ok: true, member: m };
    }
  }
  // Count the failure against every candidate that is not already locked.
  let locked: MemberTable | null = null;
  for (const m of found) {
    if (m.pin_locked_until && m.pin_locked_until > now.toISOString()) {
      locked = m;
      continue;
    }
    const failures = m.pin_failures + 1;
    const lock = failures >= MAX_FAILED_LOGINS;
    await updateMemberRow(db, m.id, {
      pin_failures: lock ? 0 : failures,
      pin_locked_until: lock ? new Date(now.getTime() + LOCKOUT_MS).toISOString() : m.pin_locked_until,
    });
    if (lock) {
      locked = m;
      await recordAudit(
        db,
        { kind: "anonymous", ip: input.ip },
        { action: "member.pin_locked", entity: "member", entityId: m.id, centreId: m.centre_id },
        clock,
      );
    }
  }
  if (locked && found.length === 1) {
    const until = new Date(locked.pin_locked_until ?? now.getTime() + LOCKOUT_MS).getTime();
    const minutes = Math.max(1, Math.ceil((Math.max(until, now.getTime() + 1) - now.getTime()) / 60000));
    return { ok: false, error: new AccountLocked(Math.min(minutes, LOCKOUT_MS / 60000)) };
  }
  return { ok: false, error: new LoginFailed() };
}

/** Sets a new PIN at the desk, after staff have checked the person's identity document. */
export async function resetMemberPin(
  db: Executor,
  id: string,
  raw: Record<string, unknown>,
  ctx: MemberCtx,
): Promise<void> {
  assertRole(ctx.actor, DESK);
  const m = await loadMemberFor(db, id, ctx.actor);
  const problems = [];
  if (raw.identity_checked !== "yes")
    problems.push({ path: "/identity_checked", code: "identity_check_needed" });
  const pin = checkPin(raw, true);
  problems.push(...pin.problems);
  if (problems.length > 0 || !pin.pin) throw new ValidationFailed(problems);
  await updateMemberRow(db, id, {
    pin_hash: await hashPassword(pin.pin),
    pin_failures: 0,
    pin_locked_until: null,
    updated_at: ctx.clock.now().toISOString(),
  });
  await recordAudit(
    db,
    ctx.actor,
    { action: "member.pin_reset", entity: "member", entityId: id, centreId: m.centre_id },
    ctx.clock,
  );
}
