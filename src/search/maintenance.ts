// What bulk loads and rebuilds do to the search tables beyond writing documents: FTS5's merging,
// PostgreSQL's GIN pending lists and statistics, and the vocabulary's word counts.

import { sql } from "kysely";
import { isPostgres, type Db, type Executor } from "../db/connect.ts";
import { forgetLadder } from "./pgLadder.ts";
import { forgetEngineStats } from "./pgMatch.ts";
import { RECENT_ROWS, refreshRecentIndexes } from "./pgRecent.ts";
import { countIndexed } from "./queries.ts";
import { addWordCounts } from "./vocabulary.ts";

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
 * A bulk load stopped by force (the machine lost power, the process was killed) never reaches the
 * `finally` that turns FTS5's merging back on, and the setting is stored in the index: every
 * later commit would add a segment that only FTS5's crisis merges and the nightly merge tidy. The
 * server's start and every merge (mergeIndex) put it back. A load running at that moment merges as
 * it goes from then on: slower, no harm. Returns whether it was off. PostgreSQL: nothing to do.
 */
export async function restoreAutomerge(db: Executor): Promise<boolean> {
  if (isPostgres(db)) return false;
  let off = false;
  for (const table of ["search_fts_config", "search_head_fts_config"]) {
    const r = await sql<{ v: number }>`select v from ${sql.table(table)} where k = 'automerge'`.execute(db);
    // Never set is FTS5's default (4).
    if (r.rows.length > 0 && Number(r.rows[0]!.v) !== FTS5_AUTOMERGE) off = true;
  }
  if (off) await setBulkIndexing(db, false);
  return off;
}

/**
 * After a rebuild. SQLite: FTS5 merges its segments into one (a query reads one b-tree per term
 * instead of one per segment: 4-word queries 8.1 → 5.7 ms p50 at 100k documents; ~2 s of work).
 * PostgreSQL: fresh statistics say which terms are common, and search chooses its strategy from
 * them (pgMatch.ts); autovacuum would refresh them too, but only later. Cannot run inside a
 * transaction. `wordCounts`: a load into an empty index's counts, handed over by indexInBulk
 * (onWordCounts), written here beside the rest.
 */
export async function finishRebuild(
  db: Executor,
  {
    wordCounts = null,
    recentRows = RECENT_ROWS,
  }: {
    wordCounts?: ReadonlyMap<string, number> | null;
    /** The rows of a recent index (refreshRecentIndexes); fewer in tests. */
    recentRows?: number;
  } = {},
): Promise<void> {
  if (!isPostgres(db)) {
    if (wordCounts) await finishEmptyLoad(db, wordCounts);
    await sql`insert into search_fts (search_fts) values ('optimize')`.execute(db);
    await sql`insert into search_head_fts (search_head_fts) values ('optimize')`.execute(db);
    return;
  }
  // VACUUM as well: it sets the new rows' hint bits and the visibility map, which otherwise the
  // first searches to touch each page would do (a word in 6% of 100k documents: 86 ms the first
  // time, 11 ms after). Windows of the newest documents read a short index (pgRecent.ts) from the
  // first search on: those due (all of them after a load into an empty index, the wide one a
  // rebuild set aside) are built at once, writers waiting for them, searches not. Beside all that,
  // on a backend of its own: the word counts, then the vocabulary's VACUUM.
  await Promise.all([
    (async () => {
      await Promise.all([
        sql`vacuum (analyze) search_vectors`.execute(db),
        sql`vacuum (analyze) search_head_vectors, search_documents`.execute(db),
      ]);
      await refreshRecentIndexes(db, recentRows, { atOnce: true });
    })(),
    (async () => {
      if (wordCounts) await finishEmptyLoad(db, wordCounts);
      await sql`vacuum (analyze) search_vocab`.execute(db);
    })(),
  ]);
  forgetEngineStats(db);
  forgetLadder(db);
}

/**
 * PostgreSQL, inside each batch's transaction of a bulk load: GIN gathers new entries in a pending
 * list and merges it into the index when it passes gin_pending_list_limit, sorting what it merges
 * in work_mem. 32 MB instead of 4 MB merges eight times as many documents at once, so each word's
 * posting list is touched once per merge instead of eight times (at 300k documents: the vector
 * writes 60 → 49 s). The pending list is emptied by the VACUUM that ends a rebuild (finishRebuild).
 */
export async function setBulkBatch(trx: Executor): Promise<void> {
  if (!isPostgres(trx)) return;
  await sql`set local gin_pending_list_limit = '32MB'`.execute(trx);
  await sql`set local work_mem = '32MB'`.execute(trx);
}

/**
 * The vocabulary row that says "the word counts are being worked out again": its term is no word
 * (words are never empty) and its count is below zero, so no look-up ever sees it.
 */
const RECOUNT_PENDING = "";

/**
 * Before a bulk load into an empty index: per batch, the word counts would be ~20k upserts, the
 * largest part of a load (at 300k documents: SQLite 1,651 → 2,048 docs/s without them), so the
 * counts are left alone and recountVocabulary counts the words once from the documents. A row in
 * the vocabulary marks the load, so one cut short is finished by the next rebuild (which the
 * server's start runs). Returns whether the index was empty.
 */
export async function startEmptyLoad(db: Executor): Promise<boolean> {
  if ((await countIndexed(db)) > 0) return false;
  await db
    .insertInto("search_vocab")
    .values({ term: RECOUNT_PENDING, df: -1 })
    .onConflict((oc) => oc.column("term").doNothing())
    .execute();
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

/**
 * Ends a load into an empty index whose words were counted as they were analysed (bulkIndex.ts):
 * adds the counts to whatever other writers counted meanwhile (every count is a sum, so the two
 * add up), and takes away the mark, in one transaction.
 */
export async function finishEmptyLoad(db: Executor, counts: ReadonlyMap<string, number>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await addWordCounts(trx, counts);
    await trx.deleteFrom("search_vocab").where("term", "=", RECOUNT_PENDING).execute();
  });
}

/** Counts every word of the vocabulary again from the indexed documents (and ends a recount). */
export async function recountVocabulary(db: Executor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!isPostgres(trx)) return recountInProcess(trx);
    // Writers publishing meanwhile wait: their counts would be counted twice or lost.
    await sql`lock table search_vocab in exclusive mode`.execute(trx);
    await sql`set local work_mem = '256MB'`.execute(trx);
    await trx.deleteFrom("search_vocab").execute();
    // The stored vocabulary of a document is its distinct words, space-separated.
    await sql`insert into search_vocab (term, df)
      select w, count(*) from search_documents d, unnest(string_to_array(d.vocab, ' ')) w
      where w <> '' group by w`.execute(trx);
  });
}

/**
 * SQLite: counted here, a few thousand documents at a time (100k documents: ~2 s, where grouping
 * the split words in SQL took 7 s), then written in term order.
 */
async function recountInProcess(trx: Executor): Promise<void> {
  const counts = new Map<string, number>();
  for (let after = Number.MIN_SAFE_INTEGER; ;) {
    const rows = await trx
      .selectFrom("search_documents")
      .select(["doc_key", "vocab"])
      .where("doc_key", ">", after)
      .orderBy("doc_key")
      .limit(5000)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) for (const w of r.vocab.split(" ")) if (w) counts.set(w, (counts.get(w) ?? 0) + 1);
    after = Number(rows.at(-1)!.doc_key);
  }
  await trx.deleteFrom("search_vocab").execute();
  const terms = [...counts.keys()].sort();
  for (let i = 0; i < terms.length; i += 1000) {
    await trx
      .insertInto("search_vocab")
      .values(terms.slice(i, i + 1000).map((term) => ({ term, df: counts.get(term)! })))
      .execute();
  }
}

/** Pages FTS5 writes per merge step: ~4 MB, tens of milliseconds during which writers wait. */
const MERGE_STEP_PAGES = 1000;
/** A bound on one run's steps (a 100k-document index is ~80 steps): never an endless loop. */
const MERGE_MAX_STEPS = 100_000;

export interface IndexMerge {
  /** SQLite: merge steps that did work. PostgreSQL: pending-list pages merged into the indexes. */
  work: number;
}

/**
 * Keeps the engine's index in one piece between rebuilds; run nightly by the server (and by
 * `rasai search merge`). SQLite: every commit that indexes documents adds an FTS5 segment, and a
 * query reads one b-tree per term per segment. FTS5's own automerge keeps their number bounded,
 * not small: at 100k documents, 100 documents published one per transaction made searches 10–18%
 * slower, 3,000 made them 22–37% slower (four words 3.96 → 5.45 ms), against the same documents
 * merged. The segments are merged here in steps of MERGE_STEP_PAGES, each its own transaction, so
 * publishing and searching go on between them; the first step merges across levels (a negative
 * page count) and the rest carry that merge through, as FTS5's documentation advises, until a step
 * changes nothing. PostgreSQL: GIN's pending lists are merged into their indexes (they stay short,
 * see GIN_PENDING_LIMIT in db/connect.ts, but a rebuild cut short leaves up to 32 MB).
 */
export async function mergeIndex(db: Db, onStep?: (work: number) => void): Promise<IndexMerge> {
  if (isPostgres(db)) {
    const r = await sql<{ pages: string | null }>`select sum(gin_clean_pending_list(i.indexrelid)) as pages
      from pg_index i
      join pg_class c on c.oid = i.indexrelid
      join pg_am a on a.oid = c.relam
      where a.amname = 'gin'
        and i.indrelid in ('search_vectors'::regclass, 'search_head_vectors'::regclass)`.execute(db);
    const work = Number(r.rows[0]?.pages ?? 0);
    onStep?.(work);
    return { work };
  }
  await restoreAutomerge(db);
  let work = 0;
  for (const table of ["search_fts", "search_head_fts"] as const) {
    const t = sql.raw(table);
    for (let step = 0; step < MERGE_MAX_STEPS; step++) {
      const pages = step === 0 ? -MERGE_STEP_PAGES : MERGE_STEP_PAGES;
      // One connection for the step and its count of changes: nothing else may run in between.
      const changed = await db.connection().execute(async (conn) => {
        const before = await sql<{ n: number }>`select total_changes() as n`.execute(conn);
        await sql`insert into ${t} (${t}, rank) values ('merge', ${sql.lit(pages)})`.execute(conn);
        const after = await sql<{ n: number }>`select total_changes() as n`.execute(conn);
        return Number(after.rows[0]!.n) - Number(before.rows[0]!.n);
      });
      // FTS5: fewer than two changes means the step found nothing to merge.
      if (changed < 2) break;
      onStep?.(++work);
    }
  }
  return { work };
}
