// What indexing works out from a document's text, apart from any database: its index terms and
// vocabulary. Pure, so it can run in a worker thread beside the writes (see bulkIndex.ts).

import { encodeSnippetBits, snippetBitsOut } from "./snippetBits.ts";
import { wordsOfText, type IndexedWord } from "./terms.ts";

/** The text a document is indexed from. */
export interface AnalysisInput {
  title: string;
  strap: string;
  body_text: string;
}

export interface DocumentAnalysis {
  title_terms: string;
  strap_terms: string;
  /** Distinct vocabulary words (typo correction), space-separated. */
  vocab: string;
  /** Distinct terms of title and strap, space-separated: what a head-only match looks at. */
  head_index: string;
  /**
   * Distinct terms of the whole document, space-separated, without the Urdu words whose key is
   * there (coveredByItsKey): 40% fewer entries for the engine to keep.
   */
  all_index: string;
  /** Each body word's signature as snippets test it (snippetBits.ts). */
  snippet_bits: Uint8Array;
}

/** Distinct index terms of some words, in first-seen order (each word's primary, then its key). */
function termsOf(words: readonly IndexedWord[], into = new Set<string>()): Set<string> {
  for (const { terms } of words) {
    into.add(terms.primary);
    if (terms.phonetic) into.add(terms.phonetic);
  }
  return into;
}

export function analyseDocument(doc: AnalysisInput): DocumentAnalysis {
  const title = wordsOfText(doc.title);
  const strap = wordsOfText(doc.strap);
  // The body's words, and their bits for snippets (snippetBits.ts) in the same pass.
  const bodySignatures = snippetBitsOut();
  const body = wordsOfText(doc.body_text, bodySignatures);
  const titleTerms = termsOf(title);
  const strapTerms = termsOf(strap);
  // One pass over the words of all three fields: the body's words (~340 in an article) are the
  // bulk of indexing, and only its keyed terms and vocabulary are kept.
  const keyed = new Set<string>();
  const vocabulary = new Set<string>();
  for (const words of [title, strap, body]) {
    for (const { terms, covered, vocabulary: inVocabulary } of words) {
      if (!covered) keyed.add(terms.primary);
      if (terms.phonetic) keyed.add(terms.phonetic);
      if (inVocabulary) vocabulary.add(terms.surface);
    }
  }
  return {
    title_terms: [...titleTerms].join(" "),
    strap_terms: [...strapTerms].join(" "),
    vocab: [...vocabulary].join(" "),
    // Joined here (on the analysis worker, in bulk): one string crosses to the writer instead of
    // ~200 that it would have to copy, keep and collect.
    head_index: [...termsOf(strap, new Set(titleTerms))].join(" "),
    all_index: [...keyed].join(" "),
    snippet_bits: encodeSnippetBits(bodySignatures),
  };
}

/** Counts, into `into`, how many of these vocabularies (space-separated words) hold each word, `by` each. */
export function countWords(
  vocabs: readonly string[],
  into = new Map<string, number>(),
  by = 1,
): Map<string, number> {
  for (const v of vocabs) for (const w of v.split(" ")) if (w) into.set(w, (into.get(w) ?? 0) + by);
  return into;
}
