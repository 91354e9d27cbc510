import type { Actor } from "../audit/actor.ts";
import { recordAudit } from "../audit/recordAudit.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import { NotFound, ValidationFailed } from "../server/errors.ts";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from "./passwords.ts";
import { findStaffById, updateStaffUser } from "./queries.ts";
import { closeOtherSessions } from "./sessions.ts";

export function checkNewPassword(password: string, path = "/new_password"): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new ValidationFailed([{ path, code: "too_short", params: { limit: PASSWORD_MIN_LENGTH } }]);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new ValidationFailed([{ path, code: "too_long", params: { limit: PASSWORD_MAX_LENGTH } }]);
  }
}

/** A signed-in staff member changes their own password; their other sessions end. */
export async function changePassword(
  db: Executor,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionId: string },
  ctx: { actor: Actor; clock: Clock },
): Promise<void> {
  const user = await findStaffById(db, input.userId);
  if (!user) throw new NotFound("staff_user");
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new ValidationFailed([{ path: "/current_password", code: "wrong_password" }]);
  }
  checkNewPassword(input.newPassword);
  if (input.newPassword === input.currentPassword) {
    throw new ValidationFailed([{ path: "/new_password", code: "same_password" }]);
  }
  const now = ctx.clock.now().toISOString();
  await updateStaffUser(db, user.id, {
    password_hash: await hashPassword(input.newPassword),
    password_changed_at: now,
    updated_at: now,
  });
  await closeOtherSessions(db, "staff", user.id, input.keepSessionId);
  await recordAudit(
    db,
    ctx.actor,
    { action: "staff.password_changed", entity: "staff_user", entityId: user.id, centreId: user.centre_id },
    ctx.clock,
  );
}
