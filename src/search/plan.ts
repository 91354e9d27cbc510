// A query becomes groups of alternative terms: AND across the user's words, OR within a word's
// spellings (its normalised form, its phonetic key, and for an unknown word its near neighbours).

import { oneEditCandidates } from "./fuzzy.ts";
import type { MatchQuery, MatchTerm } from "./queries.ts";
import { knownWords } from "./vocabulary.ts";
import type { Executor } from "../db/connect.ts";
import {
  analyse,
  coveredByItsKey,
  isStopWord,
  letters,
  PHONETIC_PREFIX,
  phoneticTermOf,
  termsOfToken,
  type TokenTerms,
} from "./terms.ts";
import { englishStem, isLatinWord } from "./normalise.ts";

/** How much a match through each kind of alternative counts. */
export const QUALITY = { exact: 1, prefix: 0.8, phonetic: 0.6, fuzzy: 0.5 } as const;
export type AlternativeKind = keyof typeof QUALITY;

export interface Alternative {
  readonly term: string;
  readonly kind: AlternativeKind;
  readonly prefix: boolean;
}

export interface QueryGroup {
  readonly token: TokenTerms;
  readonly alternatives: readonly Alternative[];
}

export interface QueryPlan {
  readonly groups: readonly QueryGroup[];
  /** Only very common words: rank by recency. */
  readonly onlyStopWords: boolean;
}

const MAX_WORDS = 8;
const MIN_FUZZY_LETTERS = 5;
const MAX_NEIGHBOURS = 3;
/**
 * The shortest key (letters after the prefix) a typo is corrected to through neighbourKeys. Many
 * words share a skeleton of three (mnd, krt, kl): with any length, "hello" became "kello" and
 * found 9 of the demo's articles, and "qwerty" became "qerty".
 */
const MIN_NEIGHBOUR_KEY = 4;

function alternativesOf(t: TokenTerms): Alternative[] {
  const alts: Alternative[] = [{ term: t.primary, kind: "exact", prefix: false }];
  if (t.phonetic && t.phonetic !== t.primary)
    alts.push({ term: t.phonetic, kind: "phonetic", prefix: false });
  return alts;
}

export function planQuery(q: string): QueryPlan {
  const tokens = analyse(q).slice(0, MAX_WORDS).map(termsOfToken);
  const seen = new Set<string>();
  const distinct = tokens.filter((t) => !seen.has(t.primary) && seen.add(t.primary));
  const content = distinct.filter((t) => !isStopWord(t));
  const kept = content.length > 0 ? content : distinct;
  return {
    groups: kept.map((token) => ({ token, alternatives: alternativesOf(token) })),
    onlyStopWords: content.length === 0 && distinct.length > 0,
  };
}

/** The same plan with the last word also matched as a prefix (suggestions as the user types). */
export function withPrefixTail(plan: QueryPlan): QueryPlan {
  const last = plan.groups.at(-1);
  if (!last || letters(last.token.surface) < 2) return plan;
  const s = last.token.surface;
  const prefixes = new Set([s, isLatinWord(s) ? englishStem(s) : s]);
  const alts: Alternative[] = [...prefixes].map((term) => ({ term, kind: "prefix", prefix: true }));
  if (last.token.phonetic && last.token.phonetic.length >= PHONETIC_PREFIX.length + 2) {
    alts.push({ term: last.token.phonetic, kind: "phonetic", prefix: true });
  }
  return { ...plan, groups: [...plan.groups.slice(0, -1), { token: last.token, alternatives: alts }] };
}

export interface FuzzyPlan {
  plan: QueryPlan;
  /** The query's words, each unknown one replaced by its most frequent neighbour; one per group. */
  corrected: string[];
}

/**
 * A word's one-edit neighbours by their phonetic terms, leaving out the word's own (the plan
 * already asks for it) and keys too short to say much. A Roman spelling with a typo may have no
 * Latin neighbour in any document, where an Urdu-script word shares a neighbour's key:
 * "shanakti" → "shanakhti" → شناختی. Several neighbours may share a key ("lapto": "laptpo" and
 * "laptop"); the one shown is the last in oneEditCandidates' order, whose edit is furthest along
 * the word, as a typist is surest of a word's start.
 */
export function neighbourKeys(word: string, neighbours: readonly string[]): Map<string, string> {
  const own = phoneticTermOf(word);
  const out = new Map<string, string>();
  for (const n of neighbours) {
    const key = phoneticTermOf(n);
    if (key === null || key === own) continue;
    if (key.length - PHONETIC_PREFIX.length >= MIN_NEIGHBOUR_KEY) out.set(key, n);
  }
  return out;
}

interface Near {
  /**
   * What the engine is asked for: a neighbour's terms as a typed word's (its primary term and
   * phonetic term, so "freelancing" also finds فری لانسنگ), or a phonetic term alone.
   */
  terms: readonly string[];
  /** The neighbour as the user would write it, for "did you mean". */
  word: string;
  df: number;
}

/** The most frequent of some neighbours, most frequent first (ties by the neighbour). */
function mostFrequent(near: Near[]): Near[] {
  return near.sort((a, b) => b.df - a.df || (a.word < b.word ? -1 : 1)).slice(0, MAX_NEIGHBOURS);
}

/**
 * Words of five letters or more that no document contains get their neighbours within one
 * edit as extra alternatives: the neighbours some document holds, or, when none does, those
 * whose phonetic key some document holds (neighbourKeys). Returns null when there is nothing to
 * correct.
 */
export async function withTypoCorrection(db: Executor, plan: QueryPlan): Promise<FuzzyPlan | null> {
  const candidates = plan.groups
    .map((g) => g.token.surface)
    .filter((w) => letters(w) >= MIN_FUZZY_LETTERS && !/^[0-9]+$/.test(w));
  if (candidates.length === 0) return null;
  // The typed words and every one-edit neighbour of them in one look-up: a round trip, not one
  // per word.
  const neighbours = new Map(candidates.map((w) => [w, oneEditCandidates(w)]));
  const found = await knownWords(db, [...candidates, ...[...neighbours.values()].flat()]);
  const df = new Map(found.map((k) => [k.term, k.df]));
  // Only a word with no known neighbour has its neighbours' keys looked up, in a second look-up:
  // working out ~600 keys takes ~1.3 ms, which a typo with a known neighbour does not pay.
  const keys = new Map(
    candidates
      .filter((w) => !df.has(w) && !neighbours.get(w)!.some((n) => df.has(n)))
      .map((w) => [w, neighbourKeys(w, neighbours.get(w)!)]),
  );
  const keyed =
    keys.size === 0
      ? []
      : await knownWords(
          db,
          [...keys.values()].flatMap((m) => [...m.keys()]),
        );
  for (const k of keyed) df.set(k.term, k.df);
  let changed = false;
  const words: string[] = [];
  const groups: QueryGroup[] = [];
  for (const g of plan.groups) {
    const w = g.token.surface;
    const known = (term: string, word: string, asked: () => readonly string[]): Near[] =>
      df.has(term) ? [{ terms: asked(), word, df: df.get(term)! }] : [];
    let near = mostFrequent(
      (neighbours.get(w) ?? []).flatMap((n) =>
        known(n, n, () => alternativesOf(termsOfToken(n)).map((a) => a.term)),
      ),
    );
    if (near.length === 0)
      near = mostFrequent([...(keys.get(w) ?? [])].flatMap(([k, n]) => known(k, n, () => [k])));
    if (!neighbours.has(w) || df.has(w) || near.length === 0) {
      groups.push(g);
      words.push(w);
      continue;
    }
    // Neighbours may share a key ("computer", "computers"): each term is asked for once.
    const asked = new Set(g.alternatives.map((a) => a.term));
    const extra: Alternative[] = [];
    for (const term of near.flatMap((n) => n.terms)) {
      if (asked.has(term)) continue;
      asked.add(term);
      extra.push({ term, kind: "fuzzy", prefix: false });
    }
    // Neighbours the word already finds as typed ("course" is not in the vocabulary, "courses"
    // is, and both are the stem "cours"): nothing was corrected, and the word is shown as typed.
    if (extra.length === 0) {
      groups.push(g);
      words.push(w);
      continue;
    }
    changed = true;
    words.push(near[0]!.word);
    groups.push({ token: g.token, alternatives: [...g.alternatives, ...extra] });
  }
  return changed ? { plan: { ...plan, groups }, corrected: words } : null;
}

/**
 * What the engine is asked. The all-terms index keeps an Urdu word that has a phonetic key only
 * as that key (terms.ts, coveredByItsKey: every document holding the word holds its key), so the
 * engine is asked for the key instead, which finds the same documents through one list instead of
 * two (and PostgreSQL's statistics see the real share, where OR-ing two words that always come
 * together counted them twice). A typo's neighbour is asked for the same way, so it also finds
 * words that sound like it. Ranking and snippets still use every alternative as it is.
 */
export function matchQueryOf(groups: readonly QueryGroup[]): MatchQuery {
  return groups.map((g) => {
    const terms = new Map<string, MatchTerm>();
    for (const a of g.alternatives) {
      const term = !a.prefix && coveredByItsKey(a.term) ? termsOfToken(a.term).phonetic! : a.term;
      terms.set(a.prefix ? `${term}*` : term, { term, prefix: a.prefix });
    }
    return [...terms.values()];
  });
}
