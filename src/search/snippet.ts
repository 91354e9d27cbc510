// A short extract of a document around the words that matched, as segments the views escape.

import { KeptMap, wordHash, WordSlots } from "./keptMap.ts";
import { scanRuns } from "./tokens.ts";
import { analyse, termsOfToken } from "./terms.ts";
import type { QueryGroup } from "./plan.ts";

export interface Segment {
  readonly text: string;
  readonly hit: boolean;
}

/** A snippet reads no further into a text than this (UTF-16 code units; characters in Urdu). */
export const SCAN_CHARS = 6000;
const SNIPPET_CHARS = 220;
const LEAD_CHARS = 50;
/**
 * White space a snippet shows as one space: runs, and any single character but a space. A single
 * space is left alone, so a text already spaced that way (as indexed texts are) comes back as it
 * is instead of rebuilt around each of its spaces (10 µs of a snippet's 56 on a bench body).
 */
const SPACING = /\s{2,}|[^\S ]/g;

interface WordEntry {
  /** The word's forms (primary, surface, phonetic) that query terms are compared with. */
  forms: string[];
  /** A bit per form (formBit): a query sharing none of them cannot match the word. */
  bits: number;
  /** The last tester that looked at this word, and the query words (bits) it found it to be. */
  tester: number;
  groups: number;
}

// Document words met, kept across queries: the words of a language repeat, so a snippet soon
// costs one map look-up per word.
const words = new KeptMap<WordEntry>(200_000);
// In front of `words`: the commonest words, looked up without cutting them out of the text.
const hotWords = new WordSlots<WordEntry>(13);
let testers = 0;
/** Query words told apart by a snippet (bits of a number). */
const GROUP_BITS = 30;

/** One of 32 bits for a form: a filter that rules out most words without reading their forms. */
function formBit(form: string): number {
  return 1 << (wordHash(form) >>> 27);
}

function entryOf(word: string): WordEntry {
  let entry = words.get(word);
  if (!entry) {
    const forms: string[] = [];
    for (const token of analyse(word)) {
      const t = termsOfToken(token);
      forms.push(t.primary, t.surface);
      if (t.phonetic) forms.push(t.phonetic);
    }
    entry = { forms, bits: forms.reduce((b, f) => b | formBit(f), 0), tester: 0, groups: 0 };
    words.set(word, entry);
  }
  return entry;
}

/** Tells which words of one query (as bits, one per query word) a word of a document matches. */
export class HitTest {
  private readonly id = ++testers;
  /** The bits of the query's exact terms (formBit); every bit when a prefix is asked for. */
  private readonly bits: number;

  /**
   * @param exact each alternative term and the query words (bits) it stands for
   * @param prefixes the same for prefix alternatives
   * @param words how many query words there are: bits 0 to words - 1
   */
  constructor(
    private readonly exact: ReadonlyMap<string, number>,
    private readonly prefixes: readonly (readonly [string, number])[],
    readonly words: number,
  ) {
    this.bits = prefixes.length > 0 ? -1 : [...exact.keys()].reduce((b, t) => b | formBit(t), 0);
  }

  groupsOf(entry: WordEntry): number {
    // Most words share no form's bit with the query: their forms need not be read.
    if ((entry.bits & this.bits) === 0) return 0;
    // The answer is kept on the word's entry for this query: a word met again costs nothing.
    if (entry.tester !== this.id) {
      let groups = 0;
      for (const form of entry.forms) {
        groups |= this.exact.get(form) ?? 0;
        for (const [prefix, bits] of this.prefixes) if (form.startsWith(prefix)) groups |= bits;
      }
      entry.groups = groups;
      entry.tester = this.id;
    }
    return entry.groups;
  }
}

export function hitTester(groups: readonly QueryGroup[]): HitTest {
  const exact = new Map<string, number>();
  const prefixes: [string, number][] = [];
  // A query has at most 8 words (plan.ts); past GROUP_BITS, the rest would share the last bit.
  const bitOf = (i: number) => 1 << Math.min(i, GROUP_BITS - 1);
  groups.forEach((g, i) => {
    const bit = bitOf(i);
    for (const a of g.alternatives) {
      if (a.prefix) prefixes.push([a.term, bit]);
      else exact.set(a.term, (exact.get(a.term) ?? 0) | bit);
    }
  });
  return new HitTest(exact, prefixes, Math.min(groups.length, GROUP_BITS));
}

/**
 * The words of a text's scanned part met so far: where each is, and its entry. A text is
 * tokenised only as far as a snippet needs (see snippet), and further when another query needs
 * more of it.
 */
interface Tokens {
  starts: number[];
  ends: number[];
  entries: WordEntry[];
  /** Characters tokenised so far: up to a word's end, or the whole text. */
  scanned: number;
}

// Texts tokenised lately, keyed by their scanned part (an edited document is simply a new text).
// Result pages show the newest documents again and again, and looking each word up among
// hundreds of thousands (`words`) was most of a snippet's cost; a text met again goes straight
// to its words' entries. Bounded: at most twice this many texts of up to SCAN_CHARS each.
const TEXTS_KEPT = 500;
const texts = new KeptMap<Tokens>(TEXTS_KEPT);
/** Characters tokenised at a time (then on to the end of the word). */
const CHUNK_CHARS = 400;

/** Tokenise the next stretch of the text; false when it is all done. */
function tokeniseMore(scan: string, tokens: Tokens): boolean {
  if (tokens.scanned >= scan.length) return false;
  const until = tokens.scanned + CHUNK_CHARS;
  let next = scan.length;
  scanRuns(
    scan,
    (start, end, hash) => {
      if (start >= until) {
        next = start;
        return false;
      }
      tokens.starts.push(start);
      tokens.ends.push(end);
      tokens.entries.push(hotWords.find(scan, start, end, hash, entryOf));
      return true;
    },
    tokens.scanned,
  );
  tokens.scanned = next;
  return true;
}

/** Where a window shown for a hit starts: a little before it, on a word boundary. */
function windowStart(scan: string, hitStart: number): number {
  const start = Math.max(0, hitStart - LEAD_CHARS);
  if (start === 0) return 0;
  const space = scan.indexOf(" ", start);
  return space >= 0 && space < hitStart ? space + 1 : start;
}

/**
 * The window of the text with the most of the query's words (then the most hits), or its
 * opening when nothing matches. Reading stops at the first window that holds every query word,
 * once that window is complete: a long article is rarely read to its end, and its first passage
 * with all the words is what a reader wants to see.
 */
export function snippet(text: string, test: HitTest): Segment[] {
  const scan = text.slice(0, SCAN_CHARS).replace(SPACING, " ");
  let tokens = texts.get(scan);
  if (!tokens) {
    tokens = { starts: [], ends: [], entries: [], scanned: 0 };
    texts.set(scan, tokens);
  }
  const { starts, ends, entries } = tokens;
  const span = SNIPPET_CHARS - LEAD_CHARS;
  const hits: { start: number; end: number; groups: number }[] = [];
  // Hits per query word within the current window (the hits from lo on), to know which it holds.
  const inWindow = new Array<number>(test.words).fill(0);
  let lo = 0;
  let best = -1;
  let bestWords = 0;
  let bestHits = 0;
  // Once a window holds every query word it is the one shown; read on only to its end.
  let readUntil = Infinity;
  for (let k = 0; ; k++) {
    while (k === entries.length && tokeniseMore(scan, tokens));
    if (k === entries.length || starts[k]! >= readUntil) break;
    const groups = test.groupsOf(entries[k]!);
    if (groups === 0) continue;
    hits.push({ start: starts[k]!, end: ends[k]!, groups });
    if (readUntil !== Infinity) continue;
    for (let b = 0; b < test.words; b++) if (groups & (1 << b)) inWindow[b]!++;
    const hi = hits.length - 1;
    while (hits[hi]!.end - hits[lo]!.start > span) {
      for (let b = 0; b < test.words; b++) if (hits[lo]!.groups & (1 << b)) inWindow[b]!--;
      lo++;
    }
    const heldWords = inWindow.filter((n) => n > 0).length;
    const count = hi - lo + 1;
    if (heldWords > bestWords || (heldWords === bestWords && count > bestHits)) {
      [best, bestWords, bestHits] = [lo, heldWords, count];
    }
    if (heldWords === test.words) readUntil = windowStart(scan, hits[best]!.start) + SNIPPET_CHARS;
  }
  const start = best >= 0 ? windowStart(scan, hits[best]!.start) : 0;
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
