// Turns the filters people send (page or API) into a search input, naming each bad field.

import { findCentreByCode } from "../centres/queries.ts";
import type { Executor } from "../db/connect.ts";
import { zonedLocalToUtc } from "../i18n/zonedTime.ts";
import type { FieldProblem } from "../server/errors.ts";
import type { SearchInput } from "./search.ts";

export const SEARCH_KINDS = ["news", "notice", "guide"] as const;
export const CONTENT_LANGS = ["ur", "en"] as const;
export const MAX_QUERY_CHARS = 200;

export interface RawSearch {
  q?: string | undefined;
  kind?: string | undefined;
  lang?: string | undefined;
  centre?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dayBound(value: string, end: boolean, timeZone: string): string | null {
  if (!DATE.test(value)) return null;
  const d = zonedLocalToUtc(`${value}T00:00`, timeZone);
  if (!d) return null;
  // Dates like 2026-02-31 roll over in Date.UTC; refuse them.
  const [y, m, day] = value.split("-").map(Number) as [number, number, number];
  const check = new Date(Date.UTC(y, m - 1, day));
  if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== day) return null;
  return new Date(d.getTime() + (end ? 86_400_000 - 1 : 0)).toISOString();
}

export async function resolveSearchInput(
  db: Executor,
  raw: RawSearch,
  paging: { limit: number; offset: number },
  timeZone: string,
): Promise<{ input: SearchInput; problems: FieldProblem[] }> {
  const problems: FieldProblem[] = [];
  const q = (raw.q ?? "").trim();
  if (q.length > MAX_QUERY_CHARS)
    problems.push({ path: "/q", code: "too_long", params: { limit: MAX_QUERY_CHARS } });
  const kind = raw.kind || undefined;
  if (kind && !(SEARCH_KINDS as readonly string[]).includes(kind))
    problems.push({ path: "/kind", code: "invalid_choice" });
  const lang = raw.lang || undefined;
  if (lang && !(CONTENT_LANGS as readonly string[]).includes(lang))
    problems.push({ path: "/lang", code: "invalid_choice" });
  let centreId: string | undefined;
  if (raw.centre) {
    const centre = await findCentreByCode(db, raw.centre);
    if (centre) centreId = centre.id;
    else problems.push({ path: "/centre", code: "invalid_choice" });
  }
  const from = raw.from ? dayBound(raw.from, false, timeZone) : undefined;
  if (from === null) problems.push({ path: "/from", code: "invalid_format" });
  const to = raw.to ? dayBound(raw.to, true, timeZone) : undefined;
  if (to === null) problems.push({ path: "/to", code: "invalid_format" });
  return {
    input: {
      q: q.slice(0, MAX_QUERY_CHARS),
      kind,
      lang,
      centreId,
      from: from ?? undefined,
      to: to ?? undefined,
      ...paging,
    },
    problems,
  };
}
