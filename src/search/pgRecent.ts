// PostgreSQL: a second GIN index on each vector table, partial, over its newest documents only.
//
// A window (pgMatch.ts) is GIN's matches and-ed with the keys of the newest few thousand
// documents, and GIN builds its bitmap from a word's whole posting list: a word in 6% of 100k
// documents is 5,600 entries read to keep the ~200 in the window (1.0 of the statement's 1.7 ms;
// at a million documents ten times that). A partial index `where doc_key >= floor` holds only the
// newest RECENT_ROWS to twice that, and the planner takes it for any window whose start (a
// literal in the statement) is at or above the floor: the same bitmap from a list a sixth as long
// at 100k documents. Nothing else changes: a window deeper than the floor, a walk, and the bitmap
// of every match use the full index as before, and the results are the same either way.
//
// As documents are published the partial index grows; once it holds twice RECENT_ROWS a new one
// is built at a higher floor (CREATE INDEX CONCURRENTLY: writers and searches go on) and the old
// one dropped. The check runs with the ladder's refresh (once a minute, in the background) and at
// the end of every rebuild; a table of fewer than twice RECENT_ROWS documents has none.

import { sql } from "kysely";
import type { Executor } from "../db/connect.ts";
import {
  RECENT_WINDOW_TABLES,
  recentWindowFloor,
  writeRecentWindowFunction,
  type RecentWindowTable,
} from "./pgRecentWindow.ts";

/** The newest rows a recent index is built over; it is rebuilt higher when it holds twice this. */
export const RECENT_ROWS = 16_384;

type Table = RecentWindowTable;

/** One process rebuilds a schema's recent indexes at a time (an advisory lock on this key). */
export const RECENT_LOCK_KEY = sql<number>`hashtext(current_schema() || ':rasai-search-recent')`;

export interface RecentIndex {
  name: string;
  table: Table;
  /** The lowest doc_key the index holds. */
  floor: number;
  valid: boolean;
}

const nameOf = (table: Table, floor: number) => `${table}_recent_${floor}`;

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
      and c.relname like t.relname || '\\_recent\\_%'`.execute(db);
  return r.rows.map((row) => ({
    ...row,
    floor: Number(row.name.slice(row.table.length + "_recent_".length)),
  }));
}

async function keyAtDepth(db: Executor, table: Table, depth: number): Promise<number | null> {
  const r = await sql<{ doc_key: string }>`select doc_key from ${sql.table(table)}
    order by doc_key desc offset ${depth - 1} limit 1`.execute(db);
  const key = r.rows[0]?.doc_key;
  return key === undefined ? null : Number(key);
}

/**
 * Builds each table's recent index when it has none and is big enough, or a higher one when its
 * index holds twice `rows`; drops the ones it replaces and any a failed build left invalid. Runs
 * outside a transaction (CREATE INDEX CONCURRENTLY), on one connection, and does nothing while
 * another process is at it. Returns the names built.
 */
export async function refreshRecentIndexes(db: Executor, rows: number = RECENT_ROWS): Promise<string[]> {
  if (db.isTransaction) return [];
  const built: string[] = [];
  await db.connection().execute(async (conn) => {
    const lock = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${RECENT_LOCK_KEY}) as ok`.execute(
      conn,
    );
    if (!lock.rows[0]?.ok) return;
    try {
      const existing = await recentIndexes(conn);
      for (const { table, column } of RECENT_WINDOW_TABLES) {
        const own = existing.filter((x) => x.table === table);
        for (const x of own.filter((i) => !i.valid)) await dropIndex(conn, x.name);
        const current = own.filter((i) => i.valid).sort((a, b) => b.floor - a.floor)[0];
        const deep = await keyAtDepth(conn, table, 2 * rows);
        // Fewer than twice `rows` above the floor (or in the table): no new index yet.
        if (deep === null || (current && deep < current.floor)) {
          await keepWindowFunction(conn, table, current?.floor ?? null);
          continue;
        }
        const floor = (await keyAtDepth(conn, table, rows))!;
        const name = nameOf(table, floor);
        await sql`create index concurrently if not exists ${sql.id(name)} on ${sql.table(table)}
          using gin (${sql.ref(column)}) where doc_key >= ${sql.lit(floor)}`.execute(conn);
        built.push(name);
        // Windows move to the new index before the old one goes.
        await keepWindowFunction(conn, table, floor);
        for (const x of own.filter((i) => i.valid && i.name !== name)) await dropIndex(conn, x.name);
      }
    } finally {
      await sql`select pg_advisory_unlock(${RECENT_LOCK_KEY})`.execute(conn);
    }
  });
  return built;
}

/** Rewrites the table's window function (pgRecentWindow.ts) when it holds another floor. */
async function keepWindowFunction(db: Executor, table: Table, floor: number | null): Promise<void> {
  if ((await recentWindowFloor(db, table)) !== floor) await writeRecentWindowFunction(db, table, floor);
}

async function dropIndex(db: Executor, name: string): Promise<void> {
  await sql`drop index concurrently if exists ${sql.id(name)}`.execute(db);
}
