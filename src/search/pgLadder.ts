// Where a window of the newest documents starts, on PostgreSQL (see pgMatch.ts, "window"): the
// key found at fixed depths below the newest document of each vector table. Finding it for one
// search walks the primary key down that far (6,000 rows: 0.45 ms; 60,000 at a million
// documents: ~4 ms), so the depths are read together once a minute, in the background, and kept.
//
// A key read a while ago is as correct as a fresh one: the window is only where GIN's matches
// are looked for first, and it holds every document newer than its key. Documents published
// since make it wider, documents removed narrower; with too few matches in it the search asks
// for all of them anyway.

import { sql } from "kysely";
import type { Executor } from "../db/connect.ts";
import { recentIndexes, refreshRecentIndexes, type RecentIndex, type Tier } from "./pgRecent.ts";

type Column = "head_vec" | "vec";
const TABLES: Record<Column, string> = { vec: "search_vectors", head_vec: "search_head_vectors" };

/** Rows below the newest at which keys are kept: a window is the next depth up from its size. */
export const LADDER_DEPTHS = [256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536] as const;
const LADDER_TTL_MS = 60_000;

/** One of a table's recent indexes (pgRecent.ts): its lowest key, and how many rows it holds. */
export interface RecentRange {
  tier: Tier;
  floor: number;
  rows: number;
}

interface Ladder {
  at: number;
  keys: Record<Column, (number | null)[]> | null;
  recent: Record<Column, Partial<Record<Tier, RecentRange>>> | null;
  refreshing: boolean;
}

// Keyed by the database handle, like the statistics in pgMatch.ts.
const ladders = new WeakMap<object, Ladder>();

async function readLadder(db: Executor): Promise<Record<Column, (number | null)[]>> {
  const depthsOf = (table: string) =>
    sql.join(
      LADDER_DEPTHS.map(
        (d) =>
          sql`(select doc_key from ${sql.raw(table)} order by doc_key desc offset ${sql.lit(d - 1)} limit 1)`,
      ),
    );
  const r = await sql<{ vec: (string | null)[]; head_vec: (string | null)[] }>`select
    array[${depthsOf(TABLES.vec)}]::text[] as vec,
    array[${depthsOf(TABLES.head_vec)}]::text[] as head_vec`.execute(db);
  const row = r.rows[0];
  const keys = (values: (string | null)[] | undefined) =>
    LADDER_DEPTHS.map((_d, i) => (values?.[i] == null ? null : Number(values[i])));
  return { vec: keys(row?.vec), head_vec: keys(row?.head_vec) };
}

/**
 * Each table's highest valid recent index of each tier, with the rows at or above its floor. While
 * a higher one replaces it both are valid for a moment: a window starting at the higher floor can
 * use either, and the planner takes the smaller.
 */
async function readRecent(db: Executor): Promise<Record<Column, Partial<Record<Tier, RecentRange>>>> {
  const highest = new Map<string, RecentIndex>();
  for (const x of await recentIndexes(db)) {
    const key = `${x.table} ${x.tier}`;
    if (x.valid && x.floor > (highest.get(key)?.floor ?? -Infinity)) highest.set(key, x);
  }
  const out: Record<Column, Partial<Record<Tier, RecentRange>>> = { vec: {}, head_vec: {} };
  for (const { table, tier, floor } of highest.values()) {
    const column = table === TABLES.vec ? "vec" : "head_vec";
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}
      where doc_key >= ${floor}`.execute(db);
    out[column][tier] = { tier, floor, rows: Number(r.rows[0]?.n ?? 0) };
  }
  return out;
}

function refresh(db: Executor, ladder: Ladder): void {
  if (ladder.refreshing) return;
  ladder.refreshing = true;
  Promise.all([readLadder(db), readRecent(db)])
    .then(([keys, recent]) => {
      ladder.keys = keys;
      ladder.recent = recent;
      ladder.at = Date.now();
    })
    // A failed read (the database going away) leaves the old keys, or none: searches then find
    // their window's start themselves.
    .catch(() => {})
    .finally(() => {
      ladder.refreshing = false;
    });
  maintainRecentIndexes(db);
}

// Keyed like the ladders: whether a check of the recent indexes (pgRecent.ts) is under way.
const recentChecks = new WeakSet<object>();

/** The recent indexes' check, once a minute with the ladder, in the background. */
function maintainRecentIndexes(db: Executor): void {
  if (recentChecks.has(db)) return;
  recentChecks.add(db);
  refreshRecentIndexes(db)
    // A failed build leaves an invalid index, which the next check drops; searches are as
    // correct without a recent index, only slower.
    .catch(() => {})
    .finally(() => recentChecks.delete(db));
}

/**
 * The key at or below which a window of at least `rows` of the newest documents starts, if it is
 * known; null when it is not (yet), the table is smaller, or the window is deeper than the ladder.
 */
export function windowStart(db: Executor, column: Column, rows: number): number | null {
  const ladder = ladderOf(db);
  const depth = LADDER_DEPTHS.findIndex((d) => d >= rows);
  if (depth < 0 || !ladder.keys) return null;
  return ladder.keys[column][depth] ?? null;
}

function ladderOf(db: Executor): Ladder {
  let ladder = ladders.get(db);
  if (!ladder) {
    ladder = { at: 0, keys: null, recent: null, refreshing: false };
    ladders.set(db, ladder);
  }
  if (Date.now() - ladder.at > LADDER_TTL_MS) refresh(db, ladder);
  return ladder;
}

/**
 * A column's table's recent index of a tier (the short one unless asked) as last read (once a
 * minute, with the keys); null when there is none or it is not known yet. Rows published since
 * make it hold more than it says.
 */
export function recentRange(db: Executor, column: Column, tier: Tier = "recent"): RecentRange | null {
  return ladderOf(db).recent?.[column][tier] ?? null;
}

/** Forget the kept keys of this handle (after a rebuild). */
export function forgetLadder(db: Executor): void {
  ladders.delete(db);
}
