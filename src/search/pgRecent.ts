// PostgreSQL: a second GIN index on each vector table, partial, over its newest documents only.
//
// A window (pgMatch.ts) is GIN's matches and-ed with the keys of the newest few thousand
// documents, and GIN builds its bitmap from a word's whole posting list: a word in 6% of 100k
// documents is 5,600 entries read to keep the ~200 in the window (1.0 of the statement's 1.7 ms;
// at a million documents ten times that). A partial index `where doc_key >= floor` holds only the
// newest RECENT_ROWS to twice that, and the planner takes it for any window whose start (a
// literal in the statement) is at or above the floor: the same bitmap from a list a sixth as long
// at 100k documents. A window deeper than the floor and the bitmap of every match use the full
// index, and the results are the same either way.
//
// As documents are published the partial index grows; once it holds twice RECENT_ROWS a new one
// is built at a higher floor (CREATE INDEX CONCURRENTLY: writers and searches go on) and the old
// one dropped. The check runs with the ladder's refresh (once a minute, in the background) and at
// the end of every rebuild, which builds them all at once instead (RefreshOptions.atOnce); a
// table of fewer than twice RECENT_ROWS documents has none.
//
// search_vectors also keeps a wide one, over WIDE_FACTOR times as many of its newest rows, kept
// the same way. Several words together are in few documents, so the window that holds their
// newest 100 is deep: at 100k documents, most four-word searches let GIN read every match
// because it was deeper than the short index reaches. Over the newest 49k rows GIN reads half
// of each word's list (see WIDE_FACTOR). A window in the short index that holds too few, and a
// walk that runs out of its bound, look there too before every match is read (pgRecentWindow.ts,
// pgMatch.ts). The head table's lists are short; it keeps one index.

import { sql } from "kysely";
import { isPostgres, type Db, type Executor } from "../db/connect.ts";
import {
  RECENT_WINDOW_TABLES,
  recentWindowFloors,
  writeRecentWindowFunction,
  type RecentWindowTable,
  type WindowFloors,
} from "./pgRecentWindow.ts";

/** The newest rows a recent index is built over; it is rebuilt higher when it holds twice this. */
export const RECENT_ROWS = 16_384;
/**
 * The wide index covers this many times RECENT_ROWS (49,152 rows, rebuilt higher at 98,304).
 * Measured at 100k documents, the four-word searches that let GIN read every match: of 72, 49 had
 * their newest 100 within the newest 50k rows, and those took 1.14 ms through an index over them
 * against 1.92 through the table's (median, the statement alone); 30k rows held them for 34.
 */
export const WIDE_FACTOR = 3;

type Table = RecentWindowTable;
export type Tier = "recent" | "wide";

/** Each table's recent indexes, narrowest first, with the rows each covers as a multiple of `rows`. */
export const TIERS: Record<Table, readonly { tier: Tier; factor: number }[]> = {
  search_vectors: [
    { tier: "recent", factor: 1 },
    { tier: "wide", factor: WIDE_FACTOR },
  ],
  search_head_vectors: [{ tier: "recent", factor: 1 }],
};

/** How often withoutWideIndex asks for the lock while a check holds it. */
const LOCK_RETRY_MS = 200;

/** One process rebuilds a schema's recent indexes at a time (an advisory lock on this key). */
export const RECENT_LOCK_KEY = sql<number>`hashtext(current_schema() || ':rasai-search-recent')`;

export interface RecentIndex {
  name: string;
  table: Table;
  tier: Tier;
  /** The lowest doc_key the index holds. */
  floor: number;
  valid: boolean;
}

const nameOf = (table: Table, tier: Tier, floor: number) => `${table}_${tier}_${floor}`;

/** The recent indexes in the current schema, valid or left invalid by a build that failed. */
export async function recentIndexes(db: Executor): Promise<RecentIndex[]> {
  const r = await sql<{ name: string; table: Table; valid: boolean }>`select c.relname as name,
      t.relname as table, i.indisvalid as valid
    from pg_index i
    join pg_class c on c.oid = i.indexrelid
    join pg_class t on t.oid = i.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = current_schema()
      and t.relname in ('search_vectors', 'search_head_vectors')
      and (c.relname like t.relname || '\\_recent\\_%' or c.relname like t.relname || '\\_wide\\_%')`.execute(
    db,
  );
  return r.rows.map((row) => {
    const [tier, floor] = row.name.slice(row.table.length + 1).split("_") as [Tier, string];
    return { ...row, tier, floor: Number(floor) };
  });
}

async function keyAtDepth(db: Executor, table: Table, depth: number): Promise<number | null> {
  const r = await sql<{ doc_key: string }>`select doc_key from ${sql.table(table)}
    order by doc_key desc offset ${depth - 1} limit 1`.execute(db);
  const key = r.rows[0]?.doc_key;
  return key === undefined ? null : Number(key);
}

/** An index refreshRecentIndexes is to build, and the ones of its tier it replaces. */
interface DueIndex {
  table: Table;
  column: string;
  tier: Tier;
  floor: number;
  name: string;
  replaces: RecentIndex[];
}

export interface RefreshOptions {
  /**
   * Build every due index at once, each on a pooled connection of its own, with a plain CREATE
   * INDEX instead of CONCURRENTLY: for the end of a rebuild (finishRebuild), where they are all
   * due together. Searches go on meanwhile (a plain build only keeps writers out); documents
   * published while they build wait for them, a few seconds (100k documents: both of
   * search_vectors' indexes in 7.4–8.4 s, where CONCURRENTLY built one after the other in
   * 12.5–13.6 s, since two such builds on one table deadlock). A build that fails leaves nothing.
   * Takes connections from `db`'s pool: not for a handle bound to one connection.
   */
  atOnce?: boolean;
}

/**
 * Builds each of a table's recent indexes (TIERS) when it has none and the table is big enough, or
 * a higher one when it holds twice its rows (`rows` times the tier's factor); drops the ones it
 * replaces and any a failed build left invalid. Runs outside a transaction (CREATE INDEX
 * CONCURRENTLY unless `atOnce`), holding the recent indexes' lock on a connection of its own, and
 * does nothing while another process is at it. Returns the names built.
 */
export async function refreshRecentIndexes(
  db: Executor,
  rows: number = RECENT_ROWS,
  { atOnce = false }: RefreshOptions = {},
): Promise<string[]> {
  if (db.isTransaction) return [];
  const built: string[] = [];
  await db.connection().execute(async (conn) => {
    const lock = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${RECENT_LOCK_KEY}) as ok`.execute(
      conn,
    );
    if (!lock.rows[0]?.ok) return;
    try {
      const existing = await recentIndexes(conn);
      const own = (table: Table, tier: Tier) => existing.filter((x) => x.table === table && x.tier === tier);
      const current = (table: Table, tier: Tier) =>
        own(table, tier)
          .filter((i) => i.valid)
          .sort((a, b) => b.floor - a.floor)[0];
      const due: DueIndex[] = [];
      for (const { table, column } of RECENT_WINDOW_TABLES) {
        for (const { tier, factor } of TIERS[table]) {
          for (const x of own(table, tier).filter((i) => !i.valid)) await dropIndex(conn, x.name);
          const held = current(table, tier);
          const deep = await keyAtDepth(conn, table, 2 * factor * rows);
          // Fewer than twice its rows above the floor (or in the table): no new index yet.
          if (deep === null || (held && deep < held.floor)) continue;
          const floor = (await keyAtDepth(conn, table, factor * rows))!;
          const name = nameOf(table, tier, floor);
          const replaces = own(table, tier).filter((i) => i.valid && i.name !== name);
          due.push({ table, column, tier, floor, name, replaces });
        }
      }
      const build = (on: Executor, d: DueIndex, concurrently: boolean) =>
        sql`create index ${sql.raw(concurrently ? "concurrently " : "")}if not exists ${sql.id(d.name)}
          on ${sql.table(d.table)} using gin (${sql.ref(d.column)}) where doc_key >= ${sql.lit(d.floor)}`.execute(
          on,
        );
      if (atOnce) {
        // Every build ends before the lock is given back, even when one of them fails. A single
        // build runs on the lock's connection.
        const ends = await Promise.allSettled(
          due.length === 1
            ? [build(conn, due[0]!, false)]
            : due.map((d) => db.connection().execute((c) => build(c, d, false))),
        );
        const failed = ends.find((e) => e.status === "rejected");
        if (failed) throw failed.reason;
      }
      for (const { table } of RECENT_WINDOW_TABLES) {
        // The floors the window function is to hold (pgRecentWindow.ts): the highest valid index
        // of each tier, moved up as one is built.
        const floors: WindowFloors = { recent: null, wide: null };
        for (const { tier } of TIERS[table]) floors[tier] = current(table, tier)?.floor ?? null;
        for (const d of due.filter((x) => x.table === table)) {
          if (!atOnce) await build(conn, d, true);
          built.push(d.name);
          // Windows move to the new index before the old one goes.
          floors[d.tier] = d.floor;
          await keepWindowFunction(conn, table, floors);
          for (const x of d.replaces) await dropIndex(conn, x.name);
        }
        await keepWindowFunction(conn, table, floors);
      }
    } finally {
      await sql`select pg_advisory_unlock(${RECENT_LOCK_KEY})`.execute(conn);
    }
  });
  return built;
}

/**
 * Runs `work` (a rebuild) with search_vectors' wide index set aside: dropped first, and not built
 * again while `work` runs, because this holds the recent indexes' lock on a connection of its own
 * (a check elsewhere finds it taken and leaves them alone). A rebuild writes every document again,
 * and the wide index holds up to the newest 98k: at 100k seed-length articles a rebuild over the
 * full index wrote 992 docs/s without it and 802 with it, where building it afresh at the end
 * (finishRebuild) takes ~5–9 s. Meanwhile several words are looked for as before it existed; the
 * short index stays. PostgreSQL only.
 */
export async function withoutWideIndex<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return work();
  return db.connection().execute(async (conn) => {
    // After a check under way, which may be building this very index. Asked again and again, not
    // waited for: a statement waiting for the lock holds a snapshot, which the check's CREATE
    // INDEX CONCURRENTLY would wait for in turn.
    for (;;) {
      const lock = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${RECENT_LOCK_KEY}) as ok`.execute(
        conn,
      );
      if (lock.rows[0]?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
    try {
      const wide = (await recentIndexes(conn)).filter((x) => x.tier === "wide");
      for (const { table } of RECENT_WINDOW_TABLES) {
        const held = await recentWindowFloors(conn, table);
        if (held && held.wide !== null) await keepWindowFunction(conn, table, { ...held, wide: null });
      }
      for (const x of wide) await dropIndex(conn, x.name);
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${RECENT_LOCK_KEY})`.execute(conn);
    }
  });
}

/** Rewrites the table's window function (pgRecentWindow.ts) when it holds other floors. */
async function keepWindowFunction(db: Executor, table: Table, floors: WindowFloors): Promise<void> {
  const held = await recentWindowFloors(db, table);
  if (held?.recent !== floors.recent || held.wide !== floors.wide) {
    await writeRecentWindowFunction(db, table, { ...floors });
  }
}

async function dropIndex(db: Executor, name: string): Promise<void> {
  await sql`drop index concurrently if exists ${sql.id(name)}`.execute(db);
}
