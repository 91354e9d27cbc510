// What bulk loads and rebuilds do to the search tables beyond writing documents: FTS5's merging,
// PostgreSQL's GIN indexes and statistics, and the vocabulary's word counts.

import { sql } from "kysely";
import { isPostgres, type Executor } from "../db/connect.ts";
import { forgetLadder } from "./pgLadder.ts";
import { forgetEngineStats } from "./pgMatch.ts";
import { countIndexed } from "./queries.ts";

/** FTS5's own setting: merge a level's segments once this many have piled up. */
const FTS5_AUTOMERGE = 4;

/**
 * Indexing many documents at once (indexInBulk). SQLite: FTS5 stops merging segments after every
 * commit and leaves it to its crisis merges (16 segments a level, so fewer passes over the same
 * data) and to the 'optimize' of finishRebuild; measured at 100k documents, 1,186 → 1,412 docs/s,
 * with 'optimize' taking the same 2.7 s. The setting is stored in the index, so it is put back
 * when the bulk work ends, whether or not it succeeded. PostgreSQL: nothing to change.
 */
export async function setBulkIndexing(db: Executor, on: boolean): Promise<void> {
  if (isPostgres(db)) return;
  // A literal: FTS5 wants an integer, and better-sqlite3 binds a JavaScript number as a real.
  const merge = sql.lit(on ? 0 : FTS5_AUTOMERGE);
  await sql`insert into search_fts (search_fts, rank) values ('automerge', ${merge})`.execute(db);
  await sql`insert into search_head_fts (search_head_fts, rank) values ('automerge', ${merge})`.execute(db);
}

/**
 * After a rebuild. SQLite: FTS5 merges its segments into one (a query reads one b-tree per term
 * instead of one per segment: 4-word queries 8.1 → 5.7 ms p50 at 100k documents; ~2 s of work).
 * PostgreSQL: fresh statistics say which terms are common, and search chooses its strategy from
 * them (pgMatch.ts); autovacuum would refresh them too, but only later. Cannot run inside a
 * transaction.
 */
export async function finishRebuild(db: Executor): Promise<void> {
  if (!isPostgres(db)) {
    await sql`insert into search_fts (search_fts) values ('optimize')`.execute(db);
    await sql`insert into search_head_fts (search_head_fts) values ('optimize')`.execute(db);
    return;
  }
  // VACUUM as well: it sets the new rows' hint bits and the visibility map, which otherwise the
  // first searches to touch each page would do (a word in 6% of 100k documents: 86 ms the first
  // time, 11 ms after).
  await sql`vacuum (analyze) search_vectors, search_head_vectors, search_documents, search_vocab`.execute(db);
  forgetEngineStats(db);
  forgetLadder(db);
}

/** PostgreSQL's GIN indexes of the vector tables, as migration 0008 makes them. */
const TEXT_INDEXES = [
  { name: "search_vectors_vec", table: "search_vectors", column: "vec" },
  { name: "search_head_vectors_head_vec", table: "search_head_vectors", column: "head_vec" },
] as const;

/** Memory for building one GIN index (only while it is built): fewer, larger passes. */
const TEXT_INDEX_BUILD_MEMORY = "256MB";

export interface BuildProgress {
  /** Table blocks read by the builds so far, of all the tables' blocks. */
  done: number;
  total: number;
}

/**
 * The vocabulary row that says "the word counts are being worked out again": its term is no word
 * (words are never empty) and its count is below zero, so no look-up ever sees it.
 */
const RECOUNT_PENDING = "";

/**
 * Before a bulk load into an empty index. Per batch, the word counts would be ~20k upserts (the
 * largest part of a load on PostgreSQL), and on PostgreSQL each row would put ~150 entries into
 * two large GIN indexes at scattered places, each page touched after a checkpoint written to the
 * WAL whole. So the counts are left alone and the GIN indexes dropped; finishEmptyLoad counts the
 * words once from the documents and builds the indexes in one pass. A row in the vocabulary marks
 * the load, so one cut short is finished by the next rebuild (which the server's start runs).
 * Returns whether the index was empty.
 */
export async function startEmptyLoad(db: Executor): Promise<boolean> {
  if ((await countIndexed(db)) > 0) return false;
  await db
    .insertInto("search_vocab")
    .values({ term: RECOUNT_PENDING, df: -1 })
    .onConflict((oc) => oc.column("term").doNothing())
    .execute();
  if (isPostgres(db)) {
    for (const i of TEXT_INDEXES) await sql`drop index if exists ${sql.raw(i.name)}`.execute(db);
  }
  return true;
}

/** Whether a load into an empty index has not been finished (see startEmptyLoad). */
export async function emptyLoadPending(db: Executor): Promise<boolean> {
  const row = await db
    .selectFrom("search_vocab")
    .select("term")
    .where("term", "=", RECOUNT_PENDING)
    .executeTakeFirst();
  return row !== undefined;
}

/** Counts every word of the vocabulary again from the indexed documents (and ends a recount). */
export async function recountVocabulary(db: Executor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (isPostgres(trx)) {
      // Writers publishing meanwhile wait: their counts would be counted twice or lost.
      await sql`lock table search_vocab in exclusive mode`.execute(trx);
      await sql`set local work_mem = '256MB'`.execute(trx);
    }
    await trx.deleteFrom("search_vocab").execute();
    // The stored vocabulary of a document is its distinct words, space-separated (never quotes
    // or backslashes: words are letters and digits), split by each engine's own means.
    const words = isPostgres(trx)
      ? sql`select w from search_documents d, unnest(string_to_array(d.vocab, ' ')) w`
      : sql`select j.value as w from search_documents d,
          json_each('["' || replace(d.vocab, ' ', '","') || '"]') j`;
    await sql`insert into search_vocab (term, df)
      select x.w, count(*) from (${words}) x where x.w <> '' group by x.w`.execute(trx);
  });
}

/** After a load that startEmptyLoad began: the word counts, and on PostgreSQL the GIN indexes. */
export async function finishEmptyLoad(
  db: Executor,
  onProgress: (p: BuildProgress) => void = () => {},
): Promise<void> {
  await recountVocabulary(db);
  await buildTextIndexes(db, onProgress);
}

/**
 * Makes any GIN index that is missing (after a bulk load, or one cut short), reporting progress
 * from pg_stat_progress_create_index; a no-op when both are there, and on SQLite.
 */
export async function buildTextIndexes(
  db: Executor,
  onProgress: (p: BuildProgress) => void = () => {},
): Promise<void> {
  if (!isPostgres(db)) return;
  const missing: (typeof TEXT_INDEXES)[number][] = [];
  for (const i of TEXT_INDEXES) {
    const r = await sql<{ found: string | null }>`select to_regclass(${i.name})::text as found`.execute(db);
    if (r.rows[0]?.found == null) missing.push(i);
  }
  if (missing.length === 0) return;
  const blocks = new Map<string, number>();
  for (const i of missing) {
    const r = await sql<{
      n: number;
    }>`select greatest(1, pg_relation_size(${i.table}::regclass) / 8192) as n`.execute(db);
    blocks.set(i.table, Number(r.rows[0]?.n ?? 1));
  }
  const total = [...blocks.values()].reduce((a, b) => a + b, 0);
  let finished = 0;
  for (const i of missing) {
    let building = true;
    const poll = (async () => {
      while (building) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const r = await sql<{ done: number }>`select blocks_done as done from pg_stat_progress_create_index
          where relid = ${i.table}::regclass and datname = current_database()`
          .execute(db)
          .catch(() => null);
        const done = Number(r?.rows[0]?.done ?? 0);
        if (building) onProgress({ done: finished + Math.min(done, blocks.get(i.table)!), total });
      }
    })();
    try {
      await db.connection().execute(async (c) => {
        await sql`set maintenance_work_mem = ${sql.lit(TEXT_INDEX_BUILD_MEMORY)}`.execute(c);
        try {
          await sql`create index if not exists ${sql.raw(i.name)} on ${sql.raw(i.table)}
            using gin (${sql.raw(i.column)})`.execute(c);
        } finally {
          await sql`reset maintenance_work_mem`.execute(c);
        }
      });
    } finally {
      building = false;
      await poll;
    }
    finished += blocks.get(i.table)!;
    onProgress({ done: finished, total });
  }
}
