// Time allowances by member category, and when the centre closes: how long a session may run.

import { exceptionFromRow } from "../centres/presenters.ts";
import { localParts, spansOn } from "../centres/openingHours.ts";
import { listHoursExceptions } from "../centres/queries.ts";
import type { OpeningHours } from "../centres/schemas.ts";
import type { Executor } from "../db/connect.ts";
import type { AccessRuleTable, CentreTable, PcSessionTable } from "../db/schema.ts";
import { zonedLocalToUtc } from "../i18n/zonedTime.ts";
import { listRules, memberSessionsSince } from "./queries.ts";

export interface Allowance {
  daily_minutes: number;
  weekly_minutes: number;
  session_minutes: number;
}

/** Used until a manager sets a category's rule. */
export const DEFAULT_ALLOWANCE: Allowance = { daily_minutes: 120, weekly_minutes: 600, session_minutes: 60 };

export async function allowanceFor(
  db: Executor,
  centreId: string,
  categoryId: string | null,
): Promise<Allowance> {
  const rules = await listRules(db, centreId);
  const rule: AccessRuleTable | undefined = rules.find((r) => r.category_id === categoryId);
  return rule
    ? {
        daily_minutes: rule.daily_minutes,
        weekly_minutes: rule.weekly_minutes,
        session_minutes: rule.session_minutes,
      }
    : DEFAULT_ALLOWANCE;
}

/** Midnight of the centre-local day, and of the Monday that starts its week, as UTC instants. */
export function dayAndWeekStart(now: Date, timeZone: string): { day: Date; week: Date } {
  const { date } = localParts(now, timeZone);
  const day = zonedLocalToUtc(`${date}T00:00`, timeZone)!;
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(Date.UTC(y, m - 1, d - weekday)).toISOString().slice(0, 10);
  return { day, week: zonedLocalToUtc(`${monday}T00:00`, timeZone)! };
}

function minutesUsed(sessions: readonly PcSessionTable[], from: Date, now: Date): number {
  let ms = 0;
  for (const s of sessions) {
    const start = Math.max(Date.parse(s.started_at), from.getTime());
    const end = Math.min(s.ended_at ? Date.parse(s.ended_at) : now.getTime(), now.getTime());
    if (end > start) ms += end - start;
  }
  return Math.floor(ms / 60000);
}

export interface TimeLeft {
  today: number;
  week: number;
  session: number;
}

export async function timeLeft(
  db: Executor,
  memberId: string,
  allowance: Allowance,
  now: Date,
  timeZone: string,
): Promise<TimeLeft> {
  const { day, week } = dayAndWeekStart(now, timeZone);
  const sessions = await memberSessionsSince(db, memberId, week.toISOString());
  const today = allowance.daily_minutes - minutesUsed(sessions, day, now);
  const thisWeek = allowance.weekly_minutes - minutesUsed(sessions, week, now);
  return {
    today: Math.max(0, today),
    week: Math.max(0, thisWeek),
    session: Math.max(0, Math.min(allowance.session_minutes, today, thisWeek)),
  };
}

/** When the current opening span ends (holidays and Ramzan hours included); null when closed now. */
export async function closesAt(db: Executor, centre: CentreTable, now: Date): Promise<Date | null> {
  const hours = JSON.parse(centre.opening_hours) as OpeningHours;
  const exceptions = (await listHoursExceptions(db, centre.id)).map(exceptionFromRow);
  const { spans } = spansOn(now, centre.time_zone, hours, exceptions);
  const { date, time } = localParts(now, centre.time_zone);
  const span = spans.find((s) => s.opens <= time && time < s.closes);
  return span ? zonedLocalToUtc(`${date}T${span.closes}`, centre.time_zone) : null;
}
