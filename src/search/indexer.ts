// Keeps the search index in step with the content. Callers pass their transaction, so a document
// is indexed, changed or removed in the same transaction as the change that caused it.

import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import { analyseDocument, countWords, type DocumentAnalysis } from "./analysis.ts";
import {
  deleteIndexed,
  findIndexed,
  insertIndexed,
  takenDocKeys,
  type IndexRow,
  type VocabularyOption,
} from "./queries.ts";
import { addWordCounts } from "./vocabulary.ts";

export type SearchKind = "news" | "notice" | "guide";

/** What a domain hands to the index: plain text, already rendered from its own markup. */
export interface SearchSource {
  id: string;
  source: string;
  centre_id: string | null;
  kind: SearchKind;
  lang: "ur" | "en";
  title: string;
  strap: string;
  body_text: string;
  /** Address without the UI language: "/articles/abc1234-slug". */
  path: string;
  published_at: string;
  expires_at: string | null;
}

/** Snippets come from the start of long bodies; the rest is indexed but not stored. */
const STORED_BODY_CHARS = 20_000;
const KEY_SLOTS = 1024;

function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Publication time in the high bits, so both engines' native "newest first" is doc_key order. */
function preferredKey(doc: SearchSource): number {
  return Date.parse(doc.published_at) * KEY_SLOTS + (hash(doc.id) % KEY_SLOTS);
}

async function assignKeys(db: Executor, docs: readonly SearchSource[]): Promise<number[]> {
  const wanted = docs.map(preferredKey);
  const taken = await takenDocKeys(db, wanted);
  const used = new Set<number>();
  return wanted.map((key) => {
    let k = key;
    // Same millisecond and same hash slot: step within the millisecond's slots.
    while (taken.has(k) || used.has(k)) k = k - (k % KEY_SLOTS) + (((k % KEY_SLOTS) + 1) % KEY_SLOTS);
    used.add(k);
    return k;
  });
}

function indexRow(doc: SearchSource, analysis: DocumentAnalysis, docKey: number, now: string): IndexRow {
  return {
    doc_key: docKey,
    id: doc.id,
    source: doc.source,
    centre_id: doc.centre_id,
    kind: doc.kind,
    lang: doc.lang,
    title: doc.title,
    strap: doc.strap,
    path: doc.path,
    body_text: doc.body_text.slice(0, STORED_BODY_CHARS),
    published_at: new Date(doc.published_at).toISOString(),
    expires_at: doc.expires_at,
    indexed_at: now,
    ...analysis,
  };
}

/** A document with its text already analysed (analyseDocument, perhaps on another thread). */
export interface AnalysedSource {
  doc: SearchSource;
  analysis: DocumentAnalysis;
}

export interface WriteOptions extends VocabularyOption {
  /**
   * With `vocabulary: false`, the vocabulary words of what this write took out are counted down
   * here: the documents it replaced, and any given twice (the last one is kept). A load that
   * counts words from every analysed document (bulkIndex.ts) adds these to its counts.
   */
  removedWords?: Map<string, number>;
}

/** Adds or replaces documents whose text is already analysed: the database half of indexing. */
export async function writeAnalysed(
  db: Executor,
  analysed: readonly AnalysedSource[],
  clock: Clock,
  options: WriteOptions = {},
): Promise<void> {
  if (analysed.length === 0) return;
  const byId = new Map(analysed.map((a) => [a.doc.id, a]));
  const unique = [...byId.values()];
  const replaced = await findIndexed(
    db,
    unique.map((a) => a.doc.id),
  );
  const counting = options.vocabulary !== false;
  if (options.removedWords && !counting) {
    const dropped = analysed.filter((a) => byId.get(a.doc.id) !== a).map((a) => a.analysis.vocab);
    countWords([...dropped, ...replaced.map((r) => r.vocab)], options.removedWords, -1);
  }
  // The word counts change by what is written less what it replaces, in one upsert: a document
  // written again mostly has the words it had, and counting each of them down and then up again
  // was two upserts of every word of a batch (500 documents of the seed article's length: ~21k words).
  await deleteIndexed(db, replaced, { vocabulary: false });
  const keys = await assignKeys(
    db,
    unique.map((a) => a.doc),
  );
  const now = clock.now().toISOString();
  await insertIndexed(
    db,
    unique.map((a, i) => indexRow(a.doc, a.analysis, keys[i] as number, now)),
    { vocabulary: false },
  );
  if (counting) {
    const change = countWords(unique.map((a) => a.analysis.vocab));
    await addWordCounts(
      db,
      countWords(
        replaced.map((r) => r.vocab),
        change,
        -1,
      ),
    );
  }
}

/** Adds or replaces documents in the index. */
export async function indexDocuments(
  db: Executor,
  docs: readonly SearchSource[],
  clock: Clock,
): Promise<void> {
  await writeAnalysed(
    db,
    docs.map((doc) => ({ doc, analysis: analyseDocument(doc) })),
    clock,
  );
}

/** Removes documents (unpublished, deleted, expired from view) from the index. */
export async function removeFromIndex(db: Executor, ids: readonly string[]): Promise<void> {
  await deleteIndexed(db, await findIndexed(db, ids));
}
