import type { Actor } from "../audit/actor.ts";
import { recordAudit } from "../audit/recordAudit.ts";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import type { StaffRole, StaffUserTable } from "../db/schema.ts";
import { findCentreById } from "../centres/queries.ts";
import { Conflict, Forbidden, ValidationFailed } from "../server/errors.ts";
import type { Locale } from "../i18n/locale.ts";
import { normaliseUsername } from "./authenticateStaff.ts";
import { checkNewPassword } from "./changePassword.ts";
import { hashPassword } from "./passwords.ts";
import { assertCentreAccess, isStaffRole } from "./policy.ts";
import { findStaffByUsername, insertStaffUser } from "./queries.ts";

export interface NewStaffUser {
  username: string;
  displayName: string;
  role: StaffRole;
  centreId: string | null;
  password: string;
  locale?: Locale;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

export async function createStaffUser(
  db: Executor,
  input: NewStaffUser,
  ctx: { actor: Actor; clock: Clock },
): Promise<StaffUserTable> {
  const username = normaliseUsername(input.username);
  const problems = [];
  if (!USERNAME.test(username)) problems.push({ path: "/username", code: "invalid_username" });
  if (!input.displayName.trim()) problems.push({ path: "/display_name", code: "required" });
  if (!isStaffRole(input.role)) problems.push({ path: "/role", code: "invalid_choice" });
  if (input.role !== "hq_admin" && !input.centreId) problems.push({ path: "/centre", code: "required" });
  if (problems.length) throw new ValidationFailed(problems);
  checkNewPassword(input.password, "/password");

  // Only hq_admin may create another hq_admin; managers create staff for their own centre.
  if (ctx.actor.kind === "staff") {
    if (ctx.actor.role !== "hq_admin" && (input.role === "hq_admin" || input.role === "centre_manager")) {
      throw new Forbidden();
    }
    assertCentreAccess(ctx.actor, input.centreId);
  }
  const centreId = input.role === "hq_admin" ? null : input.centreId;
  if (centreId && !(await findCentreById(db, centreId))) {
    throw new ValidationFailed([{ path: "/centre", code: "unknown_centre" }]);
  }
  if (await findStaffByUsername(db, username)) {
    throw new Conflict("username_taken", [{ path: "/username", code: "taken" }]);
  }
  const now = ctx.clock.now().toISOString();
  const row: StaffUserTable = {
    id: newId(),
    centre_id: centreId,
    username,
    display_name: input.displayName.trim(),
    role: input.role,
    password_hash: await hashPassword(input.password),
    locale: input.locale ?? "ur",
    failed_logins: 0,
    locked_until: null,
    password_changed_at: now,
    last_login_at: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await insertStaffUser(db, row);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "staff.created",
      entity: "staff_user",
      entityId: row.id,
      centreId,
      details: { username, role: row.role },
    },
    ctx.clock,
  );
  return row;
}
