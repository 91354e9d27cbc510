// Synthetic search corpus for `npm run bench -- search`: documents built from the word lists of
// searchWords.ts (Urdu script, English, Roman Urdu) drawn with Zipf-like frequencies by a seeded
// PRNG, so every run with the same seed and size indexes the same text. Nothing here is committed
// data beyond the word lists; documents are generated a batch at a time and never all held at once.
import { newId } from "../src/db/ids.ts";
import type { SearchKind, SearchSource } from "../src/search/indexer.ts";
import {
  COMMON_FORMS,
  COMMON_SHARE,
  ENGLISH_CONTENT,
  ENGLISH_FUNCTION,
  LATIN_CODAS,
  LATIN_SYLLABLES,
  RARE_ENGLISH,
  RARE_URDU,
  ROMAN_CONTENT,
  ROMAN_FUNCTION,
  STOP_WORD,
  TAIL_SIZE,
  URDU_CODAS,
  URDU_CONTENT,
  URDU_FUNCTION,
  URDU_SYLLABLES,
  pseudoWord,
} from "./searchWords.ts";

// ---- randomness -----------------------------------------------------------------------------

/** sfc32: small, fast, and good enough for text; seeded so corpora repeat exactly. */
export function prng(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 + seed;
  let c = 0xb7e15162 ^ (seed * 31);
  let d = 1;
  const next = () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

/** Zipf–Mandelbrot over ranks 0..n-1: weight 1 / (rank + 1 + q)^s, drawn by inverse CDF. */
class Zipf {
  private readonly cumulative: Float64Array;
  constructor(n: number, s: number, q: number) {
    this.cumulative = new Float64Array(n);
    let sum = 0;
    for (let r = 0; r < n; r++) this.cumulative[r] = sum += 1 / Math.pow(r + 1 + q, s);
    for (let r = 0; r < n; r++) this.cumulative[r]! /= sum;
  }
  draw(u: number): number {
    const c = this.cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

// ---- documents ------------------------------------------------------------------------------

type Script = "urdu" | "english" | "roman";

interface Mix {
  function: number;
  content: number;
  /** Share of Roman Urdu content words that are English instead (code-mixing). */
  english: number;
  tail: number;
}

/** Shares of running text by word source; the rest are numbers. */
const BODY_MIX: Record<Script, Mix> = {
  urdu: { function: 0.4, content: 0.4, english: 0, tail: 0.19 },
  english: { function: 0.45, content: 0.38, english: 0, tail: 0.16 },
  roman: { function: 0.4, content: 0.4, english: 0.25, tail: 0.19 },
};
const TITLE_MIX: Record<Script, Mix> = {
  urdu: { function: 0.2, content: 0.6, english: 0, tail: 0.19 },
  english: { function: 0.2, content: 0.6, english: 0, tail: 0.19 },
  roman: { function: 0.2, content: 0.6, english: 0.25, tail: 0.19 },
};
const SCRIPT_SHARE = { urdu: 0.7, english: 0.2 }; // roman: the rest
const KIND_SHARE: [SearchKind, number][] = [
  ["news", 0.6],
  ["notice", 0.15],
  ["guide", 0.25],
];
const RARE_SHARE = 0.02;
/** Publication dates: five years up to a fixed day, roughly in indexing order (±15 days). */
const END = Date.parse("2026-10-01T00:00:00Z");
const SPAN_MS = 5 * 365.25 * 24 * 3600 * 1000;
const JITTER_MS = 15 * 24 * 3600 * 1000;

interface Lexicon {
  function: readonly string[];
  content: readonly string[];
  functionZipf: Zipf;
  contentZipf: Zipf;
  tail: (rank: number) => string;
  rare: readonly string[];
  stop: string;
  comma: string;
}

const tailZipf = new Zipf(TAIL_SIZE, 1, 50);
const englishContentZipf = new Zipf(ENGLISH_CONTENT.length, 1, 10);
const LEXICONS: Record<Script, Lexicon> = {
  urdu: {
    function: URDU_FUNCTION,
    content: URDU_CONTENT,
    functionZipf: new Zipf(URDU_FUNCTION.length, 1, 1),
    contentZipf: new Zipf(URDU_CONTENT.length, 1, 10),
    tail: (r) => pseudoWord(r, URDU_SYLLABLES, URDU_CODAS),
    rare: RARE_URDU,
    stop: "۔",
    comma: "،",
  },
  english: {
    function: ENGLISH_FUNCTION,
    content: ENGLISH_CONTENT,
    functionZipf: new Zipf(ENGLISH_FUNCTION.length, 1, 1),
    contentZipf: englishContentZipf,
    tail: (r) => pseudoWord(r, LATIN_SYLLABLES, LATIN_CODAS),
    rare: RARE_ENGLISH,
    stop: ".",
    comma: ",",
  },
  roman: {
    function: ROMAN_FUNCTION,
    content: ROMAN_CONTENT,
    functionZipf: new Zipf(ROMAN_FUNCTION.length, 1, 1),
    contentZipf: new Zipf(ROMAN_CONTENT.length, 1, 10),
    tail: (r) => pseudoWord(r, LATIN_SYLLABLES, LATIN_CODAS),
    rare: [],
    stop: ".",
    comma: ",",
  },
};

export interface CorpusStats {
  documents: number;
  byScript: Record<Script, number>;
  /** Documents containing the common word in some spelling (COMMON_FORMS). */
  withCommonWord: number;
  /** Documents containing STOP_WORD. */
  withStopWord: number;
  /** Documents given one of the rare words. */
  withRareWord: number;
  /** Words in title, strap and body together. */
  words: number;
}

/**
 * Words in a generated body: an article's length (the seed article's body has 341 words; these
 * average 340, 363 a document with title and strap). `--body-words` sets it. Until 2026-12-06 the
 * default was 80–200 (140 on average): the yardstick (searchReference.ts) then ran at
 * 0.45–0.50 times the figures, and at article length at 0.82–1.13 times on the same kind
 * of machine, so the 100k documents were most likely articles of this length.
 */
export const BODY_WORDS: readonly [number, number] = [250, 430];

/** Generates `size` documents deterministically from `seed`, a batch at a time. */
export class Corpus {
  readonly stats: CorpusStats;
  private readonly random: () => number;
  private produced = 0;

  constructor(
    readonly size: number,
    seed: number,
    /** Words in a body, drawn uniformly between the two (the default averages 140). */
    private readonly bodyWords: readonly [number, number] = BODY_WORDS,
  ) {
    this.random = prng(seed);
    this.stats = {
      documents: 0,
      byScript: { urdu: 0, english: 0, roman: 0 },
      withCommonWord: 0,
      withStopWord: 0,
      withRareWord: 0,
      words: 0,
    };
  }

  /** The next `count` documents (fewer at the end; empty when all are made). */
  next(count: number): SearchSource[] {
    const out: SearchSource[] = [];
    while (out.length < count && this.produced < this.size) out.push(this.document(this.produced++));
    return out;
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private word(script: Script, mix: Mix): string {
    const lex = LEXICONS[script];
    const r = this.random();
    if (r < mix.function) return lex.function[lex.functionZipf.draw(this.random())]!;
    if (r < mix.function + mix.content) {
      if (mix.english > 0 && this.random() < mix.english)
        return ENGLISH_CONTENT[englishContentZipf.draw(this.random())]!;
      return lex.content[lex.contentZipf.draw(this.random())]!;
    }
    if (r < mix.function + mix.content + mix.tail) return lex.tail(tailZipf.draw(this.random()));
    return String(this.int(1, 2026));
  }

  private words(script: Script, mix: Mix, count: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(this.word(script, mix));
    return out;
  }

  /** Words into sentences of 6–18 words, with the script's full stop and an occasional comma. */
  private prose(script: Script, words: string[]): string {
    const lex = LEXICONS[script];
    let text = "";
    let sentence = 0;
    let length = this.int(6, 18);
    for (let i = 0; i < words.length; i++) {
      let w = words[i]!;
      if (sentence === 0 && script !== "urdu") w = w.charAt(0).toUpperCase() + w.slice(1);
      text += (i > 0 ? " " : "") + w;
      sentence++;
      if (sentence >= length || i === words.length - 1) {
        text += lex.stop;
        sentence = 0;
        length = this.int(6, 18);
      } else if (this.random() < 0.05) text += lex.comma;
    }
    return text;
  }

  private insert(words: string[], word: string): void {
    words.splice(Math.floor(this.random() * (words.length + 1)), 0, word);
  }

  private document(index: number): SearchSource {
    const u = this.random();
    const script: Script =
      u < SCRIPT_SHARE.urdu ? "urdu" : u < SCRIPT_SHARE.urdu + SCRIPT_SHARE.english ? "english" : "roman";
    const title = this.words(script, TITLE_MIX[script], this.int(5, 10));
    const strap = this.words(script, BODY_MIX[script], this.int(10, 20));
    const body = this.words(script, BODY_MIX[script], this.int(...this.bodyWords));
    if (this.random() < COMMON_SHARE) {
      const forms = COMMON_FORMS[script];
      for (let n = this.int(1, 3); n > 0; n--) this.insert(body, this.pick(forms));
      if (this.random() < 0.15) this.insert(title, this.pick(forms));
    }
    const rare = LEXICONS[script].rare;
    let hasRare = false;
    if (rare.length > 0 && this.random() < RARE_SHARE) {
      this.insert(body, this.pick(rare));
      hasRare = true;
    }
    const kindRoll = this.random();
    let acc = 0;
    const kind = KIND_SHARE.find(([, share]) => kindRoll < (acc += share))?.[0] ?? "news";
    const position = this.size > 1 ? index / (this.size - 1) : 1;
    const jitter = (this.random() * 2 - 1) * JITTER_MS;
    const unclamped = END - SPAN_MS + position * SPAN_MS + jitter;
    // Reflected at the end, not clamped: hundreds of documents in the same millisecond are not realistic.
    const published = Math.round(unclamped > END ? 2 * END - unclamped : unclamped);
    const id = newId();

    const all = [...title, ...strap, ...body];
    const s = this.stats;
    s.documents++;
    s.byScript[script]++;
    s.words += all.length;
    if (all.some((w) => COMMON_FORMS[script].includes(w))) s.withCommonWord++;
    if (script === "urdu" && all.includes(STOP_WORD)) s.withStopWord++;
    if (hasRare) s.withRareWord++;

    return {
      id,
      source: "article",
      centre_id: null,
      kind,
      lang: script === "english" ? "en" : "ur",
      title: this.prose(script, title).replace(/[.۔]$/, ""),
      strap: this.prose(script, strap),
      body_text: this.prose(script, body),
      path: `/articles/${id.slice(-7)}-${index}`,
      published_at: new Date(published).toISOString(),
      expires_at: null,
    };
  }
}

// ---- queries --------------------------------------------------------------------------------

const single = (entries: readonly string[]) => entries.filter((w) => !w.includes(" ") && !w.includes("'"));
const QUERY_WORDS: Record<Script, string[]> = {
  urdu: single(URDU_CONTENT),
  english: single(ENGLISH_CONTENT),
  roman: single(ROMAN_CONTENT),
};
const URDU_LETTERS = [..."ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھیے"];
const LATIN_LETTERS = [..."abcdefghijklmnopqrstuvwxyz"];

const QUERY_WORD_SET = new Set([...QUERY_WORDS.urdu, ...QUERY_WORDS.english, ...QUERY_WORDS.roman]);

/**
 * A query of `n` distinct list words taken from a document's title and strap, as someone looking
 * for that document might type it; null when the text has fewer such words.
 */
export function queryFromText(text: string, n: number, random: () => number): string | null {
  const words = [
    ...new Set(
      text
        .toLowerCase()
        .split(/[\s.,،۔]+/)
        .filter((w) => QUERY_WORD_SET.has(w)),
    ),
  ];
  if (words.length < n) return null;
  const chosen: string[] = [];
  while (chosen.length < n) chosen.push(...words.splice(Math.floor(random() * words.length), 1));
  return chosen.join(" ");
}

export interface QueryPools {
  oneWord: string[];
  /** Random list words; the bench prefers words from one document (queryFromText). */
  twoWords: string[];
  fourWords: string[];
  /** One-typo candidates; the bench keeps those that search corrects. */
  fuzzyCandidates: string[];
  rare: string[];
}

/** Queries in the corpus' language mix (70% Urdu script, 20% English, 10% Roman Urdu). */
export function queryPools(seed: number, perType = 100): QueryPools {
  const random = prng(seed ^ 0x5eed);
  const script = (): Script => {
    const u = random();
    return u < SCRIPT_SHARE.urdu
      ? "urdu"
      : u < SCRIPT_SHARE.urdu + SCRIPT_SHARE.english
        ? "english"
        : "roman";
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const phrase = (n: number) => {
    const words = QUERY_WORDS[script()];
    const chosen = new Set<string>();
    while (chosen.size < n) chosen.add(pick(words));
    return [...chosen].join(" ");
  };
  const typo = () => {
    const s = random() < 0.8 ? "urdu" : "english";
    const word = [...pick(QUERY_WORDS[s].filter((w) => [...w].length >= 6))];
    const letters = s === "urdu" ? URDU_LETTERS : LATIN_LETTERS;
    const i = 1 + Math.floor(random() * (word.length - 2));
    const edit = random();
    if (edit < 0.4) word[i] = pick(letters.filter((l) => l !== word[i]));
    else if (edit < 0.7) word.splice(i, 1);
    else if (edit < 0.85) word.splice(i, 0, pick(letters));
    else [word[i], word[i + 1]] = [word[i + 1]!, word[i]!];
    return word.join("");
  };
  const many = (make: () => string, n = perType) => Array.from({ length: n }, make);
  return {
    oneWord: many(() => phrase(1)),
    twoWords: many(() => phrase(2)),
    fourWords: many(() => phrase(4)),
    fuzzyCandidates: [...new Set(many(typo, perType * 4))],
    rare: [...RARE_URDU.filter((w) => !w.includes(" ")), ...RARE_ENGLISH],
  };
}
