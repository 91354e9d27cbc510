// Text → index terms and query → term groups. Every token becomes a primary term (the loose Urdu
// form after the variant table, or the English stem of a Latin word) and, when long enough, a
// phonetic key prefixed with "0" so it can never collide with a primary term. Both engines index
// exactly these strings, which is why they can return the same documents.

import { englishStem, isLatinWord, looseForm, tokenize } from "./normalise.ts";
import { phoneticKey } from "./phonetic.ts";
import { ENGLISH_STOP_WORDS, ROMAN_URDU_STOP_WORDS, URDU_STOP_WORDS } from "./stopwords.ts";
import { applyVariants } from "./variants.ts";

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

const cache = new Map<string, TokenTerms>();
const CACHE_LIMIT = 100_000;

/** Terms of one already-loose token (the output of looseTokens + applyVariants). */
export function termsOfToken(token: string): TokenTerms {
  const hit = cache.get(token);
  if (hit) return hit;
  const digits = /^[0-9]+$/.test(token);
  const primary = isLatinWord(token) ? englishStem(token) : token;
  let phonetic: string | null = null;
  if (!digits) {
    // An English plural s would keep "computers" from meeting کمپیوٹر; the key drops it.
    const key = phoneticKey(
      isLatinWord(token) && /[^s]s$/.test(token) && token.length > 4 ? token.slice(0, -1) : token,
    );
    // Vowel-rich words (wifi/وائی فائی, sehat/صحت) have two-letter skeletons; kept for words of
    // four letters or more, where two consonants still say something.
    if (key.length >= MIN_PHONETIC_KEY || (key.length === 2 && letters(token) >= 4)) {
      phonetic = PHONETIC_PREFIX + key;
    }
  }
  const terms = { surface: token, primary, phonetic };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(token, terms);
  return terms;
}

const looseCache = new Map<string, string>();

/** Normalised tokens of a text: loose forms with the spelling-variant table applied. */
export function analyse(text: string): string[] {
  const loose: string[] = [];
  for (const raw of tokenize(text)) {
    let form = looseCache.get(raw);
    if (form === undefined) {
      form = looseForm(raw);
      if (looseCache.size >= CACHE_LIMIT) looseCache.clear();
      looseCache.set(raw, form);
    }
    if (form !== "") loose.push(form);
  }
  return applyVariants(loose);
}

/** Index terms and vocabulary words of already-analysed tokens, in one pass. */
export function termsOfTokens(tokens: readonly string[]): { terms: string[]; vocabulary: string[] } {
  const terms = new Set<string>();
  const vocabulary = new Set<string>();
  for (const token of tokens) {
    const t = termsOfToken(token);
    terms.add(t.primary);
    if (t.phonetic) terms.add(t.phonetic);
    if (!/^[0-9]+$/.test(token) && letters(token) >= MIN_VOCAB_LENGTH) vocabulary.add(token);
  }
  return { terms: [...terms], vocabulary: [...vocabulary] };
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

/** Distinct surface words long enough for the typo-correction vocabulary. */
export function vocabularyWords(text: string): string[] {
  const out = new Set<string>();
  for (const token of analyse(text))
    if (letters(token) >= MIN_VOCAB_LENGTH && !/^[0-9]+$/.test(token)) out.add(token);
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
