// Rebuilds the whole index from the content, a batch per transaction, reporting progress.

import type { Clock } from "../db/clock.ts";
import type { Db, Executor } from "../db/connect.ts";
import {
  countSearchableArticles,
  searchableArticlesAfter,
  searchableArticlesNow,
} from "../portal/searchDocument.ts";
import { indexInBulk } from "./bulkIndex.ts";
import { removeFromIndex, type SearchSource } from "./indexer.ts";
import { getSetting, putSetting } from "../centres/queries.ts";
import { countIndexed, indexedIdsAfter } from "./queries.ts";
import { emptyLoadPending, recountVocabulary, finishRebuild } from "./maintenance.ts";
import { forgetLadder } from "./pgLadder.ts";
import { withoutWideIndex } from "./pgRecent.ts";

/** Every domain whose records are searchable. Courses join here when Training lands. */
export const SEARCH_SOURCES = [
  {
    name: "articles",
    /** SearchSource.source of its documents. */
    source: "article",
    count: countSearchableArticles,
    after: searchableArticlesAfter,
    now: searchableArticlesNow,
  },
] as const;

/**
 * A rebuild batch's documents as they are now, each from its own source: what the bulk load
 * checks a batch against before writing it (BulkIndexOptions.recheck).
 */
export async function currentSources(db: Executor, docs: readonly SearchSource[]): Promise<SearchSource[]> {
  const out: SearchSource[] = [];
  for (const s of SEARCH_SOURCES) {
    const ids = docs.filter((d) => d.source === s.source).map((d) => d.id);
    out.push(...(await s.now(db, ids)));
  }
  return out;
}

export interface ReindexProgress {
  done: number;
  total: number;
}

export async function reindexAll(
  db: Db,
  clock: Clock,
  /** A promise it returns is awaited before the next batch is written. */
  onProgress: (p: ReindexProgress) => void | Promise<void> = () => {},
  batchSize = 500,
): Promise<{ indexed: number }> {
  // PostgreSQL's wide recent index is built afresh by finishRebuild instead of written to.
  const load: { wordCounts?: Map<string, number> } = {};
  await withoutWideIndex(db, () => {
    forgetLadder(db);
    return replaceEveryDocument(db, clock, onProgress, batchSize, (counts) => (load.wordCounts = counts));
  });
  // A load into an empty index that was cut short (the process stopped) is finished here too.
  if (!load.wordCounts && (await emptyLoadPending(db))) await recountVocabulary(db);
  await finishRebuild(db, { wordCounts: load.wordCounts });
  await markIndexCurrent(db, clock);
  return { indexed: await countIndexed(db) };
}

/** Every searchable document written again, and the ones whose source is gone removed. */
async function replaceEveryDocument(
  db: Db,
  clock: Clock,
  onProgress: (p: ReindexProgress) => void | Promise<void>,
  batchSize: number,
  onWordCounts: (counts: Map<string, number>) => void,
): Promise<void> {
  let total = 0;
  for (const s of SEARCH_SOURCES) total += await s.count(db);
  const seen = new Set<string>();
  let done = 0;
  await onProgress({ done, total });
  async function* batches(): AsyncGenerator<SearchSource[]> {
    for (const s of SEARCH_SOURCES) {
      let after: string | null = null;
      for (;;) {
        const page = await s.after(db, after, batchSize);
        if (page.last === null) break;
        after = page.last;
        // A page may hold nothing searchable (drafts, deleted articles); the walk goes on past it.
        if (page.docs.length > 0) yield page.docs;
      }
    }
  }
  // Each batch replaces its documents and commits on its own, so searches keep working during
  // a rebuild; documents whose source is gone are removed at the end.
  await indexInBulk(db, batches(), clock, {
    recheck: currentSources,
    onWordCounts,
    onBatch: (docs) => {
      for (const d of docs) seen.add(d.id);
      done += docs.length;
      return onProgress({ done, total: Math.max(total, done) });
    },
  });
  let after: string | null = null;
  for (;;) {
    const ids = await indexedIdsAfter(db, after, batchSize);
    if (ids.length === 0) break;
    const stale = ids.filter((id) => !seen.has(id));
    if (stale.length > 0) await db.transaction().execute((trx) => removeFromIndex(trx, stale));
    after = ids.at(-1)!;
  }
}

/**
 * What a document indexes as, by date of the last change to it (normalise.ts, variants.ts,
 * phonetic.ts, terms.ts, analysis.ts): an index built before is built again at the next start
 * (indexNeedsBuilding). Change it with any change that makes a text index or count differently.
 */
export const INDEX_ANALYSIS = "2026-12-06";
const INDEX_ANALYSIS_KEY = "search.index_analysis";

/** Records that the index holds what INDEX_ANALYSIS makes of every document in it. */
export async function markIndexCurrent(db: Executor, clock: Clock): Promise<void> {
  await putSetting(db, INDEX_ANALYSIS_KEY, INDEX_ANALYSIS, clock.now().toISOString());
}

/**
 * True after an upgrade that added search to a database which already had content, when a
 * first build was cut short (the next one finishes it), and when the documents in the index were
 * analysed by an older Rasai (INDEX_ANALYSIS): a query is analysed by this one, and would miss
 * them where the two differ (a spelling joined now and split then).
 */
export async function indexNeedsBuilding(db: Db): Promise<boolean> {
  if (await emptyLoadPending(db)) return true;
  if ((await countIndexed(db)) > 0) return (await getSetting(db, INDEX_ANALYSIS_KEY)) !== INDEX_ANALYSIS;
  for (const s of SEARCH_SOURCES) if ((await s.count(db)) > 0) return true;
  return false;
}

/** An empty index holds nothing analysed the old way: documents indexed from now on are current. */
export async function markEmptyIndexCurrent(db: Db, clock: Clock): Promise<void> {
  if ((await countIndexed(db)) === 0) await markIndexCurrent(db, clock);
}
