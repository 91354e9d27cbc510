// The search bench's queries: the pools of each kind, timed interleaved, and PostgreSQL's round trip.
import { sql } from "kysely";
import type { Db } from "../src/db/connect.ts";
import { systemClock } from "../src/db/clock.ts";
import { search, type SearchOutcome } from "../src/search/search.ts";
import { percentile } from "./lib/results.ts";
import { hostLoad } from "./searchDatabases.ts";
import { prng, queryFromText, queryPools } from "./searchCorpus.ts";
import { COMMON_WORD, ROMAN_QUERY, STOP_WORD } from "./searchWords.ts";
import {
  fmtSeconds,
  QUERY_TYPES,
  timedQueries,
  type QueryKey,
  type QueryResult,
  type Settings,
} from "./searchResults.ts";
export const runSearch = (db: Db, q: string): Promise<SearchOutcome> =>
  search(db, { q, limit: 10, offset: 0 }, systemClock);

export interface Row {
  key: QueryKey;
  label: string;
  pool: readonly string[];
}

/**
 * Times every row's queries interleaved: the first query of each row, then the second of each,
 * and so on. A stretch when the machine runs slow (other work on the host) then falls on every
 * row alike instead of on whichever row was running, so the rows compare side by side. Each row
 * has its own time budget: slow rows (seconds per query) would take hours at 1M, so past it a row
 * stops early (after at least 10 timed queries).
 */
export async function measureRows(
  db: Db,
  rows: readonly Row[],
  warmup: number,
  asked: number,
  budgetMs: number,
): Promise<Map<QueryKey, QueryResult>> {
  const state = rows.map((row) => ({
    row,
    spent: 0,
    warmed: 0,
    ms: [] as number[],
    totals: [] as number[],
    more: 0,
    corrected: 0,
    empty: 0,
  }));
  for (let i = 0; i < warmup; i++) {
    for (const s of state) {
      if (s.spent >= budgetMs * 0.25) continue;
      const t = performance.now();
      await runSearch(db, s.row.pool[s.warmed++ % s.row.pool.length]!);
      s.spent += performance.now() - t;
    }
  }
  for (const s of state) s.spent = 0;
  for (let i = 0; i < asked; i++) {
    const open = state.filter((s) => s.ms.length < 10 || s.spent < budgetMs);
    if (open.length === 0) break;
    for (const s of open) {
      const q = s.row.pool[i % s.row.pool.length]!;
      const t = performance.now();
      const out = await runSearch(db, q);
      const took = performance.now() - t;
      s.ms.push(took);
      s.spent += took;
      hostLoad.tick();
      s.totals.push(out.total);
      if (out.more) s.more++;
      if (out.correctedQuery !== null) s.corrected++;
      if (out.results.length === 0) s.empty++;
    }
  }
  const r2 = (n: number) => Math.round(n * 100) / 100;
  const out = new Map<QueryKey, QueryResult>();
  for (const s of state) {
    const sorted = [...s.ms].sort((a, b) => a - b);
    const timed = s.ms.length;
    out.set(s.row.key, {
      label: s.row.label,
      pool: s.row.pool.length,
      warmup: s.warmed,
      asked,
      timed,
      p50Ms: r2(percentile(sorted, 0.5)),
      p99Ms: r2(percentile(sorted, 0.99)),
      meanMs: r2(s.ms.reduce((a, b) => a + b, 0) / timed),
      maxMs: r2(sorted.at(-1)!),
      medianResults: percentile(
        [...s.totals].sort((a, b) => a - b),
        0.5,
      ),
      moreShare: r2(s.more / timed),
      correctedShare: r2(s.corrected / timed),
      emptyShare: r2(s.empty / timed),
      examples: s.row.pool.slice(0, 3),
    });
  }
  return out;
}

/** Typo candidates that search really corrects on this corpus (exact or phonetic hits are not typos). */
export async function fuzzyPool(
  db: Db,
  candidates: readonly string[],
  want: number,
  budgetMs: number,
): Promise<{ pool: string[]; tried: number }> {
  const pool: string[] = [];
  let tried = 0;
  const deadline = performance.now() + budgetMs;
  for (const q of candidates) {
    if (pool.length >= want || (pool.length >= 10 && performance.now() > deadline)) break;
    tried++;
    const out = await runSearch(db, q);
    if (out.correctedQuery !== null && out.results.length > 0) pool.push(q);
  }
  return { pool, tried };
}

/** Queries of `n` words each taken from one sampled document; random list words if too few. */
export function fromDocuments(
  samples: readonly string[],
  n: number,
  seed: number,
  fallback: string[],
): string[] {
  const random = prng(seed + n);
  const out: string[] = [];
  for (const text of samples) {
    const q = queryFromText(text, n, random);
    if (q !== null) out.push(q);
    if (out.length === 100) break;
  }
  return out.length >= 20 ? out : fallback;
}

export async function runQueries(
  db: Db,
  size: number,
  samples: readonly string[],
  settings: Settings,
  log: (message: string) => void,
): Promise<Partial<Record<QueryKey, QueryResult>>> {
  const pools = queryPools(settings.seed);
  const timed = timedQueries(settings, size);
  const fuzzy = await fuzzyPool(db, pools.fuzzyCandidates, 100, settings.budgetSeconds * 1000);
  const byKey: Record<QueryKey, string[]> = {
    oneWord: pools.oneWord,
    twoWords: fromDocuments(samples, 2, settings.seed, pools.twoWords),
    fourWords: fromDocuments(samples, 4, settings.seed, pools.fourWords),
    fuzzy: fuzzy.pool,
    common: [COMMON_WORD],
    stop: [STOP_WORD],
    rare: pools.rare,
    roman: [ROMAN_QUERY],
  };
  const rows: Row[] = [];
  for (const { key, label } of QUERY_TYPES) {
    if (byKey[key].length > 0) rows.push({ key, label, pool: byKey[key] });
    else log(`${label}: no queries (none of ${fuzzy.tried} typo candidates was corrected)`);
  }
  const started = performance.now();
  const measured = await measureRows(db, rows, settings.warmup, timed, settings.budgetSeconds * 1000);
  const out: Partial<Record<QueryKey, QueryResult>> = {};
  for (const { key, label } of rows) {
    const r = measured.get(key)!;
    if (key === "fuzzy") r.candidatesTried = fuzzy.tried;
    out[key] = r;
    log(
      `${label}: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms over ${r.timed} queries ` +
        (r.timed < timed ? `(time budget: ${timed} asked) ` : "") +
        `(${r.pool} distinct)`,
    );
  }
  log(`queries: ${fmtSeconds((performance.now() - started) / 1000)}, every row's interleaved`);
  return out;
}

/** Median µs of a trivial statement's round trip (300 in a row, after 50 unmeasured). */
export async function roundTrip(db: Db): Promise<number> {
  const us: number[] = [];
  for (let i = 0; i < 350; i++) {
    const t = performance.now();
    await sql`select 1`.execute(db);
    if (i >= 50) us.push((performance.now() - t) * 1000);
  }
  return Math.round(
    percentile(
      us.sort((a, b) => a - b),
      0.5,
    ),
  );
}
