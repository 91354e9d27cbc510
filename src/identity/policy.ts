import type { Actor } from "../audit/actor.ts";
import type { StaffRole } from "../db/schema.ts";
import { Forbidden } from "../server/errors.ts";

export const STAFF_ROLES: readonly StaffRole[] = ["hq_admin", "centre_manager", "staff", "instructor"];
export const ALL_STAFF = STAFF_ROLES;
export const MANAGERS: readonly StaffRole[] = ["hq_admin", "centre_manager"];
export const DESK: readonly StaffRole[] = ["hq_admin", "centre_manager", "staff"];

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === "string" && (STAFF_ROLES as readonly string[]).includes(value);
}

/** May this actor act on records of that centre? hq_admin and the CLI may act anywhere. */
export function canActForCentre(actor: Actor, centreId: string | null): boolean {
  if (actor.kind === "cli" || actor.kind === "system") return true;
  if (actor.kind !== "staff") return false;
  if (actor.role === "hq_admin") return true;
  return centreId !== null && actor.centreId === centreId;
}

export function assertCentreAccess(actor: Actor, centreId: string | null): void {
  if (!canActForCentre(actor, centreId)) throw new Forbidden("other_centre");
}

export function assertRole(actor: Actor, roles: readonly StaffRole[]): void {
  if (actor.kind === "cli" || actor.kind === "system") return;
  if (actor.kind !== "staff" || !roles.includes(actor.role)) throw new Forbidden();
}
