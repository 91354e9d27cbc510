// PostgreSQL's half of "the newest documents that match": GIN finds matches but cannot return
// them in doc_key order, so each query takes one of three shapes, chosen from the planner's own
// statistics (the most common lexemes of each vector column, which ANALYZE keeps) and measured
// costs:
//
//   walk    — go down the primary key from the newest document and test each one's vector until
//             `limit` match. Cheap when matches are common; bounded, so a misjudged query stops
//             after a few times the expected work and falls back to the bitmap (first to the
//             wide recent index's rows, where there is one).
//   window  — GIN's matches and-ed with the keys of the newest few thousand documents (where that
//             window starts: pgLadder.ts); the bitmap if the window holds too few. Only in tables
//             big enough to keep a short GIN index over their newest rows (pgRecent.ts). Several
//             words that would take the bitmap look first among the rows of the wider one, when
//             they are expected to be there often enough (TOGETHER).
//   bitmap  — let GIN find every match, then sort their keys. Cheap when matches are few.
//
// The GIN side runs in the tables' *_newest functions (migrations 0008, 0010), where the planner cannot
// choose to test every vector instead. Left to itself the planner walks for rare words too (it
// misjudges OR-ed spellings), which took half a second at 100k documents. SQLite needs none of
// this: FTS5 returns matches in rowid order.

import { sql, type RawBuilder } from "kysely";
import { isPostgres, type Executor } from "../db/connect.ts";
import { LADDER_DEPTHS, recentRange, windowStart } from "./pgLadder.ts";
import { RECENT_ROWS } from "./pgRecent.ts";
import { recentWindowFunction, type RecentWindowTable } from "./pgRecentWindow.ts";
import type { MatchQuery } from "./queries.ts";

export type Column = "head_vec" | "vec";

/** What chooseStrategy weighs, in µs (and factors for the bounds). */
export interface StrategyCosts {
  /** One of the newest rows tested while walking: its vector fetched from TOAST and matched. */
  walkRow: Record<Column, number>;
  /** One row a bitmap visits in the narrow heap for its key, and sorts. */
  bitmapRow: number;
  /** Starting a bitmap (GIN's or the window's). */
  bitmapFixed: number;
  /**
   * Each posting-list entry GIN reads to build its bitmap (a word and its spelling in 58k
   * documents of 100k: 3.0 ms). Words AND-ed are cheaper than their lists: GIN steps through the
   * rarest word's list and skips ahead in the others (a word in half the documents beside one in
   * 0.25%: 0.17 ms), so only the rarest word's entries count, once per word.
   */
  ginEntry: number;
  /** Each of the newest rows a window spans: its share of the primary key's bitmap. */
  windowRow: number;
  /**
   * Each row of a window deeper than the kept keys (pgLadder.ts): its lowest key is then found by
   * walking the primary key down (6,000 rows: ~0.45 ms).
   */
  windowSeek: number;
  /** A walk may read this many times the rows expected to hold `limit` matches… */
  walkSlack: number;
  /** …and a window spans this many times. */
  windowSlack: number;
}

/**
 * Fitted to measured execution times (`npm run bench -- search-costs`, EXPLAIN ANALYZE of every
 * shape at several bounds, for ~400 queries of the kinds the search bench asks, in both columns)
 * at 10k, 100k and 1M documents: the set that made the chosen shapes fastest in total at 100k and
 * 1M (10% less statement time than the hand-measured costs it replaced; 9% on queries drawn with
 * another seed).
 */
export const STRATEGY_COSTS: StrategyCosts = {
  walkRow: { vec: 2.4, head_vec: 1.8 },
  bitmapRow: 0.6,
  bitmapFixed: 50,
  ginEntry: 0.05,
  windowRow: 0.005,
  windowSeek: 0.075,
  walkSlack: 3,
  windowSlack: 2,
};
const DEEPEST_KEPT = LADDER_DEPTHS[LADDER_DEPTHS.length - 1]!;
/**
 * Windows only in tables this big, where a short GIN index over the newest rows is kept
 * (pgRecent.ts). In a smaller one the planner reads a window by testing every vector in it (the
 * whole GIN list is not worth and-ing with so few keys), which is a walk that cannot stop early:
 * at 10k documents, leaving windows out took a fifth to a quarter off the p50 of one-word, fuzzy
 * and Roman Urdu searches.
 */
const WINDOW_MIN_ROWS = 2 * RECENT_ROWS;
/**
 * A window deeper than the recent index (pgRecent.ts), but no more than this many times, starts at
 * the index's floor instead, where that index serves it; deeper, GIN reads the table's whole lists
 * and the window costs as much as the bitmap. The window then spans fewer rows than asked for,
 * but it was sized at twice the rows expected to hold `limit` matches: for one word, half of it
 * still holds them. Words asked together come together more often than counting them as
 * independent says (the search bench's four-word queries: ~1.6 times), so several words reach
 * further. Measured with the bench's queries, server time of the windows this moves: at 100k
 * documents, four words 2–5 ms → 0.5–0.9 ms, every one finding its 100 above the floor; at 1M,
 * four words 23.2 → 5.8 ms, two words 7.4 → 1.9, one word 2.5 → 1.2 up to twice the index's
 * rows, but 3.5 → 4.6 beyond (too few found, then the bitmap as well).
 */
export const RECENT_REACH = { oneWord: 2, words: 3 } as const;
/**
 * Words asked together come together more often than counting them as independent says: the
 * search bench's queries (words of one document's title and strap) matched this many times that
 * count, median at 100k and 1M documents: two words 1.05–1.09, three 1.30–1.33, four 1.72–1.89.
 * Indexed by the number of words (four and more: the last).
 */
export const TOGETHER = [1, 1, 1, 1.3, 1.8] as const;
/**
 * Several words that would let GIN read every match (the bitmap) are looked for first among the
 * rows of the wide recent index (pgRecent.ts); the bitmap follows only if those hold too few. The
 * attempt costs about the index's share of the table's lists, and saves the rest when it finds
 * enough; counting it sure to when `2 × limit` matches are expected there, and failing in
 * proportion below that, it pays whenever the whole table is expected to hold `2 × limit` (with
 * TOGETHER), whatever the index's share. The search bench's four-word queries that took the
 * bitmap, their statement alone (median / mean / 90th percentile, ms): at 100k documents (72 of
 * 100), 2.26 / 2.43 / 3.57 for the bitmap, 1.65 / 1.83 / 2.42 with this rule (50 tried), 1.75 /
 * 1.94 / 3.00 trying every one; at 1M (53), 16.23 / 17.07 / 25.05 for the bitmap, 2.08 / 7.28 /
 * 16.62 with this rule (52 tried), 7.85 / 8.70 / 17.16 trying only where the index itself should
 * hold `limit`.
 */
const WIDE_MIN_WORDS = 2;
/**
 * In a table with a short recent index, a walk that may read this many rows or more is a window
 * instead, when the window fits in that index. The cost model counts a window's GIN work over the
 * whole table's lists, but the short index holds a sixth of them at 100k documents, so such a
 * window costs ~1–3 ms whatever the words; a walk costs its rows (~5 µs each), and walks of
 * several words overrun when the words come together less than counted. `search-costs` at 100k
 * documents, the statements of each kind in total, as chosen before → with this rule (from the
 * measured shapes): bench bodies (80–200 words) 1 word 163 → 151 ms, 2 words 119 → 111, fuzzy
 * 108 → 98; article-length bodies (250–430 words) 1 word 209 → 180, 2 words 189 → 158, 4 words
 * 313 → 278, fuzzy 107 → 98. Whole searches (interleaved A/B): p50 −2% to −7% at article length,
 * four-word p99 24.9 → 17.5 ms. From 800 rows on, a very common word's walk got slower instead.
 */
export const LONGEST_WALK = 1000;
const TABLES: Record<Column, string> = { vec: "search_vectors", head_vec: "search_head_vectors" };
/** Walk bound when the table has no statistics yet (never analysed). */
const UNKNOWN_WALK_ROWS = 2000;

/** What ANALYZE says about one vector column. */
export interface ColumnStats {
  /** Rows in the table (pg_class.reltuples). */
  rows: number;
  /** Share of rows holding each term or prefix asked about; null when not among the most common. */
  freq: Map<string, number | null>;
  /** Lowest share on the most-common list: anything not on it is rarer than this. */
  minFreq: number;
}

export type EngineStats = Partial<Record<Column, ColumnStats>>;

const statKey = (term: string, prefix: boolean) => (prefix ? `${term}*` : term);

interface ColumnSummary {
  rows: number;
  minFreq: number;
  freq: Map<string, number>;
}

/** Statistics change when ANALYZE runs (autovacuum, or a rebuild): re-read them this often. */
const STATS_TTL_MS = 5 * 60_000;
// Keyed by the database handle: one application, one cache. Reading pg_stats costs a few ms
// (the most-common list is a few thousand lexemes), too much for every search.
const statsCache = new WeakMap<object, { at: number; columns: Partial<Record<Column, ColumnSummary>> }>();

async function columnSummaries(db: Executor): Promise<Partial<Record<Column, ColumnSummary>>> {
  const hit = statsCache.get(db);
  if (hit && Date.now() - hit.at < STATS_TTL_MS) return hit.columns;
  const r = await sql<{ col: Column; rows: number; elems: string[]; freqs: number[] }>`
    select s.attname::text as col, c.reltuples as rows,
      s.most_common_elems::text::text[] as elems, s.most_common_elem_freqs as freqs
    from pg_stats s
    join pg_namespace n on n.nspname = s.schemaname
    join pg_class c on c.relnamespace = n.oid and c.relname = s.tablename
    where s.schemaname = current_schema()
      and ((s.tablename = 'search_vectors' and s.attname = 'vec')
        or (s.tablename = 'search_head_vectors' and s.attname = 'head_vec'))
      and s.most_common_elems is not null`.execute(db);
  const columns: Partial<Record<Column, ColumnSummary>> = {};
  for (const row of r.rows) {
    // most_common_elem_freqs: one share per lexeme, then the lowest, the highest, and nulls.
    const freqs = row.freqs.map(Number);
    const freq = new Map(row.elems.map((e, i) => [e, freqs[i] ?? 0]));
    columns[row.col] = { rows: Number(row.rows), minFreq: freqs[row.elems.length] ?? 0, freq };
  }
  statsCache.set(db, { at: Date.now(), columns });
  return columns;
}

/** Forget the cached statistics of this handle (after ANALYZE). */
export function forgetEngineStats(db: Executor): void {
  statsCache.delete(db);
}

/** The statistics of both vector columns for the terms of a query (cached per database handle). */
export async function engineStats(db: Executor, q: MatchQuery): Promise<EngineStats> {
  if (!isPostgres(db) || q.length === 0) return {};
  const columns = await columnSummaries(db);
  const out: EngineStats = {};
  for (const col of ["head_vec", "vec"] as const) {
    const summary = columns[col];
    if (!summary) continue;
    const freq = new Map<string, number | null>();
    for (const m of q.flat()) {
      if (!m.prefix) freq.set(m.term, summary.freq.get(m.term) ?? null);
      else {
        let sum = 0;
        for (const [e, f] of summary.freq) if (e.startsWith(m.term)) sum += f;
        freq.set(statKey(m.term, true), sum);
      }
    }
    out[col] = { rows: summary.rows, freq, minFreq: summary.minFreq };
  }
  return out;
}

export type Strategy =
  /**
   * Test the newest `walkRows` rows, newest first; if too few match, fall back to the bitmap (to
   * a window of the wide recent index first, where there is one).
   */
  | { kind: "walk"; walkRows: number }
  /**
   * GIN's matches among the newest `windowRows` rows; the bitmap if too few are there. `wide`:
   * the wide recent index's rows (windowRows: as many as it holds), starting at its floor.
   */
  | { kind: "window"; windowRows: number; wide?: true }
  /** Let GIN find every match and sort their keys. */
  | { kind: "bitmap" };

/**
 * The share of rows expected to match (spellings of one word OR-ed, words AND-ed as if
 * independent), and from it the cheapest shape: a walk for common words (the newest rows soon
 * hold enough), a window for middling ones (GIN's list and-ed with the newest rows' keys), the
 * bitmap for rare ones (few matches to visit). Pure, so it is tested on its own.
 */
export function chooseStrategy(
  q: MatchQuery,
  stats: ColumnStats | undefined,
  limit: number,
  column: Column = "vec",
  costs: StrategyCosts = STRATEGY_COSTS,
  /** Rows of the column's wide recent index, if it has one (pgRecent.ts). */
  wideRows: number | null = null,
): Strategy {
  if (!stats || stats.rows <= 0) return { kind: "walk", walkRows: UNKNOWN_WALK_ROWS };
  // Off the most-common list a term is rarer than the rarest on it; the planner takes half of that.
  const unlisted = stats.minFreq / 2;
  let share = 1;
  let rarestPostings = Infinity;
  for (const group of q) {
    let none = 1;
    let postings = 0;
    for (const m of group) {
      const listed = stats.freq.get(statKey(m.term, m.prefix)) ?? null;
      const f = Math.min(1, (listed ?? 0) + (listed === null || m.prefix ? unlisted : 0));
      none *= 1 - f;
      postings += f * stats.rows;
    }
    share *= 1 - none;
    rarestPostings = Math.min(rarestPostings, postings);
  }
  const expectedMatches = share * stats.rows;
  const expectedRows = share > 0 ? Math.min(stats.rows, limit / share) : stats.rows;
  const walkRows = Math.max(Math.ceil(costs.walkSlack * expectedRows), limit);
  const windowRows = Math.max(Math.ceil(costs.windowSlack * expectedRows), limit);
  const gin = costs.ginEntry * rarestPostings * q.length;
  const seek = windowRows > DEEPEST_KEPT ? costs.windowSeek * windowRows : 0;
  const estimates = {
    walk: costs.walkRow[column] * expectedRows,
    window:
      costs.bitmapFixed + gin + costs.windowRow * windowRows + costs.bitmapRow * windowRows * share + seek,
    bitmap: costs.bitmapFixed + gin + costs.bitmapRow * expectedMatches,
  };
  // Walking or spanning the whole table is the bitmap, with more work.
  const shapes =
    stats.rows >= WINDOW_MIN_ROWS ? (["bitmap", "window", "walk"] as const) : (["bitmap", "walk"] as const);
  const best =
    walkRows >= stats.rows ? "bitmap" : shapes.reduce((a, b) => (estimates[b] < estimates[a] ? b : a));
  const windowFitsRecent = stats.rows >= WINDOW_MIN_ROWS && windowRows <= RECENT_ROWS;
  if (best === "walk" && walkRows >= LONGEST_WALK && windowFitsRecent) return { kind: "window", windowRows };
  if (best === "walk") return { kind: "walk", walkRows };
  if (best === "window" && windowRows < stats.rows) return { kind: "window", windowRows };
  const together = TOGETHER[Math.min(q.length, TOGETHER.length - 1)]!;
  if (wideRows !== null && q.length >= WIDE_MIN_WORDS && share * together * stats.rows >= 2 * limit) {
    return { kind: "window", windowRows: wideRows, wide: true };
  }
  return { kind: "bitmap" };
}

function tsQuery(q: MatchQuery): string {
  const quote = (t: string) => `'${t.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
  return q.map((g) => `(${g.map((m) => quote(m.term) + (m.prefix ? ":*" : "")).join(" | ")})`).join(" & ");
}

export interface KeyFilters {
  kind?: string | undefined;
  lang?: string | undefined;
  centreId?: string | undefined;
  /** Inclusive doc_key bounds (publication time in the high bits). */
  minKey?: number | undefined;
  maxKey?: number | undefined;
}

function conditions(f: KeyFilters, alias: string): RawBuilder<unknown>[] {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const c: RawBuilder<unknown>[] = [];
  if (f.kind) c.push(sql`${col("kind")} = ${f.kind}`);
  if (f.lang) c.push(sql`${col("lang")} = ${f.lang}`);
  if (f.centreId) c.push(sql`${col("centre_id")} = ${f.centreId}`);
  if (f.minKey !== undefined) c.push(sql`${col("doc_key")} >= ${f.minKey}`);
  if (f.maxKey !== undefined) c.push(sql`${col("doc_key")} <= ${f.maxKey}`);
  return c;
}

/**
 * A statement yielding the keys of the newest `limit` matches in one column, newest first. A walk
 * that runs out of its bound falls back inside the same statement: each branch sits behind a
 * one-time test of the walk's count, so only one of them runs past the walk. The fallback is the
 * bitmap, or, given the wide recent index's floor (`wideFloor`), a window from it first.
 */
export function newestKeys(
  q: MatchQuery,
  filters: KeyFilters,
  column: Column,
  limit: number,
  strategy: Strategy,
  windowKey: number | null = null,
  wideFloor: number | null = null,
): RawBuilder<{ doc_key: number }> {
  const query = tsQuery(q);
  // Through the table's *_newest function (migrations 0008, 0010): GIN's matches, first among the newest
  // `windowRows` documents when given, sorted; only bitmap scans are open to the planner there.
  const f = filters;
  const gin = (windowRows: number | null, start: number | null) => sql`select n.doc_key
    from ${sql.raw(`${TABLES[column]}_newest`)}(cast(${query} as tsquery), ${limit}, ${windowRows}::integer,
      ${start}::bigint, ${f.kind ?? null}, ${f.lang ?? null}, ${f.centreId ?? null}::uuid,
      ${f.minKey ?? null}::bigint, ${f.maxKey ?? null}::bigint) n`;
  // A window with its start: through the function kept for the recent indexes' floors
  // (pgRecentWindow.ts), which hands a start below them to the general one.
  const startingAt = (start: number) => sql`select n.doc_key
      from ${sql.raw(recentWindowFunction(TABLES[column] as RecentWindowTable))}(cast(${query} as tsquery),
        ${limit}, ${start}::bigint, ${f.kind ?? null}, ${f.lang ?? null}, ${f.centreId ?? null}::uuid,
        ${f.minKey ?? null}::bigint, ${f.maxKey ?? null}::bigint) n`;
  if (strategy.kind === "bitmap") return sql<{ doc_key: number }>`${gin(null, null)}`;
  if (strategy.kind === "window" && windowKey !== null)
    return sql<{ doc_key: number }>`${startingAt(windowKey)}`;
  if (strategy.kind === "window") return sql<{ doc_key: number }>`${gin(strategy.windowRows, null)}`;
  // The inner LIMIT pins the plan to the primary key, newest first, and bounds the work.
  const { minKey, maxKey, ...rest } = filters;
  const bounds = conditions({ minKey, maxKey }, "v");
  const where = bounds.length > 0 ? sql`where ${sql.join(bounds, sql` and `)}` : sql``;
  const newest = sql`select v.doc_key, v.kind, v.lang, v.centre_id, v.${sql.raw(column)} as tv
    from ${sql.raw(TABLES[column])} v ${where} order by v.doc_key desc limit ${strategy.walkRows}`;
  // Filters first (equal costs keep their order): a row they refuse is never fetched from TOAST.
  const keep = [...conditions(rest, "w"), sql`w.tv @@ cast(${query} as tsquery)`];
  // A date bound may lie below the wide floor: then the bitmap.
  const fallback = wideFloor !== null && maxKey === undefined ? startingAt(wideFloor) : gin(null, null);
  return sql<{ doc_key: number }>`with walk as materialized (select w.doc_key from (${newest}) w
      where ${sql.join(keep, sql` and `)} order by w.doc_key desc limit ${limit})
    select doc_key from walk where (select count(*) from walk) = ${limit}
    union all
    select b.doc_key from (${fallback}) b where (select count(*) from walk) < ${limit}`;
}
/**
 * Where a window of `rows` starts, for a query of `words` words: the kept key for its depth
 * (pgLadder.ts), or the recent index's floor when that key is below it (or not known yet) and the
 * window is within RECENT_REACH of it.
 */
export function windowStartWithin(db: Executor, column: Column, rows: number, words: number): number | null {
  const start = windowStart(db, column, rows);
  const recent = recentRange(db, column);
  const reach = words > 1 ? RECENT_REACH.words : RECENT_REACH.oneWord;
  if (!recent || rows > reach * recent.rows) return start;
  return start === null || start < recent.floor ? recent.floor : start;
}

/**
 * The newest `limit` matches, as rows `around` builds from a statement that yields their keys
 * (newest first). The caller's rows come back in the same round trip as the match.
 */
export async function newestPg<T extends { doc_key: number | string }>(
  db: Executor,
  q: MatchQuery,
  filters: KeyFilters,
  opts: { headOnly: boolean; limit: number; stats: EngineStats | undefined },
  around: (keys: RawBuilder<unknown>) => RawBuilder<T>,
): Promise<T[]> {
  const column: Column = opts.headOnly ? "head_vec" : "vec";
  const wide = recentRange(db, column, "wide");
  const strategy = chooseStrategy(q, opts.stats?.[column], opts.limit, column, STRATEGY_COSTS, wide?.rows);
  // A window below a date bound starts below it: the function finds that key itself.
  const start =
    strategy.kind !== "window" || filters.maxKey !== undefined
      ? null
      : strategy.wide && wide
        ? wide.floor
        : windowStartWithin(db, column, strategy.windowRows, q.length);
  const keys = newestKeys(q, filters, column, opts.limit, strategy, start, wide?.floor ?? null);
  return (await around(keys).execute(db)).rows;
}
