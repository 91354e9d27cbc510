// PostgreSQL: windows at or above a recent index's floor (pgRecent.ts) run through a function
// written for that floor, `*_recent_newest`, instead of the general `*_newest` (migration 0010).
//
// The general function builds a window's statement on every call (EXECUTE), because the planner
// can use a partial index only when the statement names a bound at or above the index's floor as
// a literal; planning it each time reads the column's statistics. This function holds the floor
// as a literal in a statement planned once per connection (a generic plan, on the partial index).
// At 100k documents, the windows search asked for one-word and fuzzy queries (~170 of each 200
// list statements), each replayed alone: 0.69 → 0.54 and 0.62 → 0.49 ms, the same keys; whole
// searches, interleaved A/B over three runs: one word −4%, two words −3%, fuzzy −2% (p50). It is
// rewritten whenever the recent index moves; a window below the floor it holds (or before any is
// written) goes to the general function, as before. search_vectors' wide index (pgRecent.ts) has a
// statement of its own here too, for windows below the short index's floor and at or above its own,
// and for a window in the short index that holds too few, widened to the wide floor before every
// match is looked for (interleaved A/B, p50: 1M documents, two words −9%, four −15%; 100k, −3% to
// −7%, within noise).

import { sql } from "kysely";
import type { Executor } from "../db/connect.ts";

/** The vector tables, each with its tsvector column: a recent index and a window function each. */
export const RECENT_WINDOW_TABLES = [
  { table: "search_vectors", column: "vec" },
  { table: "search_head_vectors", column: "head_vec" },
] as const;
export type RecentWindowTable = (typeof RECENT_WINDOW_TABLES)[number]["table"];

/** The function serving windows of a table at or above its recent index's floor. */
export const recentWindowFunction = (table: RecentWindowTable) => `${table}_recent_newest`;

const COMMENT_PREFIX = "rasai recent floor ";
const COMMENT = new RegExp(`^${COMMENT_PREFIX}([0-9]+|none)(?: wide ([0-9]+))?$`);

/** The floors a table's window function holds: its short index's, and its wide index's. */
export interface WindowFloors {
  recent: number | null;
  wide: number | null;
}

/**
 * (Re)writes a table's window function for the recent indexes at these floors (a number alone is
 * the short index's); with none, one that hands every window to the general function. Its comment
 * records the floors (recentWindowFloors).
 */
export async function writeRecentWindowFunction(
  db: Executor,
  table: RecentWindowTable,
  floors: WindowFloors | number | null,
): Promise<void> {
  const { recent, wide }: WindowFloors =
    floors === null || typeof floors === "number" ? { recent: floors, wide: null } : floors;
  const column = RECENT_WINDOW_TABLES.find((t) => t.table === table)!.column;
  const name = sql.raw(recentWindowFunction(table));
  const general = sql.raw(`${table}_newest`);
  // Every window goes to the general function, with its start; below the floors, or with none.
  const handOver = sql`return query select n.doc_key from ${general}(q, lim, null, window_start,
        want_kind, want_lang, want_centre, min_key, max_key) n;`;
  // The floor as a literal: the planner proves the partial index covers the window.
  // "+ 0": the date bounds filter GIN's matches (as in the general function).
  const windowOn = (floor: number) => sql`keys := array(select v.doc_key from ${sql.raw(table)} v
          where v.${sql.raw(column)} @@ q and v.doc_key >= ${sql.lit(floor)} and v.doc_key >= window_start
            and (want_kind is null or v.kind = want_kind)
            and (want_lang is null or v.lang = want_lang)
            and (want_centre is null or v.centre_id = want_centre)
            and (min_key is null or v.doc_key + 0 >= min_key)
            and (max_key is null or v.doc_key + 0 <= max_key)
          order by v.doc_key + 0 desc limit lim);`;
  // The highest floor first (the short index's): a window above it is in both indexes. One that
  // holds too few is widened to the next floor down before every match is looked for.
  const floorsDown = [recent, wide].filter((f): f is number => f !== null).sort((a, b) => b - a);
  const branches = floorsDown.map(
    (floor, i) => sql`window_start >= ${sql.lit(floor)} then
        ${windowOn(floor)}${sql.join(
          floorsDown.slice(i + 1).map(
            (lower) => sql`
        if cardinality(keys) < lim then
          window_start := ${sql.lit(lower)};
          ${windowOn(lower)}
        end if;`,
          ),
          sql``,
        )}`,
  );
  const body =
    branches.length === 0
      ? handOver
      : sql`if window_start is null then
        ${handOver}
        return;
      elsif ${sql.join(
        branches,
        sql`
      elsif `,
      )}
      else
        ${handOver}
        return;
      end if;
      if cardinality(keys) >= lim then
        return query select unnest(keys);
        return;
      end if;
      -- Too few in the window: every match, as the general function finds them.
      return query select n.doc_key from ${general}(q, lim, null, null,
        want_kind, want_lang, want_centre, min_key, max_key) n;`;
  await sql`create or replace function ${name}(q tsquery, lim integer, window_start bigint,
      want_kind text, want_lang text, want_centre uuid, min_key bigint, max_key bigint)
    returns table (doc_key bigint)
    language plpgsql stable rows 100
    set enable_seqscan = off
    set enable_indexscan = off
    set plan_cache_mode = force_generic_plan
    as $$
    declare
      keys bigint[];
    begin
      ${body}
    end
    $$`.execute(db);
  const comment = `${COMMENT_PREFIX}${recent ?? "none"}${wide === null ? "" : ` wide ${wide}`}`;
  await sql`comment on function ${name}(tsquery, integer, bigint, text, text, uuid, bigint, bigint)
    is ${sql.lit(comment)}`.execute(db);
}

/** The floors a table's window function was written for (none: null), or undefined if it is missing. */
export async function recentWindowFloors(
  db: Executor,
  table: RecentWindowTable,
): Promise<WindowFloors | undefined> {
  const r = await sql<{ note: string | null }>`select obj_description(p.oid, 'pg_proc') as note
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = current_schema() and p.proname = ${recentWindowFunction(table)}`.execute(db);
  const row = r.rows[0];
  if (!row) return undefined;
  const m = COMMENT.exec(row.note ?? "");
  const recent = m?.[1] === undefined || m[1] === "none" ? null : Number(m[1]);
  return { recent, wide: m?.[2] === undefined ? null : Number(m[2]) };
}
