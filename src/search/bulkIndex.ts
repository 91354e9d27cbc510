// Indexing many documents at once (a rebuild, an import): batches are analysed on a worker
// thread while the ones before them are written, one transaction per batch.

import type { Clock } from "../db/clock.ts";
import type { Db } from "../db/connect.ts";
import { startAnalyser } from "./analysisPool.ts";
import { writeAnalysed, type SearchSource } from "./indexer.ts";
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
 * docs/s one ahead, 1,780–1,791 two, 1,865–1,881 three, 1,942–1,952 four, no more beyond.
 */
export const ANALYSED_AHEAD = 4;

export interface BulkIndexOptions {
  /** After each batch is committed. */
  onBatch?: (docs: readonly SearchSource[]) => void;
}

export async function indexInBulk(
  db: Db,
  batches: AsyncIterable<readonly SearchSource[]> | Iterable<readonly SearchSource[]>,
  clock: Clock,
  options: BulkIndexOptions = {},
): Promise<number> {
  const { onBatch = () => {} } = options;
  let indexed = 0;
  // An empty index is loaded without word counts. The analyser counts the words of every
  // document it analyses, and the counts are written once at the end; words of documents the
  // load itself took out again (replaced, or given twice) are counted down in `removedWords`.
  const empty = await startEmptyLoad(db);
  const removedWords = new Map<string, number>();
  const analyser = startAnalyser({ countWords: empty });
  let loaded = false;
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
          break;
        }
        const work = analysed(next.value);
        work.catch(() => {}); // awaited below; this only keeps an abandoned one from going unhandled
        queue.push({ docs: next.value, work });
      }
    };
    await fill();
    for (let current = queue.shift(); current; current = queue.shift()) {
      const ready = await current.work;
      // The worker goes on with the batches behind this one while it is written.
      await fill();
      await db.transaction().execute(async (trx) => {
        await setBulkBatch(trx);
        await writeAnalysed(trx, ready, clock, { vocabulary: !empty, removedWords });
      });
      indexed += current.docs.length;
      onBatch(current.docs);
    }
    loaded = true;
    return indexed;
  } finally {
    // Every analysed batch was written only if the load got through.
    const counts = empty && loaded ? await analyser.wordCounts() : null;
    await analyser.close();
    await setBulkIndexing(db, false);
    if (counts) {
      for (const [word, n] of removedWords) counts.set(word, (counts.get(word) ?? 0) + n);
      await finishEmptyLoad(db, counts);
    }
    // A load cut short (or whose count was lost): the documents that are in are counted instead.
    else if (empty) await recountVocabulary(db);
  }
}
