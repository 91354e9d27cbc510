// Search cost calibration (`npm run bench -- search-costs --url <postgres url> [--seed N] [--fit]`):
// where pgMatch.ts's STRATEGY_COSTS come from. On a database the search bench left behind
// (`npm run bench -- search --sizes 100k --db postgres --keep`), it asks the kinds of queries the
// search bench asks (one, two and four words, rare words, the common, stop-word and Roman rows,
// corrected typos), and for each query and vector column measures the execution time (EXPLAIN
// ANALYZE, planning included, median of three after one warm-up) of every shape at several
// bounds, and of the shape chooseStrategy picks. It reports, per kind, the total time of the
// chosen shapes against the fastest measured; with --fit it also searches for the costs that
// would pick the fastest shapes (coordinate descent over a grid), judged by the same
// measurements. A fitted shape's bound is looked up at the nearest measured one at or above it,
// so fitted totals are estimates; the chosen column is measured.
import { CompiledQuery } from "kysely";
import { performance } from "node:perf_hooks";
import { systemClock } from "../src/db/clock.ts";
import { createDb, type Db } from "../src/db/connect.ts";
import { LADDER_DEPTHS, recentRange, windowStart } from "../src/search/pgLadder.ts";
import {
  chooseStrategy,
  engineStats,
  newestKeys,
  STRATEGY_COSTS,
  windowStartWithin,
  type Column,
  type ColumnStats,
  type Strategy,
  type StrategyCosts,
} from "../src/search/pgMatch.ts";
import { matchQueryOf, planQuery, withTypoCorrection } from "../src/search/plan.ts";
import type { MatchQuery } from "../src/search/queries.ts";
import { search } from "../src/search/search.ts";
import { formatTable, gitInfo, machineInfo, writeResults } from "./lib/results.ts";
import { queryPools } from "./searchCorpus.ts";
import { COMMON_WORD, ROMAN_QUERY, STOP_WORD } from "./searchWords.ts";

const LIMIT = 100;
const WINDOW_DEPTHS = LADDER_DEPTHS.filter((d) => d >= 512 && d <= 32768);
const WALK_BOUNDS = [256, 512, 1024, 2048, 4096, 8192];
const FUZZY_QUERIES = 60;

interface Measured {
  kind: string;
  column: Column;
  match: MatchQuery;
  stats: ColumnStats;
  /** Rows of the column's wide recent index as search saw them, if it has one. */
  wideRows: number | null;
  /** ms of each shape: "bitmap", "window<rows>", "walk<rows>". */
  times: Record<string, number>;
  chosen: Strategy;
  chosenMs: number;
}

function parseArgs(args: string[]): { url: string; seed: number; fit: boolean } {
  let url = "";
  let seed = 1;
  let fit = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--fit") fit = true;
    else if (args[i] === "--url") url = args[++i] ?? "";
    else if (args[i] === "--seed") seed = Number(args[++i]);
    else throw new Error(`search-costs takes --url <postgres url> --seed N --fit; got "${args[i]}"`);
  }
  if (!url.startsWith("postgres")) {
    throw new Error(
      "search-costs needs --url: a PostgreSQL database with a search index, such as one kept by " +
        "`npm run bench -- search --sizes 100k --db postgres --keep`",
    );
  }
  if (!Number.isInteger(seed)) throw new Error("--seed takes a whole number");
  return { url, seed, fit };
}

async function queriesOf(db: Db, seed: number): Promise<{ kind: string; match: MatchQuery }[]> {
  const pools = queryPools(seed);
  const out: { kind: string; match: MatchQuery }[] = [];
  const add = (kind: string, qs: readonly string[]) => {
    for (const q of qs) out.push({ kind, match: matchQueryOf(planQuery(q).groups) });
  };
  add("1 word", pools.oneWord);
  add("2 words", pools.twoWords);
  add("4 words", pools.fourWords);
  add("rare word", pools.rare);
  add("common, stop, Roman rows", [COMMON_WORD, STOP_WORD, ROMAN_QUERY]);
  let fuzzy = 0;
  for (const q of pools.fuzzyCandidates) {
    if (fuzzy >= FUZZY_QUERIES) break;
    const found = await search(db, { q, limit: 10, offset: 0 }, systemClock);
    const corrected = found.correctedQuery && found.results.length > 0;
    const plan = corrected ? await withTypoCorrection(db, planQuery(q)) : null;
    if (!plan) continue;
    out.push({ kind: "fuzzy (corrected)", match: matchQueryOf(plan.plan.groups) });
    fuzzy++;
  }
  return out.filter((q) => q.match.length > 0);
}

async function executionMs(
  db: Db,
  statement: { sql: string; parameters: readonly unknown[] },
): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await db.executeQuery<{ "QUERY PLAN": string }>(
      CompiledQuery.raw(`explain (analyze, summary, timing off) ${statement.sql}`, [...statement.parameters]),
    );
    const text = r.rows.map((row) => row["QUERY PLAN"]).join("\n");
    const at = (label: string) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(text)?.[1] ?? NaN);
    if (i > 0) ms.push(at("Planning Time") + at("Execution Time"));
  }
  return ms.sort((a, b) => a - b)[1]!;
}

function shapeKey(s: Strategy): string {
  if (s.kind === "window") return s.wide ? "wide" : `window${s.windowRows}`;
  return s.kind === "bitmap" ? "bitmap" : `walk${s.walkRows}`;
}

async function measureShape(db: Db, match: MatchQuery, column: Column, s: Strategy): Promise<number> {
  // Where search starts it: the kept key for its depth, or the recent index's floor within reach;
  // the wide index's floor for its window (and for a walk's fallback).
  const wideFloor = recentRange(db, column, "wide")?.floor ?? null;
  const start =
    s.kind !== "window"
      ? null
      : s.wide
        ? wideFloor
        : windowStartWithin(db, column, s.windowRows, match.length);
  return executionMs(db, newestKeys(match, {}, column, LIMIT, s, start, wideFloor).compile(db));
}

/** The measured time of the shape these costs pick (bounds rounded up to a measured one). */
function timeWith(m: Measured, costs: StrategyCosts): number {
  const s = chooseStrategy(m.match, m.stats, LIMIT, m.column, costs, m.wideRows);
  if (s.kind === "bitmap") return m.times.bitmap!;
  if (s.kind === "window" && s.wide) return m.times.wide ?? m.times.bitmap!;
  if (s.kind === "window") {
    const depth = WINDOW_DEPTHS.find((d) => d >= s.windowRows);
    return depth === undefined ? m.times.bitmap! : (m.times[`window${depth}`] ?? m.times.bitmap!);
  }
  const bound = WALK_BOUNDS.find((b) => b >= s.walkRows) ?? WALK_BOUNDS.at(-1)!;
  return m.times[`walk${bound}`] ?? m.times.bitmap!;
}

const total = (ms: readonly Measured[], f: (m: Measured) => number) => ms.reduce((a, m) => a + f(m), 0);
const fastest = (m: Measured) => Math.min(...Object.values(m.times));

function fit(measured: readonly Measured[]): StrategyCosts {
  const grid: Record<Exclude<keyof StrategyCosts, "walkRow">, number[]> & {
    walkRowVec: number[];
    walkRowHead: number[];
  } = {
    walkRowVec: [1, 1.5, 2, 2.4, 3, 4],
    walkRowHead: [1, 1.5, 1.8, 2.4, 3, 4],
    bitmapRow: [0.2, 0.3, 0.4, 0.6, 0.8],
    bitmapFixed: [0, 50, 100, 200, 300],
    ginEntry: [0.01, 0.02, 0.05, 0.08, 0.12],
    windowRow: [0.005, 0.01, 0.03, 0.08],
    windowSeek: [STRATEGY_COSTS.windowSeek],
    walkSlack: [1.5, 2, 3, 4],
    windowSlack: [1, 1.5, 2, 3, 4],
  };
  let best = STRATEGY_COSTS;
  let bestMs = total(measured, (m) => timeWith(m, best));
  for (let pass = 0; pass < 3; pass++) {
    for (const [key, values] of Object.entries(grid)) {
      for (const v of values) {
        const next: StrategyCosts =
          key === "walkRowVec"
            ? { ...best, walkRow: { ...best.walkRow, vec: v } }
            : key === "walkRowHead"
              ? { ...best, walkRow: { ...best.walkRow, head_vec: v } }
              : { ...best, [key]: v };
        const ms = total(measured, (m) => timeWith(m, next));
        if (ms < bestMs - 1e-9) [best, bestMs] = [next, ms];
      }
    }
  }
  return best;
}

export async function run(args: string[]): Promise<void> {
  const settings = parseArgs(args);
  const date = new Date();
  const db = createDb({ dialect: "postgres", url: settings.url });
  try {
    const queries = await queriesOf(db, settings.seed);
    windowStart(db, "vec", LIMIT); // starts reading the kept window keys
    await new Promise((resolve) => setTimeout(resolve, 500));
    const measured: Measured[] = [];
    const started = performance.now();
    for (const [i, { kind, match }] of queries.entries()) {
      const stats = await engineStats(db, match);
      for (const column of ["head_vec", "vec"] as const) {
        const st = stats[column];
        if (!st) throw new Error("no statistics for the vector columns: run ANALYZE first");
        const wideRows = recentRange(db, column, "wide")?.rows ?? null;
        const shapes: Strategy[] = [
          { kind: "bitmap" },
          ...(wideRows === null ? [] : [{ kind: "window", windowRows: wideRows, wide: true } as const]),
          ...WINDOW_DEPTHS.filter((d) => d < st.rows).map((d): Strategy => ({
            kind: "window",
            windowRows: d,
          })),
          ...WALK_BOUNDS.filter((b) => b < st.rows).map((b): Strategy => ({ kind: "walk", walkRows: b })),
        ];
        const times: Record<string, number> = {};
        for (const s of shapes) times[shapeKey(s)] = await measureShape(db, match, column, s);
        const chosen = chooseStrategy(match, st, LIMIT, column, STRATEGY_COSTS, wideRows);
        const chosenMs = await measureShape(db, match, column, chosen);
        measured.push({ kind, column, match, stats: st, wideRows, times, chosen, chosenMs });
      }
      if ((i + 1) % 50 === 0 || i + 1 === queries.length) {
        const s = (performance.now() - started) / 1000;
        console.error(`${i + 1}/${queries.length} queries measured (${s.toFixed(0)} s)`);
      }
    }
    const fitted = settings.fit ? fit(measured) : null;
    const kinds = [...new Set(measured.map((m) => m.kind))];
    const header = ["queries", "statements", "chosen ms", "fastest ms", ...(fitted ? ["fitted ms"] : [])];
    const rowOf = (label: string, ms: Measured[]) => [
      label,
      String(ms.length),
      total(ms, (m) => m.chosenMs).toFixed(1),
      total(ms, fastest).toFixed(1),
      ...(fitted ? [total(ms, (m) => timeWith(m, fitted)).toFixed(1)] : []),
    ];
    const rows = [
      ...kinds.map((k) =>
        rowOf(
          k,
          measured.filter((m) => m.kind === k),
        ),
      ),
      rowOf("all", measured),
    ];
    const rowsInTable = Number(measured[0]?.stats.rows ?? 0).toLocaleString("en-US");
    console.log(
      `\nRasai search shape costs — ${date.toISOString()} — ${rowsInTable} vector rows, seed ${settings.seed}\n`,
    );
    console.log(formatTable(header, rows));
    console.log(
      "\nchosen: execution + planning time of the shapes chooseStrategy picks now, measured; fastest: of the fastest shape" +
        "\nmeasured for each statement" +
        (fitted ? "; fitted: of the shapes the fitted costs would pick (estimated)" : ""),
    );
    if (fitted)
      console.log(
        `\nfitted costs: ${JSON.stringify(fitted)}\ncurrent:      ${JSON.stringify(STRATEGY_COSTS)}`,
      );
    const files = writeResults("search-costs", date, {
      date: date.toISOString(),
      machine: machineInfo(),
      git: gitInfo(),
      seed: settings.seed,
      current: STRATEGY_COSTS,
      fitted,
      totals: Object.fromEntries(rows.map((r) => [r[0], r.slice(1)])),
      measured: measured.map(({ stats, ...m }) => ({ ...m, rows: stats.rows })),
    });
    console.log(`\nwrote ${files.join(" and ")}`);
  } finally {
    await db.destroy();
  }
}
