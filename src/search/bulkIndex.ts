// Indexing many documents at once (a rebuild, an import): each batch is analysed on a worker
// thread while the one before it is written, one transaction per batch.

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
    let next = await source.next();
    const start = (docs: readonly SearchSource[]) => {
      const work = analysed(docs);
      work.catch(() => {}); // awaited below; this only keeps an abandoned one from going unhandled
      return { docs, work };
    };
    let pending = next.done ? null : start(next.value);
    while (pending) {
      const current = pending;
      const ready = await current.work;
      next = await source.next();
      // The worker starts on the next batch before this one is written.
      pending = next.done ? null : start(next.value);
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
