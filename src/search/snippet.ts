// A short extract of a document around the words that matched, as segments the views escape.

import { KeptMap } from "./keptMap.ts";
import { analyse, termsOfToken } from "./terms.ts";
import type { QueryGroup } from "./plan.ts";

export interface Segment {
  readonly text: string;
  readonly hit: boolean;
}

const WORD_CHAR = /^[\p{L}\p{M}\p{Nd}\u200C\u200D]$/u;
const SCAN_CHARS = 6000;
const SNIPPET_CHARS = 220;
const LEAD_CHARS = 50;

// Whether each UTF-16 code unit is part of a word, learnt as met (0 = not yet known): a table
// look-up per character instead of a Unicode-property regex match per word.
const wordUnit = new Uint8Array(0x10000);
const WORD = 1;
const NOT_WORD = 2;

const isHighSurrogate = (c: number) => c >= 0xd800 && c < 0xdc00;

/** The character the surrogate at i is half of (a lone one stands for itself). */
function characterAt(text: string, i: number): string {
  const low = !isHighSurrogate(text.charCodeAt(i));
  const start = low && i > 0 && isHighSurrogate(text.charCodeAt(i - 1)) ? i - 1 : i;
  return String.fromCodePoint(text.codePointAt(start)!);
}

function isWordAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  let known = wordUnit[c]!;
  if (known === 0) {
    // Half of a surrogate pair says nothing alone: it counts as the character the pair makes.
    if (c >= 0xd800 && c <= 0xdfff) return WORD_CHAR.test(characterAt(text, i));
    known = WORD_CHAR.test(String.fromCharCode(c)) ? WORD : NOT_WORD;
    wordUnit[c] = known;
  }
  return known === WORD;
}

interface WordEntry {
  /** The word's forms (primary, surface, phonetic) that query terms are compared with. */
  forms: string[];
  /** The last tester that looked at this word, and what it found. */
  tester: number;
  hit: boolean;
}

// Document words met, kept across queries: the words of a language repeat, so a snippet soon
// costs one map look-up per word.
const words = new KeptMap<WordEntry>(200_000);
let testers = 0;

function entryOf(word: string): WordEntry {
  let entry = words.get(word);
  if (!entry) {
    const forms: string[] = [];
    for (const token of analyse(word)) {
      const t = termsOfToken(token);
      forms.push(t.primary, t.surface);
      if (t.phonetic) forms.push(t.phonetic);
    }
    entry = { forms, tester: 0, hit: false };
    words.set(word, entry);
  }
  return entry;
}

/** Tells whether a word of a document matches any alternative of one query. */
export class HitTest {
  private readonly id = ++testers;

  constructor(
    private readonly exact: ReadonlySet<string>,
    private readonly prefixes: readonly string[],
  ) {}

  matches(entry: WordEntry): boolean {
    // The answer is kept on the word's entry for this query: a word met again costs nothing.
    if (entry.tester !== this.id) {
      entry.hit = entry.forms.some((f) => this.exact.has(f) || this.prefixes.some((p) => f.startsWith(p)));
      entry.tester = this.id;
    }
    return entry.hit;
  }
}

export function hitTester(groups: readonly QueryGroup[]): HitTest {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const g of groups) {
    for (const a of g.alternatives) {
      if (a.prefix) prefixes.push(a.term);
      else exact.add(a.term);
    }
  }
  return new HitTest(exact, prefixes);
}

/** The words of a text's scanned part: where each is, and its entry. */
interface Tokens {
  starts: number[];
  ends: number[];
  entries: WordEntry[];
}

// Texts tokenised lately, keyed by their scanned part (an edited document is simply a new text).
// Result pages show the newest documents again and again, and looking each word up among
// hundreds of thousands (`words`) was most of a snippet's cost; a text met again goes straight
// to its words' entries. Bounded: at most twice this many texts of up to SCAN_CHARS each.
const TEXTS_KEPT = 500;
const texts = new KeptMap<Tokens>(TEXTS_KEPT);

function tokensOf(scan: string): Tokens {
  const kept = texts.get(scan);
  if (kept) return kept;
  const tokens: Tokens = { starts: [], ends: [], entries: [] };
  for (let i = 0; i < scan.length;) {
    if (!isWordAt(scan, i)) {
      i++;
      continue;
    }
    const start = i;
    while (i < scan.length && isWordAt(scan, i)) i++;
    tokens.starts.push(start);
    tokens.ends.push(i);
    tokens.entries.push(entryOf(scan.slice(start, i)));
  }
  texts.set(scan, tokens);
  return tokens;
}

/** The window of the text with the most hits, or its opening when nothing matches. */
export function snippet(text: string, test: HitTest): Segment[] {
  const scan = text.slice(0, SCAN_CHARS).replace(/\s+/g, " ");
  const { starts, ends, entries } = tokensOf(scan);
  const hits: { start: number; end: number }[] = [];
  for (let k = 0; k < entries.length; k++) {
    if (test.matches(entries[k]!)) hits.push({ start: starts[k]!, end: ends[k]! });
  }
  let start = 0;
  if (hits.length > 0) {
    let best = 0;
    let bestCount = 0;
    for (let i = 0; i < hits.length; i++) {
      let n = 0;
      while (i + n < hits.length && hits[i + n]!.end - hits[i]!.start <= SNIPPET_CHARS - LEAD_CHARS) n++;
      if (n > bestCount) [best, bestCount] = [i, n];
    }
    start = Math.max(0, hits[best]!.start - LEAD_CHARS);
    // Start on a word boundary.
    if (start > 0) {
      const space = scan.indexOf(" ", start);
      start = space >= 0 && space < hits[best]!.start ? space + 1 : start;
    }
  }
  let end = Math.min(scan.length, start + SNIPPET_CHARS);
  if (end < scan.length) {
    const space = scan.lastIndexOf(" ", end);
    if (space > start) end = space;
  }
  const out: Segment[] = [];
  if (start > 0) out.push({ text: "… ", hit: false });
  let at = start;
  for (const h of hits) {
    if (h.start < start || h.end > end) continue;
    if (h.start > at) out.push({ text: scan.slice(at, h.start), hit: false });
    out.push({ text: scan.slice(h.start, h.end), hit: true });
    at = h.end;
  }
  if (at < end) out.push({ text: scan.slice(at, end), hit: false });
  if (end < scan.length) out.push({ text: " …", hit: false });
  return out;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escaped HTML with matches in <mark>: the API's snippet field. */
export function snippetHtml(segments: readonly Segment[]): string {
  return segments
    .map((s) => {
      const text = s.text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
      return s.hit ? `<mark>${text}</mark>` : text;
    })
    .join("");
}
