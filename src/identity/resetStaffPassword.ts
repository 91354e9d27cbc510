import type { Actor } from "../audit/actor.ts";
import { recordAudit } from "../audit/recordAudit.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import { Forbidden, NotFound } from "../server/errors.ts";
import { normaliseUsername } from "./authenticateStaff.ts";
import { checkNewPassword } from "./changePassword.ts";
import { hashPassword } from "./passwords.ts";
import { assertCentreAccess } from "./policy.ts";
import { findStaffByUsername, updateStaffUser } from "./queries.ts";
import { closeOtherSessions } from "./sessions.ts";

/** Sets a new password for someone else (an administrator or the CLI), unlocks them, ends their sessions. */
export async function resetStaffPassword(
  db: Executor,
  input: { username: string; newPassword: string },
  ctx: { actor: Actor; clock: Clock },
): Promise<void> {
  const user = await findStaffByUsername(db, normaliseUsername(input.username));
  if (!user) throw new NotFound("staff_user");
  assertCentreAccess(ctx.actor, user.centre_id);
  // A manager looks after their staff and instructors; managers and headquarters are headquarters' to reset.
  if (
    ctx.actor.kind === "staff" &&
    ctx.actor.role !== "hq_admin" &&
    (user.role === "hq_admin" || user.role === "centre_manager")
  ) {
    throw new Forbidden();
  }
  checkNewPassword(input.newPassword, "/password");
  const now = ctx.clock.now().toISOString();
  await updateStaffUser(db, user.id, {
    password_hash: await hashPassword(input.newPassword),
    password_changed_at: now,
    failed_logins: 0,
    locked_until: null,
    updated_at: now,
  });
  await closeOtherSessions(db, "staff", user.id);
  await recordAudit(
    db,
    ctx.actor,
    { action: "staff.password_reset", entity: "staff_user", entityId: user.id, centreId: user.centre_id },
    ctx.clock,
  );
}
