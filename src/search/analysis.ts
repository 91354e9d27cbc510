// What indexing works out from a document's text, apart from any database: its index terms and
// vocabulary. Pure, so it can run in a worker thread beside the writes (see bulkIndex.ts).

import { encodeSnippetBits, snippetBitsOut } from "./snippetBits.ts";
import { termNumbering, withinDocument, wordsOfText, type IndexedWord } from "./terms.ts";

/** The text a document is indexed from. */
export interface AnalysisInput {
  title: string;
  strap: string;
  body_text: string;
}

export interface DocumentAnalysis {
  title_terms: string;
  strap_terms: string;
  /**
   * Distinct vocabulary words (typo correction), and the phonetic terms ("0" + key: no word
   * starts with 0) of those in Urdu script, space-separated.
   */
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

// Which terms a document has already given, as marks in arrays indexed by term number
// (terms.ts, termNumbering): a mark equal to the current stamp means "seen in this pass".
let termMarks = new Int32Array(1 << 16);
let wordMarks = new Int32Array(1 << 16);
let stamp = 0;

/** A new pass over a document's terms, with marks for every number given so far. */
function nextStamp(): number {
  const size = termNumbering().size;
  if (termMarks.length < size) {
    const length = Math.max(size, termMarks.length * 2);
    termMarks = grown(termMarks, length);
    wordMarks = grown(wordMarks, length);
  }
  if (stamp === 0x7fffffff) {
    termMarks.fill(0);
    wordMarks.fill(0);
    stamp = 0;
  }
  return ++stamp;
}

function grown(marks: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(length);
  out.set(marks);
  return out;
}

/** Adds the index terms of some words not yet marked with `mark` (each word's primary, then its key). */
function addTerms(words: readonly IndexedWord[], mark: number, into: string[]): string[] {
  for (const { terms, primaryId, phoneticId } of words) {
    if (termMarks[primaryId] !== mark) {
      termMarks[primaryId] = mark;
      into.push(terms.primary);
    }
    if (phoneticId >= 0 && termMarks[phoneticId] !== mark) {
      termMarks[phoneticId] = mark;
      into.push(terms.phonetic!);
    }
  }
  return into;
}

/**
 * Counts how many documents hold each vocabulary word, by its number while the numbering lasts
 * (an array increment instead of a Map's look-up of ~200 words a document), in `counts` from then.
 */
export class VocabularyCounter {
  private epoch = -1;
  private terms: readonly string[] = [];
  private byNumber = new Int32Array(0);
  private readonly counts = new Map<string, number>();

  /** Counts one document's distinct vocabulary words, by their numbers in the current numbering. */
  add(surfaceIds: readonly number[]): void {
    const numbering = termNumbering();
    if (numbering.epoch !== this.epoch) {
      // Settling zeroes every count: the array is reused for the new numbering.
      this.settle();
      this.epoch = numbering.epoch;
    }
    // The numbering's array of terms grows in place; it is replaced only by a new numbering.
    this.terms = numbering.terms;
    if (this.byNumber.length < numbering.size)
      this.byNumber = grown(this.byNumber, Math.max(numbering.size, this.byNumber.length * 2));
    for (const id of surfaceIds) this.byNumber[id]!++;
  }

  /** Every count so far, by word. */
  wordCounts(): Map<string, number> {
    this.settle();
    return this.counts;
  }

  /** Moves the counts by number into `counts`. */
  private settle(): void {
    const { byNumber, terms, counts } = this;
    for (let id = 0; id < byNumber.length; id++) {
      const n = byNumber[id]!;
      if (n === 0) continue;
      const word = terms[id]!;
      counts.set(word, (counts.get(word) ?? 0) + n);
      byNumber[id] = 0;
    }
  }
}

export function analyseDocument(doc: AnalysisInput): DocumentAnalysis {
  return analysed(doc, undefined);
}

/** analyseDocument, with the document's vocabulary words counted in `counter`. */
export function analyseAndCount(doc: AnalysisInput, counter: VocabularyCounter): DocumentAnalysis {
  return analysed(doc, counter);
}

function analysed(doc: AnalysisInput, counter: VocabularyCounter | undefined): DocumentAnalysis {
  // This document's words all have numbers of one numbering.
  return withinDocument(() => analysedNow(doc, counter));
}

function analysedNow(doc: AnalysisInput, counter: VocabularyCounter | undefined): DocumentAnalysis {
  const title = wordsOfText(doc.title);
  const strap = wordsOfText(doc.strap);
  // The body's words, and their bits for snippets (snippetBits.ts) in the same pass.
  const bodySignatures = snippetBitsOut();
  const body = wordsOfText(doc.body_text, bodySignatures);
  const titleTerms = addTerms(title, nextStamp(), []);
  const strapTerms = addTerms(strap, nextStamp(), []);
  const head = nextStamp();
  const headTerms = addTerms(strap, head, addTerms(title, head, []));
  // One pass over the words of all three fields: the body's words (~340 in an article) are the
  // bulk of indexing, and only its keyed terms and vocabulary are kept.
  const keyed: string[] = [];
  const vocabulary: string[] = [];
  const vocabularyIds: number[] = [];
  const mark = nextStamp();
  for (const words of [title, strap, body]) {
    for (const { terms, covered, vocabulary: inVocabulary, primaryId, phoneticId, surfaceId } of words) {
      if (!covered && termMarks[primaryId] !== mark) {
        termMarks[primaryId] = mark;
        keyed.push(terms.primary);
      }
      if (phoneticId >= 0 && termMarks[phoneticId] !== mark) {
        termMarks[phoneticId] = mark;
        keyed.push(terms.phonetic!);
      }
      if (inVocabulary && wordMarks[surfaceId] !== mark) {
        wordMarks[surfaceId] = mark;
        vocabulary.push(terms.surface);
        vocabularyIds.push(surfaceId);
      }
      // An Urdu-script word's key too: a Roman spelling with a typo finds the word through it
      // (plan.ts, withTypoCorrection), where no Latin word of the vocabulary is near. A Latin
      // word's own spelling is there for that already.
      if (inVocabulary && covered && wordMarks[phoneticId] !== mark) {
        wordMarks[phoneticId] = mark;
        vocabulary.push(terms.phonetic!);
        vocabularyIds.push(phoneticId);
      }
    }
  }
  counter?.add(vocabularyIds);
  return {
    title_terms: titleTerms.join(" "),
    strap_terms: strapTerms.join(" "),
    vocab: vocabulary.join(" "),
    // Joined here (on the analysis worker, in bulk): one string crosses to the writer instead of
    // ~200 that it would have to copy, keep and collect.
    head_index: headTerms.join(" "),
    all_index: keyed.join(" "),
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
