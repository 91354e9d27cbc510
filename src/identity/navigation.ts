import type { Translate } from "../i18n/index.ts";
import type { MessageKey } from "../i18n/index.ts";
import type { StaffRole } from "../db/schema.ts";
import type { NavItem } from "../ui/page.ts";
import { ALL_STAFF, DESK, MANAGERS } from "./policy.ts";

/** The staff areas, who sees each, and the role list its routes declare. */
export const STAFF_AREAS: { href: string; label: MessageKey; roles: readonly StaffRole[] }[] = [
  { href: "/staff", label: "nav.dashboard", roles: ALL_STAFF },
  { href: "/staff/articles", label: "nav.articles", roles: DESK },
  { href: "/staff/comments", label: "nav.comments", roles: DESK },
  { href: "/staff/searches", label: "nav.search_log", roles: DESK },
  { href: "/staff/members", label: "nav.members", roles: DESK },
  { href: "/staff/pcs", label: "nav.pcs", roles: DESK },
  { href: "/staff/reservations", label: "nav.reservations", roles: DESK },
  { href: "/staff/queue", label: "nav.queue", roles: DESK },
  { href: "/staff/training", label: "nav.training", roles: ALL_STAFF },
  { href: "/staff/reports", label: "nav.reports", roles: MANAGERS },
  { href: "/staff/centre", label: "nav.centre_settings", roles: MANAGERS },
  { href: "/staff/users", label: "nav.users", roles: MANAGERS },
  { href: "/staff/audit", label: "nav.audit", roles: MANAGERS },
  { href: "/staff/password", label: "nav.password", roles: ALL_STAFF },
];

/** Counts shown beside an area's name, e.g. comments waiting for moderation. */
export type NavCounts = Partial<Record<string, number>>;

export function staffNavigation(
  role: StaffRole,
  t: Translate,
  currentPath: string,
  counts: NavCounts = {},
): NavItem[] {
  return STAFF_AREAS.filter((a) => a.roles.includes(role)).map((a) => {
    const count = counts[a.href];
    return {
      href: a.href,
      label: count ? `${t(a.label)} (${count})` : t(a.label),
      current: currentPath === a.href || (a.href !== "/staff" && currentPath.startsWith(`${a.href}/`)),
    };
  });
}
