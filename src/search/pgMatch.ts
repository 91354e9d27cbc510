// PostgreSQL's half of "the newest documents that match": GIN finds matches but cannot return
// them in doc_key order, so each query takes one of two shapes, chosen from the planner's own
// statistics (the most common lexemes of each vector column, which ANALYZE keeps):
//
//   walk    — go down the primary key from the newest document and test each one's vector until
//             `limit` match. Cheap when matches are common; bounded, so a misjudged query stops
//             after a few times the expected work and falls back to…
//   bitmap  — let GIN find every match, then sort their keys. Cheap when matches are few.
//
// Left to itself the planner walks for rare words too (it misjudges OR-ed spellings), which took
// half a second at 100k documents. SQLite needs none of this: FTS5 returns matches in rowid order.

import { sql, type RawBuilder } from "kysely";
import { isPostgres, type Executor } from "../db/connect.ts";
import type { MatchQuery } from "./queries.ts";

type Column = "head_vec" | "vec";

/**
 * Costs in µs, measured at 100k documents (bench/search.ts, EXPLAIN ANALYZE on a warm
 * connection): one row tested while walking, one match found by GIN and sorted. All terms: a
 * ~2 KB vector compressed in the row (migration 0008), ~4 rows a page; each match costs about a
 * page. Title and strap: a ~400-byte vector in the row, ~20 rows a page.
 */
const COSTS: Record<Column, { walkRow: number; bitmapRow: number }> = {
  vec: { walkRow: 1.5, bitmapRow: 1.7 },
  head_vec: { walkRow: 1, bitmapRow: 1.5 },
};
const BITMAP_FIXED_COST = 300;
/**
 * µs for each entry of a term's posting list that GIN reads to build its bitmap (5,944 entries
 * in 3.0–3.5 ms at 100k documents): a word in 5% of a million documents costs 25 ms before the
 * first row is read, whatever the other words of the query.
 */
const GIN_ENTRY_COST = 0.5;
const TABLES: Record<Column, string> = { vec: "search_vectors", head_vec: "search_head_vectors" };
/** The walk may read this many times the rows it expects to before it gives up. */
const WALK_SLACK = 3;
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

export interface Strategy {
  kind: "walk" | "bitmap";
  /** Walk only: newest rows to test before falling back to the bitmap; null: the whole table. */
  walkRows: number | null;
}

/**
 * The share of rows expected to match (spellings of one word OR-ed, words AND-ed as if
 * independent), and from it the cheaper shape. Pure, so it is tested on its own.
 */
export function chooseStrategy(
  q: MatchQuery,
  stats: ColumnStats | undefined,
  limit: number,
  column: Column = "vec",
): Strategy {
  if (!stats || stats.rows <= 0) return { kind: "walk", walkRows: UNKNOWN_WALK_ROWS };
  // Off the most-common list a term is rarer than the rarest on it; the planner takes half of that.
  const unlisted = stats.minFreq / 2;
  let share = 1;
  let postings = 0;
  for (const group of q) {
    let none = 1;
    for (const m of group) {
      const listed = stats.freq.get(statKey(m.term, m.prefix)) ?? null;
      const f = Math.min(1, (listed ?? 0) + (listed === null || m.prefix ? unlisted : 0));
      none *= 1 - f;
      postings += f * stats.rows;
    }
    share *= 1 - none;
  }
  const expectedMatches = share * stats.rows;
  const walkRows = share > 0 ? Math.min(stats.rows, limit / share) : stats.rows;
  // Words are not independent and the estimate multiplies their shares, so for several words it
  // can be far off; a walk that misjudged pays its bound and then the bitmap too, while the
  // bitmap only ever pays for the real matches. Each extra word makes the walk look dearer.
  const walkCost = COSTS[column].walkRow * walkRows * q.length;
  const bitmapCost =
    BITMAP_FIXED_COST + GIN_ENTRY_COST * postings + COSTS[column].bitmapRow * expectedMatches;
  if (bitmapCost <= walkCost) return { kind: "bitmap", walkRows: null };
  const bound = Math.ceil(WALK_SLACK * walkRows);
  return { kind: "walk", walkRows: bound >= stats.rows ? null : Math.max(bound, limit) };
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

const and = (c: RawBuilder<unknown>[]) => (c.length > 0 ? sql` and ${sql.join(c, sql` and `)}` : sql``);

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
  const query = tsQuery(q);
  const strategy = chooseStrategy(q, opts.stats?.[column], opts.limit, column);
  const table = sql.raw(TABLES[column]);
  if (strategy.kind === "walk") {
    // The inner LIMIT pins the plan to the primary key, newest first, and bounds the work.
    const { minKey, maxKey, ...rest } = filters;
    const bounds = conditions({ minKey, maxKey }, "v");
    const where = bounds.length > 0 ? sql`where ${sql.join(bounds, sql` and `)}` : sql``;
    const limit = strategy.walkRows === null ? sql`` : sql`limit ${strategy.walkRows}`;
    const newest = sql`select v.doc_key, v.kind, v.lang, v.centre_id, v.${sql.raw(column)} as tv
      from ${table} v ${where} order by v.doc_key desc ${limit}`;
    const r = await around(sql`select w.doc_key from (${newest}) w
      where w.tv @@ cast(${query} as tsquery)${and(conditions(rest, "w"))}
      order by w.doc_key desc limit ${opts.limit}`).execute(db);
    if (r.rows.length === opts.limit || strategy.walkRows === null) return r.rows;
  }
  // "doc_key + 0": no index gives that order, so the planner uses GIN and sorts what it finds.
  const r = await around(sql`select v.doc_key from ${table} v
    where v.${sql.raw(column)} @@ cast(${query} as tsquery)${and(conditions(filters, "v"))}
    order by v.doc_key + 0 desc limit ${opts.limit}`).execute(db);
  return r.rows;
}
