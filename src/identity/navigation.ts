import type { Translate } from "../i18n/index.ts";
import type { MessageKey } from "../i18n/index.ts";
import type { StaffRole } from "../db/schema.ts";
import type { NavItem } from "../ui/page.ts";
import { ALL_STAFF, DESK, MANAGERS } from "./policy.ts";

/** The staff areas, who sees each, and the role list its routes declare. */
export const STAFF_AREAS: { href: string; label: MessageKey; roles: readonly StaffRole[] }[] = [
  { href: "/staff", label: "nav.dashboard", roles: ALL_STAFF },
  { href: "/staff/members", label: "nav.members", roles: DESK },
  { href: "/staff/pcs", label: "nav.pcs", roles: DESK },
  { href: "/staff/training", label: "nav.training", roles: ALL_STAFF },
  { href: "/staff/reports", label: "nav.reports", roles: MANAGERS },
  { href: "/staff/centre", label: "nav.centre_settings", roles: MANAGERS },
  { href: "/staff/audit", label: "nav.audit", roles: MANAGERS },
  { href: "/staff/password", label: "nav.password", roles: ALL_STAFF },
];

export function staffNavigation(role: StaffRole, t: Translate, currentPath: string): NavItem[] {
  return STAFF_AREAS.filter((a) => a.roles.includes(role)).map((a) => ({
    href: a.href,
    label: t(a.label),
    current: currentPath === a.href,
  }));
}
