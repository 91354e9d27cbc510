import { recordAudit } from "../audit/recordAudit.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import type { StaffUserTable } from "../db/schema.ts";
import { DomainError } from "../server/errors.ts";
import { burnPasswordCheck, verifyPassword } from "./passwords.ts";
import { findStaffByUsername, updateStaffUser } from "./queries.ts";

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export class LoginFailed extends DomainError {
  constructor() {
    super("login_failed", 401);
  }
}

export class AccountLocked extends DomainError {
  constructor(minutes: number) {
    super("account_locked", 423, { minutes });
  }
}

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export type AuthResult =
  { ok: true; user: StaffUserTable } | { ok: false; error: LoginFailed | AccountLocked };

/**
 * Checks a username and password. Repeated failures lock the account for a while; the
 * answer never says whether the username exists. A failure is returned, not thrown, so
 * the caller's transaction commits the failure count and the lock.
 */
export async function authenticateStaff(
  db: Executor,
  input: { username: string; password: string; ip: string },
  clock: Clock,
): Promise<AuthResult> {
  const now = clock.now();
  const user = await findStaffByUsername(db, normaliseUsername(input.username));
  if (!user) {
    await burnPasswordCheck(input.password);
    return { ok: false, error: new LoginFailed() };
  }
  if (user.locked_until && user.locked_until > now.toISOString()) {
    const minutes = Math.ceil((new Date(user.locked_until).getTime() - now.getTime()) / 60000);
    return { ok: false, error: new AccountLocked(minutes) };
  }
  const ok = await verifyPassword(user.password_hash, input.password);
  const actor = { kind: "anonymous" as const, ip: input.ip };
  if (!ok) {
    const failed = user.failed_logins + 1;
    const lock = failed >= MAX_FAILED_LOGINS;
    await updateStaffUser(db, user.id, {
      failed_logins: lock ? 0 : failed,
      locked_until: lock ? new Date(now.getTime() + LOCKOUT_MS).toISOString() : user.locked_until,
    });
    if (lock) {
      await recordAudit(
        db,
        actor,
        { action: "staff.locked", entity: "staff_user", entityId: user.id, centreId: user.centre_id },
        clock,
      );
      return { ok: false, error: new AccountLocked(Math.ceil(LOCKOUT_MS / 60000)) };
    }
    return { ok: false, error: new LoginFailed() };
  }
  await updateStaffUser(db, user.id, {
    failed_logins: 0,
    locked_until: null,
    last_login_at: now.toISOString(),
  });
  await recordAudit(
    db,
    {
      kind: "staff",
      id: user.id,
      name: user.username,
      role: user.role,
      centreId: user.centre_id,
      ip: input.ip,
    },
    { action: "staff.login", entity: "staff_user", entityId: user.id, centreId: user.centre_id },
    clock,
  );
  return { ok: true, user };
}
