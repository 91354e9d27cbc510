import type { HoursException, OpeningHours, OpeningSpan, Weekday } from "./schemas.ts";
import { WEEKDAYS } from "./schemas.ts";
import type { FieldProblem } from "../server/errors.ts";

/** Checks what a schema cannot: each span closes after it opens, spans do not overlap, dates are real. */
export function openingHoursProblems(
  hours: OpeningHours | undefined,
  exceptions: HoursException[] | undefined,
) {
  const problems: FieldProblem[] = [];
  for (const day of WEEKDAYS) {
    const spans = [...(hours?.[day] ?? [])].sort((a, b) => a.opens.localeCompare(b.opens));
    spans.forEach((span, i) => {
      if (span.closes <= span.opens)
        problems.push({ path: `/opening_hours/${day}/${i}/closes`, code: "closes_before_opens" });
      const next = spans[i + 1];
      if (next && next.opens < span.closes)
        problems.push({ path: `/opening_hours/${day}/${i + 1}/opens`, code: "overlaps" });
    });
  }
  const seen = new Set<string>();
  (exceptions ?? []).forEach((e, i) => {
    if (Number.isNaN(Date.parse(`${e.date}T00:00:00Z`)))
      problems.push({ path: `/exceptions/${i}/date`, code: "invalid_format" });
    if (seen.has(e.date)) problems.push({ path: `/exceptions/${i}/date`, code: "duplicate" });
    seen.add(e.date);
    if (!e.closed) {
      if (!e.opens) problems.push({ path: `/exceptions/${i}/opens`, code: "required" });
      if (!e.closes) problems.push({ path: `/exceptions/${i}/closes`, code: "required" });
      if (e.opens && e.closes && e.closes <= e.opens)
        problems.push({ path: `/exceptions/${i}/closes`, code: "closes_before_opens" });
    }
  });
  return problems;
}

/** The local date (YYYY-MM-DD), weekday and HH:MM of an instant in a time zone. */
export function localParts(
  instant: Date,
  timeZone: string,
): { date: string; weekday: Weekday; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: String(parts.weekday).toLowerCase().slice(0, 3) as Weekday,
    time: `${parts.hour}:${parts.minute}`,
  };
}

/** The spans a centre is open on the local date of `instant`, exceptions first. */
export function spansOn(
  instant: Date,
  timeZone: string,
  hours: OpeningHours,
  exceptions: HoursException[],
): { spans: OpeningSpan[]; exception: HoursException | undefined } {
  const { date, weekday } = localParts(instant, timeZone);
  const exception = exceptions.find((e) => e.date === date);
  if (exception) {
    return {
      spans:
        exception.closed || !exception.opens || !exception.closes
          ? []
          : [{ opens: exception.opens, closes: exception.closes }],
      exception,
    };
  }
  return { spans: hours[weekday] ?? [], exception: undefined };
}

export function isOpenAt(
  instant: Date,
  timeZone: string,
  hours: OpeningHours,
  exceptions: HoursException[],
): boolean {
  const { time } = localParts(instant, timeZone);
  return spansOn(instant, timeZone, hours, exceptions).spans.some((s) => s.opens <= time && time < s.closes);
}

export const DEFAULT_OPENING_HOURS: OpeningHours = {
  mon: [{ opens: "09:00", closes: "17:00" }],
  tue: [{ opens: "09:00", closes: "17:00" }],
  wed: [{ opens: "09:00", closes: "17:00" }],
  thu: [{ opens: "09:00", closes: "17:00" }],
  fri: [
    { opens: "09:00", closes: "12:30" },
    { opens: "14:30", closes: "17:00" },
  ],
  sat: [{ opens: "10:00", closes: "14:00" }],
};
