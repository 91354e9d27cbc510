// Text → index terms and query → term groups. Every token becomes a primary term (the loose Urdu
// form after the variant table, or the English stem of a Latin word) and, when long enough, a
// phonetic key prefixed with "0" so it can never collide with a primary term. Both engines index
// exactly these strings, which is why they can return the same documents.

import { englishStem, isLatinWord, looseForm, tokenOfRun } from "./normalise.ts";
import { scanRuns, tokenRuns } from "./tokens.ts";
import { phoneticKey } from "./phonetic.ts";
import { ENGLISH_STOP_WORDS, ROMAN_URDU_STOP_WORDS, URDU_STOP_WORDS } from "./stopwords.ts";
import { applyVariantPhrases, rewriteVariantWord, startsVariantPhrase, variantPhraseAt } from "./variants.ts";
import { FlatWordSlots, KeptMap, wordHash } from "./keptMap.ts";

export const PHONETIC_PREFIX = "0";
/** Shorter keys (k, kr) would match half the language. */
const MIN_PHONETIC_KEY = 3;
/** Words this long (in letters) are kept in the vocabulary for typo correction. */
export const MIN_VOCAB_LENGTH = 4;

export interface TokenTerms {
  /** The normalised word as written (loose form; lower-case for Latin): what typo correction compares. */
  readonly surface: string;
  /** Loose Urdu form, English stem, or digits. */
  readonly primary: string;
  /** "0" + phonetic key, or null when the key is too short to mean anything. */
  readonly phonetic: string | null;
}

/** A word as indexing sees it (wordsOfText). */
export interface IndexedWord {
  readonly terms: TokenTerms;
  /** termIdOf(terms.primary), termIdOf(terms.phonetic) (-1 for none), termIdOf(terms.surface). */
  readonly primaryId: number;
  readonly phoneticId: number;
  readonly surfaceId: number;
  /** Kept in the typo-correction vocabulary: four letters or more, not a number. */
  readonly vocabulary: boolean;
  /** An Urdu word its phonetic key stands for (coveredByItsKey). */
  readonly covered: boolean;
}

// Words repeat: indexing meets the same few hundred thousand millions of times, so each is
// worked out once and kept while it is in use (KeptMap).
const CACHE_LIMIT = 200_000;
/**
 * The words looked up in place (hotRuns) start at 2^16 slots (~3 MB: a server that indexes an
 * article now and then) and grow while words keep missing them, up to 2^20 (~45 MB: a bulk load;
 * a server reaches it only after ~600k misses). In a fixed 2^13, a fifth of an article's words
 * went on to the KeptMap, whose look-up (cutting the word out, hashing it, one or two Maps) took
 * longer than working out the rest of the word: analysis of the last 20k of 100k article-length
 * documents, 2^13 → 2^20, 491 → 428 µs a document.
 */
const HOT_RUN_BITS = { first: 16, most: 20, step: 2 };

const entries = new KeptMap<IndexedWord>(CACHE_LIMIT);

/**
 * Terms and words as small whole numbers, given when a word is first worked out, so that what a
 * document holds once is found by marking an array (analysis.ts) instead of putting ~1,100 strings
 * a document into Sets (a fifth of analysis at an article's length, and counting a load's words
 * by string another seventh). The numbers hold until forgetWords; termNumbering().epoch says
 * which numbering one is from.
 */
let termIds = new Map<string, number>();
let termsById: string[] = [];
let epoch = 0;
/**
 * Past this many terms a new numbering starts: before the next document's analysis, or before the
 * next new word met outside one (a server's searches number their words too, and a public search
 * box can be sent any number of made-up words). The numbering keeps each term's string until
 * then: ~120 MB at the limit, where the KeptMaps hold ~55 MB when full. A bulk load numbers ~570k
 * terms by 100k article-length documents, so it starts again about every 175k beyond.
 */
export const TERM_NUMBERING = { limit: 1_000_000 };
/** Documents whose analysis is under way (withinDocument): their words keep one numbering. */
let documentDepth = 0;

function termIdOf(term: string): number {
  let id = termIds.get(term);
  if (id === undefined) {
    id = termsById.length;
    termIds.set(term, id);
    termsById.push(term);
  }
  return id;
}

/** The numbering in use: its epoch, how many numbers it has given, and each number's term. */
export function termNumbering(): { epoch: number; size: number; terms: readonly string[] } {
  return { epoch, size: termsById.length, terms: termsById };
}

/**
 * Forgets every word worked out so far and starts a new numbering of terms. Numbers from before
 * mean nothing after; callers keep the old `terms` of termNumbering to read theirs.
 */
export function forgetWords(): void {
  entries.clear();
  runs.clear();
  hotRuns.clear();
  termIds = new Map();
  termsById = [];
  epoch++;
}

/** forgetWords when the numbering is past its limit, unless a document's analysis is under way. */
function forgetWordsIfFull(): void {
  if (documentDepth === 0 && termsById.length > TERM_NUMBERING.limit) forgetWords();
}

/** Runs a document's analysis, after forgetWords if the numbering is past its limit. */
export function withinDocument<T>(analysis: () => T): T {
  forgetWordsIfFull();
  documentDepth++;
  try {
    return analysis();
  } finally {
    documentDepth--;
  }
}

/**
 * The phonetic term of one already-loose token ("0" + its key), or null for a number or a key
 * too short to mean anything. Pure: nothing is kept or numbered (typo correction asks it of
 * hundreds of made-up neighbours).
 */
export function phoneticTermOf(token: string): string | null {
  if (/^[0-9]+$/.test(token)) return null;
  // An English plural s would keep "computers" from meeting کمپیوٹر; the key drops it.
  const key = phoneticKey(
    isLatinWord(token) && /[^s]s$/.test(token) && token.length > 4 ? token.slice(0, -1) : token,
  );
  // Vowel-rich words (wifi/وائی فائی, sehat/صحت) have two-letter skeletons; kept for words of
  // four letters or more, where two consonants still say something.
  if (key.length >= MIN_PHONETIC_KEY || (key.length === 2 && letters(token) >= 4)) {
    return PHONETIC_PREFIX + key;
  }
  return null;
}

function entryOf(token: string): IndexedWord {
  const hit = entries.get(token);
  if (hit) return hit;
  forgetWordsIfFull();
  const digits = /^[0-9]+$/.test(token);
  const primary = isLatinWord(token) ? englishStem(token) : token;
  const phonetic = phoneticTermOf(token);
  const entry = {
    terms: { surface: token, primary, phonetic },
    primaryId: termIdOf(primary),
    phoneticId: phonetic === null ? -1 : termIdOf(phonetic),
    surfaceId: termIdOf(token),
    vocabulary: !digits && letters(token) >= MIN_VOCAB_LENGTH,
    covered:
      phonetic !== null && !isLatinWord(token) && !token.startsWith(PHONETIC_PREFIX) && phonetic !== token,
  };
  entries.set(token, entry);
  return entry;
}

/**
 * Whether a term is an Urdu word whose phonetic key finds every document that has it: the key is
 * made from the word alone, so wherever the word is, its key is too. Only English stems are not
 * (computing shares computer's stem, not its key), and numbers and short words have no key.
 * The engine is asked for such a word's key instead (plan.ts), so the all-terms index leaves the
 * word out (analysis.ts): two lists of documents become one.
 */
export function coveredByItsKey(term: string): boolean {
  if (term.startsWith(PHONETIC_PREFIX) || isLatinWord(term)) return false;
  return entryOf(term).covered;
}

/** Terms of one already-loose token (the output of looseTokens + applyVariants). */
export function termsOfToken(token: string): TokenTerms {
  return entryOf(token).terms;
}

/** A run as the regex finds it, worked out once: what indexing needs of it in one lookup. */
interface RunEntry {
  /** Its loose form after the variant table's one-word rules; "" when nothing is left. */
  readonly word: string;
  /** The word's terms (null for ""). */
  readonly entry: IndexedWord | null;
  /** A phrase rule of the variant table starts with the word. */
  readonly startsPhrase: boolean;
  /** The run's signature as snippets test it (signatureOfForms of formsOf(analyse(run))). */
  readonly signature: number;
}

/**
 * What a word of a document is compared with when a snippet looks for a query's terms in it: the
 * primary term, the surface form and the phonetic key of each token the word analyses to.
 */
export function formsOf(tokens: readonly string[]): string[] {
  const forms: string[] = [];
  for (const token of tokens) {
    const t = termsOfToken(token);
    forms.push(t.primary, t.surface);
    if (t.phonetic) forms.push(t.phonetic);
  }
  return forms;
}

/** A form's slot (7 bits): a word whose forms' slots a query's terms do not take cannot match it. */
export function formSlot(form: string): number {
  return wordHash(form) >>> 25;
}

/** A signature with every slot: never passed over (a word of more than three forms' slots). */
export const ANY_SLOTS = -1;
/** Set in every other signature but 0 (no forms), so that slot 0 reads as taken. */
const SIGNED = 1 << 21;

/**
 * A word's forms as one number (its signature): the slots of up to three forms, 7 bits each, the
 * first repeated when fewer; 0 for none, ANY_SLOTS for more. A word has at most three forms
 * unless a phrase rule made it several tokens. In 32 bits (one bit a form) a four-word query's
 * ~8 terms left a third of a document's words to look up; in 128 slots, about a tenth.
 */
export function signatureOf(slots: readonly number[]): number {
  const distinct = [...new Set(slots)];
  if (distinct.length === 0) return 0;
  if (distinct.length > 3) return ANY_SLOTS;
  const [a, b = a, c = a] = distinct as [number, number?, number?];
  return SIGNED | a | (b << 7) | (c << 14);
}

/** The slots a signature holds (none for 0); ANY_SLOTS holds every slot. */
export function slotsOf(signature: number): number[] {
  if (signature === 0) return [];
  if (signature === ANY_SLOTS) return Array.from({ length: 128 }, (_, i) => i);
  return [...new Set([signature & 127, (signature >> 7) & 127, (signature >> 14) & 127])];
}

/** signatureOfForms(formsOf([token])), from the token's terms. */
function signatureOfTerms(t: TokenTerms): number {
  const slots = [formSlot(t.primary), formSlot(t.surface)];
  if (t.phonetic) slots.push(formSlot(t.phonetic));
  return signatureOf(slots);
}

/** A word's forms as its signature (signatureOf). */
export function signatureOfForms(forms: readonly string[]): number {
  return signatureOf(forms.map(formSlot));
}

const runs = new KeptMap<RunEntry>(CACHE_LIMIT);
// In front of `runs`: words looked up without cutting them out of the text or hashing them again.
let hotRuns = new FlatWordSlots<RunEntry>(HOT_RUN_BITS.first);
let hotRunBits = HOT_RUN_BITS.first;
let hotRunMisses = 0;

/** The in-place table's size, in bits of its slot count. */
export function hotRunTableBits(): number {
  return hotRunBits;
}

function keepHotRun(text: string, start: number, end: number, hash: number, r: RunEntry): void {
  // A word too long for a slot is never kept, whatever the table's size.
  if (end - start > FlatWordSlots.SLOT_UNITS) return;
  // Twice as many misses as slots: the words in use do not fit.
  if (++hotRunMisses > 2 << hotRunBits && hotRunBits < HOT_RUN_BITS.most) {
    hotRunBits += HOT_RUN_BITS.step;
    hotRuns = new FlatWordSlots(hotRunBits);
    hotRunMisses = 0;
  }
  hotRuns.set(text, start, end, hash, 0, r);
}

function runEntry(run: string): RunEntry {
  let r = runs.get(run);
  if (r === undefined) {
    const token = tokenOfRun(run);
    const loose = token === null ? "" : looseForm(token);
    const word = loose === "" ? "" : rewriteVariantWord(loose);
    const entry = word === "" ? null : entryOf(word);
    const startsPhrase = word !== "" && startsVariantPhrase(word);
    r = {
      word,
      entry,
      startsPhrase,
      // analyse(run): this word through the phrase rules (a run is one run), which change it
      // only when one starts with it.
      signature: !entry
        ? 0
        : startsPhrase
          ? signatureOfForms(formsOf(applyVariantPhrases([word])))
          : signatureOfTerms(entry.terms),
    };
    runs.set(run, r);
  }
  return r;
}

/** Normalised tokens of a text: loose forms with the spelling-variant table applied. */
export function analyse(text: string): string[] {
  const out: string[] = [];
  for (const run of tokenRuns(text)) {
    const word = runEntry(run).word;
    if (word !== "") out.push(word);
  }
  return applyVariantPhrases(out);
}

/** Where wordsOfText puts the signatures of the words of text.slice(0, chars) (see snippetBits.ts). */
export interface SnippetBitsOut {
  readonly chars: number;
  readonly signatures: number[];
}

/**
 * What indexing needs of each word of a text, in order: analyse(text) with each token's terms, in
 * one pass and one lookup a word (an article has ~360). The variant table's phrase rules are
 * applied afterwards, to the words found, only when one of them starts a phrase. With `snippet`,
 * also the signature of each word of the text's first `chars` characters, as a snippet reads them.
 */
export function wordsOfText(text: string, snippet?: SnippetBitsOut): readonly IndexedWord[] {
  const found: RunEntry[] = [];
  let phrase = false;
  let cut = -1;
  scanRuns(text, (start, end, hash) => {
    const slot = hotRuns.slotOf(text, start, end, hash);
    let r: RunEntry;
    if (slot >= 0) r = hotRuns.value(slot);
    else {
      r = runEntry(text.slice(start, end));
      keepHotRun(text, start, end, hash, r);
    }
    if (r.entry !== null) found.push(r);
    if (r.startsPhrase) phrase = true;
    if (snippet && cut < 0) {
      // A word wholly inside the part snippets read is the same word there.
      if (end <= snippet.chars) snippet.signatures.push(r.signature);
      else if (start < snippet.chars) cut = start;
    }
    return true;
  });
  if (snippet && cut >= 0) {
    // The word the part's end cuts, as a snippet reads that part.
    const part = text.slice(0, snippet.chars);
    scanRuns(
      part,
      (start, end) => snippet.signatures.push(runEntry(part.slice(start, end)).signature) > 0,
      cut,
    );
  }
  if (!phrase) return found.map((r) => r.entry!);
  // analyse(text)'s phrase step, on the words already found.
  const words = found.map((r) => r.word);
  const out: IndexedWord[] = [];
  for (let i = 0; i < found.length;) {
    const match = found[i]!.startsPhrase ? variantPhraseAt(words, i) : null;
    out.push(match ? entryOf(match.word) : found[i]!.entry!);
    i += match ? match.length : 1;
  }
  return out;
}

/** Distinct index terms of a text, in first-seen order. */
export function indexTerms(text: string): string[] {
  const out = new Set<string>();
  for (const token of analyse(text)) {
    const t = termsOfToken(token);
    out.add(t.primary);
    if (t.phonetic) out.add(t.phonetic);
  }
  return [...out];
}

/**
 * The typo-correction vocabulary of a text, as indexing keeps it (analysis.ts), worked out the
 * plain way: its distinct surface words long enough, each Urdu-script one followed by its
 * phonetic term.
 */
export function vocabularyWords(text: string): string[] {
  const out = new Set<string>();
  for (const token of analyse(text)) {
    if (letters(token) < MIN_VOCAB_LENGTH || /^[0-9]+$/.test(token)) continue;
    out.add(token);
    if (coveredByItsKey(token)) out.add(phoneticTermOf(token)!);
  }
  return [...out];
}

export function letters(word: string): number {
  return [...word].length;
}

const STOP_PRIMARIES = new Set(
  [...URDU_STOP_WORDS, ...ENGLISH_STOP_WORDS, ...ROMAN_URDU_STOP_WORDS].flatMap((w) =>
    analyse(w).map((t) => termsOfToken(t).primary),
  ),
);

export function isStopWord(terms: TokenTerms): boolean {
  return STOP_PRIMARIES.has(terms.primary);
}
