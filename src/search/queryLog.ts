// The query log: what people look for and what finds nothing, for editors. No address, no
// session, no account; long digit runs (a CNIC, a phone number) and e-mail addresses are blanked
// before the words are stored, since people do type those into search boxes.

import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import { insertQueryLog, summariseQueryLog, type QueryLogEntry } from "./queryLogQueries.ts";

const MAX_LOGGED = 200;

/** The text as stored: spaces collapsed, personal-looking parts blanked. */
export function scrubQuery(q: string): string {
  return q
    .normalize("NFC")
    .replace(/\S+@\S+/g, "[email]")
    .replace(
      /[0-9\u0660-\u0669\u06F0-\u06F9][0-9\u0660-\u0669\u06F0-\u06F9\s+\-()]{5,}[0-9\u0660-\u0669\u06F0-\u06F9]/g,
      "[number]",
    )
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_LOGGED);
}

export async function logSearch(
  db: Executor,
  entry: { query: string; lang: string; hits: number; centreId: string | null },
  clock: Clock,
): Promise<void> {
  const query = scrubQuery(entry.query);
  if (!query) return;
  const now = clock.now().toISOString();
  await insertQueryLog(db, {
    id: newId(),
    centre_id: entry.centreId,
    query,
    lang: entry.lang,
    hits: entry.hits,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  });
}

export interface QueryLogReport {
  top: QueryLogEntry[];
  zero: QueryLogEntry[];
}

export async function queryLogReport(
  db: Executor,
  f: { days: number; centreId: string | null },
  clock: Clock,
): Promise<QueryLogReport> {
  const since = new Date(clock.now().getTime() - f.days * 86_400_000).toISOString();
  const [top, zero] = await Promise.all([
    summariseQueryLog(db, { since, centreId: f.centreId, zeroOnly: false, limit: 50 }),
    summariseQueryLog(db, { since, centreId: f.centreId, zeroOnly: true, limit: 50 }),
  ]);
  return { top, zero };
}
