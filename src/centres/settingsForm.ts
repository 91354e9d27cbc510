import type { FieldProblem } from "../server/errors.ts";
import { ValidationFailed } from "../server/errors.ts";
import { WEEKDAYS, type CentreView, type HoursException, type OpeningHours } from "./schemas.ts";

/** The settings form as flat strings, the way a browser posts it and the page shows it. */
export type CentreFormValues = Record<string, string>;

export const SPANS_PER_DAY = 2;

export function formValuesFromCentre(c: CentreView): CentreFormValues {
  const values: CentreFormValues = {
    name_ur: c.name_ur,
    name_en: c.name_en,
    district: c.district,
    province: c.province,
    address: c.address,
    time_zone: c.time_zone,
    phone: c.phone ?? "",
    email: c.email ?? "",
    exceptions: c.exceptions
      .map((e) => [e.date, e.closed ? "closed" : `${e.opens}-${e.closes}`, e.note].filter(Boolean).join(" "))
      .join("\n"),
  };
  for (const day of WEEKDAYS) {
    for (let i = 0; i < SPANS_PER_DAY; i++) {
      const span = c.opening_hours[day]?.[i];
      values[`${day}_${i}_opens`] = span?.opens ?? "";
      values[`${day}_${i}_closes`] = span?.closes ?? "";
    }
  }
  return values;
}

const EXCEPTION_LINE = /^(\d{4}-\d{2}-\d{2})\s+(closed|بند|(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2}))\s*(.*)$/i;

/** Reads "2026-12-25 closed Quaid Day" / "2027-03-01 10:00-14:00 Ramzan" lines. */
export function parseExceptionLines(text: string): {
  exceptions: HoursException[];
  problems: FieldProblem[];
} {
  const exceptions: HoursException[] = [];
  const problems: FieldProblem[] = [];
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .forEach((line, index) => {
      if (!line) return;
      const m = EXCEPTION_LINE.exec(line);
      if (!m) {
        problems.push({ path: "/exceptions", code: "invalid_format", params: { line: index + 1 } });
        return;
      }
      const closed = !m[3];
      exceptions.push({
        date: m[1]!,
        closed,
        ...(closed ? {} : { opens: m[3]!, closes: m[4]! }),
        note: (m[5] ?? "").slice(0, 200),
      });
    });
  return { exceptions, problems };
}

/** Turns posted form values into the update the use case takes. */
export function centreUpdateFromForm(values: CentreFormValues): Record<string, unknown> {
  const hours: OpeningHours = {};
  const problems: FieldProblem[] = [];
  for (const day of WEEKDAYS) {
    for (let i = 0; i < SPANS_PER_DAY; i++) {
      const opens = (values[`${day}_${i}_opens`] ?? "").trim();
      const closes = (values[`${day}_${i}_closes`] ?? "").trim();
      if (!opens && !closes) continue;
      if (!opens) problems.push({ path: `/${day}_${i}_opens`, code: "required" });
      if (!closes) problems.push({ path: `/${day}_${i}_closes`, code: "required" });
      if (opens && closes) (hours[day] ??= []).push({ opens, closes });
    }
  }
  const parsed = parseExceptionLines(values.exceptions ?? "");
  problems.push(...parsed.problems);
  if (problems.length) throw new ValidationFailed(problems);
  return {
    name_ur: values.name_ur ?? "",
    name_en: values.name_en ?? "",
    district: values.district ?? "",
    province: values.province ?? "",
    address: values.address ?? "",
    time_zone: values.time_zone ?? "",
    phone: values.phone ?? "",
    email: (values.email ?? "").trim() === "" ? null : values.email,
    opening_hours: hours,
    exceptions: parsed.exceptions,
  };
}

/** Maps use-case paths (/opening_hours/mon/0/closes) back to form input names (mon_0_closes). */
export function formPath(problem: FieldProblem): FieldProblem {
  const m = /^\/opening_hours\/(\w+)\/(\d+)\/(opens|closes)$/.exec(problem.path);
  if (m) return { ...problem, path: `/${m[1]}_${m[2]}_${m[3]}` };
  if (problem.path.startsWith("/exceptions/")) return { ...problem, path: "/exceptions" };
  return problem;
}
