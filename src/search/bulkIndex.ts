// Indexing many documents at once (a rebuild, an import): batches are analysed on a worker
// thread while the ones before them are written, one transaction per batch.

import type { Clock } from "../db/clock.ts";
import { isPostgres, type Db, type Executor } from "../db/connect.ts";
import { analyseDocument, countWords } from "./analysis.ts";
import { startAnalyser } from "./analysisPool.ts";
import { writeAnalysed, type AnalysedSource, type SearchSource } from "./indexer.ts";
import { addWordCounts } from "./vocabulary.ts";
import {
  finishEmptyLoad,
  recountVocabulary,
  setBulkBatch,
  setBulkIndexing,
  startEmptyLoad,
} from "./maintenance.ts";

/**
 * Batches given to the analysis worker ahead of the one being written. One ahead left the writer
 * waiting whenever a batch took the worker longer than the write before it (and the worker idle
 * in the opposite case): 20k documents of the seed article's length on PostgreSQL, 1,514–1,594
 * docs/s one ahead, 1,780–1,791 two, 1,767–1,881 three, 1,942–1,952 four, no more beyond.
 */
export const ANALYSED_AHEAD = 4;

/**
 * PostgreSQL: batches written at once, each in its own transaction on a connection of its own.
 * One at a time, the writing thread and the database took turns, each idle while the other
 * worked. Measured side by side: `rasai search reindex` of 100k articles, 2,366 → 2,693 docs/s
 * into an empty index and 1,752 → 2,101 over the full one; the search bench's load with its
 * finish, 2,545 → 2,959 at 10k documents and 2,711 → 3,438 at 100k. Batches that share a document
 * are never written at once. SQLite has one connection.
 */
export const BULK_WRITERS = 2;

/** Attempts at a batch that PostgreSQL ended to break a deadlock (see write in indexInBulk). */
const DEADLOCK_RETRIES = 3;

const isDeadlock = (error: unknown) => (error as { code?: unknown } | null)?.code === "40P01";

export interface BulkIndexOptions {
  /** After each batch is committed; a promise it returns is awaited before the next is written. */
  onBatch?: (docs: readonly SearchSource[]) => void | Promise<void>;
  /**
   * The documents of a batch as they are now, of those still searchable, read in the batch's
   * transaction just before it is written (and on PostgreSQL locked until it commits). A batch is
   * read a few batches before it is written; an edit, unpublication or deletion made in between
   * has already put its own version in the index, and it is kept (see recheckBatch).
   */
  recheck?: (db: Executor, docs: readonly SearchSource[]) => Promise<readonly SearchSource[]>;
  /**
   * A load into an empty index hands its word counts here, once every batch is in, instead of
   * writing them itself: for the caller to write beside the work that follows the load
   * (finishRebuild's `wordCounts`). On PostgreSQL the load has written the analyser's counts
   * already (see indexInBulk), and what is handed over is only what the writes changed since
   * (documents rechecked or given twice; most often nothing). Until the caller writes them the
   * vocabulary stays marked as being counted (startEmptyLoad), so counts lost to a process stopped
   * in between are recounted.
   */
  onWordCounts?: (counts: Map<string, number>) => void;
}

const SOURCE_FIELDS = [
  "source",
  "centre_id",
  "kind",
  "lang",
  "title",
  "strap",
  "body_text",
  "path",
  "published_at",
  "expires_at",
] as const satisfies readonly (keyof SearchSource)[];

const sameSource = (a: SearchSource, b: SearchSource) => SOURCE_FIELDS.every((f) => a[f] === b[f]);

/**
 * A batch as it is to be written: a document no longer searchable is left out (whatever took it
 * out of view took it out of the index), and one changed since it was read is analysed again from
 * what it is now. In a load that counts words at the end, the analyser counted what was read:
 * `removedWords` takes that back and adds what is written instead.
 */
async function recheckBatch(
  db: Executor,
  ready: readonly AnalysedSource[],
  recheck: NonNullable<BulkIndexOptions["recheck"]>,
  removedWords: Map<string, number>,
  counting: boolean,
): Promise<AnalysedSource[]> {
  const current = await recheck(
    db,
    ready.map((a) => a.doc),
  );
  const now = new Map(current.map((d) => [d.id, d]));
  const out: AnalysedSource[] = [];
  for (const a of ready) {
    const doc = now.get(a.doc.id);
    if (doc && sameSource(doc, a.doc)) {
      out.push(a);
      continue;
    }
    if (counting) countWords([a.analysis.vocab], removedWords, -1);
    if (!doc) continue;
    const analysis = analyseDocument(doc);
    if (counting) countWords([analysis.vocab], removedWords, 1);
    out.push({ doc, analysis });
  }
  return out;
}

export async function indexInBulk(
  db: Db,
  batches: AsyncIterable<readonly SearchSource[]> | Iterable<readonly SearchSource[]>,
  clock: Clock,
  options: BulkIndexOptions = {},
): Promise<number> {
  const { onBatch = () => {}, recheck, onWordCounts } = options;
  let indexed = 0;
  // An empty index is loaded without word counts. The analyser counts the words of every
  // document it analyses, and the counts are written once at the end; words of documents the
  // load itself took out again (replaced, or given twice) are counted down in `removedWords`.
  const empty = await startEmptyLoad(db);
  const removedWords = new Map<string, number>();
  const analyser = startAnalyser({ countWords: empty });
  let loaded = false;
  // PostgreSQL: once the last batch is handed to the worker, its counts are written on a
  // connection of their own while the batches still queued are written (the worker's core is idle
  // by then), instead of after them; changes the writes make to them (removedWords) follow at the
  // end. The search bench at 10k documents: ~214k words, ~0.6 s that were most of the finish.
  const early: { counts?: Promise<void> } = {};
  const writeCountsEarly = async () => {
    const counts = await analyser.wordCounts();
    if (!counts) throw new Error("the analyser's word counts were lost");
    await addWordCounts(db, counts);
  };
  try {
    await setBulkIndexing(db, true);
    const source =
      Symbol.asyncIterator in batches ? batches[Symbol.asyncIterator]() : batches[Symbol.iterator]();
    const analysed = async (docs: readonly SearchSource[]) => {
      const analyses = await analyser.analyse(docs);
      return docs.map((doc, i) => ({ doc, analysis: analyses[i]! }));
    };
    // Up to ANALYSED_AHEAD batches are handed to the worker before the oldest is written.
    const queue: { docs: readonly SearchSource[]; work: ReturnType<typeof analysed> }[] = [];
    let exhausted = false;
    const fill = async () => {
      while (!exhausted && queue.length < ANALYSED_AHEAD) {
        const next = await source.next();
        if (next.done) {
          exhausted = true;
          if (empty && isPostgres(db)) {
            early.counts = writeCountsEarly();
            early.counts.catch(() => {}); // settled in `finally`, which falls back to the end's count
          }
          break;
        }
        const work = analysed(next.value);
        work.catch(() => {}); // awaited below; this only keeps an abandoned one from going unhandled
        queue.push({ docs: next.value, work });
      }
    };
    await fill();
    // One batch's transaction; retried when PostgreSQL ends it to break a deadlock with the other
    // writer (two batches whose documents were published in the same millisecond can want each
    // other's keys). What it counts is kept apart until it commits, so a retry counts once.
    const write = async (docs: readonly SearchSource[], ready: readonly AnalysedSource[]) => {
      for (let attempt = 1; ; attempt++) {
        const counted = new Map<string, number>();
        try {
          const n = await db.transaction().execute(async (trx) => {
            await setBulkBatch(trx);
            const batch = recheck ? await recheckBatch(trx, ready, recheck, counted, empty) : ready;
            await writeAnalysed(trx, batch, clock, { vocabulary: !empty, removedWords: counted });
            return batch.length;
          });
          for (const [word, c] of counted) removedWords.set(word, (removedWords.get(word) ?? 0) + c);
          indexed += n;
          break;
        } catch (error) {
          if (attempt >= DEADLOCK_RETRIES || !isDeadlock(error)) throw error;
        }
      }
      await onBatch(docs);
    };
    const writers = isPostgres(db) ? BULK_WRITERS : 1;
    const writing = new Map<Promise<void>, ReadonlySet<string>>();
    try {
      for (let current = queue.shift(); current; current = queue.shift()) {
        const ready = await current.work;
        // The worker goes on with the batches behind this one while it is written.
        await fill();
        const ids = new Set(current.docs.map((d) => d.id));
        // A document in a batch still being written: that one first (its replacement comes after).
        const overlaps = [...writing.values()].some((other) => [...ids].some((id) => other.has(id)));
        if (overlaps) await Promise.all(writing.keys());
        const done = write(current.docs, ready);
        writing.set(done, ids);
        void done.then(
          () => writing.delete(done),
          () => {}, // a failure is awaited below, and ends the load
        );
        if (writing.size >= writers) await Promise.race(writing.keys());
      }
      await Promise.all(writing.keys());
    } catch (error) {
      // Nothing of the load goes on after it: the other writer's batch ends (or fails) first.
      await Promise.allSettled(writing.keys());
      throw error;
    }
    loaded = true;
    return indexed;
  } finally {
    // Nothing the load started runs on after it. Counts written early that a failed load leaves
    // wrong are put right by the recount below, which counts the documents that are in.
    const countedEarly = await (early.counts ?? Promise.reject()).then(
      () => true,
      () => false,
    );
    // Every analysed batch was written only if the load got through.
    let counts: Map<string, number> | null = null;
    if (empty && loaded) counts = countedEarly ? new Map() : await analyser.wordCounts();
    await analyser.close();
    await setBulkIndexing(db, false);
    if (counts) {
      for (const [word, n] of removedWords) counts.set(word, (counts.get(word) ?? 0) + n);
      if (onWordCounts) onWordCounts(counts);
      else await finishEmptyLoad(db, counts);
    }
    // A load cut short (or whose count was lost): the documents that are in are counted instead.
    else if (empty) await recountVocabulary(db);
  }
}
