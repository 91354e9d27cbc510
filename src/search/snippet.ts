// A short extract of a document around the words that matched, as segments the views escape.

import { FlatWordSlots, KeptMap } from "./keptMap.ts";
import { scanRuns } from "./tokens.ts";
import { analyse, ANY_SLOTS, formSlot, formsOf, signatureOfForms } from "./terms.ts";
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
  /** Its forms' slots (terms.ts, signatureOf): a query taking none of them cannot match the word. */
  signature: number;
  /** The last tester that looked at this word, and the query words (bits) it found it to be. */
  tester: number;
  groups: number;
}

// Document words met, kept across queries: the words of a language repeat, so a snippet soon
// costs one map look-up per word.
const words = new KeptMap<WordEntry>(200_000);
// In front of `words`: the commonest words, looked up without cutting them out of the text, each
// with its entry's signature beside it (the slot's tag).
const hotWords = new FlatWordSlots<WordEntry>(13);
let testers = 0;
/** Query words told apart by a snippet (bits of a number). */
const GROUP_BITS = 30;

function entryOf(word: string): WordEntry {
  let entry = words.get(word);
  if (!entry) {
    const forms = formsOf(analyse(word));
    entry = { forms, signature: signatureOfForms(forms), tester: 0, groups: 0 };
    words.set(word, entry);
  }
  return entry;
}

/** Tells which words of one query (as bits, one per query word) a word of a document matches. */
export class HitTest {
  private readonly id = ++testers;
  /** A 1 at each slot (formSlot) of the query's exact terms. */
  private readonly slots = new Uint8Array(128);
  /** A prefix is asked for: every word may match. */
  private readonly everySlot: boolean;

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
    this.everySlot = prefixes.length > 0;
    for (const term of exact.keys()) this.slots[formSlot(term)] = 1;
  }

  /** False when a word of this signature cannot match: the query takes none of its slots. */
  may(signature: number): boolean {
    if (signature === 0) return false;
    if (this.everySlot || signature === ANY_SLOTS) return true;
    const s = this.slots;
    return (s[signature & 127]! | s[(signature >> 7) & 127]! | s[(signature >> 14) & 127]!) !== 0;
  }

  groupsOf(entry: WordEntry): number {
    // Most words share no form's slot with the query: their forms need not be read.
    if (!this.may(entry.signature)) return 0;
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
  /** Each word's signature (WordEntry.signature): a word the query cannot match is passed over. */
  signatures: number[];
  entries: WordEntry[];
  /** Characters tokenised so far: up to a word's end, or the whole text. */
  scanned: number;
}

// Texts tokenised lately, keyed by their scanned part (an edited document is simply a new text).
// Result pages show the newest documents again and again: a text met again goes straight to its
// words' signatures. Bounded: at most twice this many texts of up to SCAN_CHARS each.
const TEXTS_KEPT = 500;
const texts = new KeptMap<Tokens>(TEXTS_KEPT);
// Texts met once lately. A text is kept tokenised when it comes again soon: keeping every text
// cost more than reading it again (arrays built for most texts to be dropped unread: 10 snippets
// of bodies of 80–200 words, each text new, 0.36 ms read afresh against 0.53 ms kept). Fewer than
// are kept, so that a text kept is one likely to be met again before it is dropped.
const seenOnce = new KeptMap<true>(TEXTS_KEPT / 2);
/** Characters tokenised at a time (then on to the end of the word). */
const CHUNK_CHARS = 400;

/** The entry of the word at scan[start, end) (whose hash is `hash`). */
function entryAt(scan: string, start: number, end: number, hash: number): WordEntry {
  const slot = hotWords.slotOf(scan, start, end, hash);
  return slot >= 0 ? hotWords.value(slot) : slotWord(scan, start, end, hash);
}

/** The entry of a word not in its slot, put there. */
function slotWord(scan: string, start: number, end: number, hash: number): WordEntry {
  const entry = entryOf(scan.slice(start, end));
  hotWords.set(scan, start, end, hash, entry.signature, entry);
  return entry;
}

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
      const entry = entryAt(scan, start, end, hash);
      tokens.starts.push(start);
      tokens.ends.push(end);
      tokens.signatures.push(entry.signature);
      tokens.entries.push(entry);
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

/** The window to show, from the hits met so far in the order they come. */
class Passage {
  private readonly hits: { start: number; end: number; groups: number }[] = [];
  /** Hits per query word within the current window (the hits from lo on), to know which it holds. */
  private readonly inWindow: number[];
  private lo = 0;
  private best = -1;
  private bestWords = 0;
  private bestHits = 0;
  /** Once a window holds every query word it is the one shown; reading goes on only to its end. */
  readUntil = Infinity;

  constructor(
    private readonly scan: string,
    private readonly words: number,
  ) {
    this.inWindow = new Array<number>(words).fill(0);
  }

  /** A hit at scan[start, end), of these query words (bits). */
  add(start: number, end: number, groups: number): void {
    const { hits, inWindow, words } = this;
    hits.push({ start, end, groups });
    if (this.readUntil !== Infinity) return;
    for (let b = 0; b < words; b++) if (groups & (1 << b)) inWindow[b]!++;
    const hi = hits.length - 1;
    while (hits[hi]!.end - hits[this.lo]!.start > SNIPPET_CHARS - LEAD_CHARS) {
      for (let b = 0; b < words; b++) if (hits[this.lo]!.groups & (1 << b)) inWindow[b]!--;
      this.lo++;
    }
    const heldWords = inWindow.filter((n) => n > 0).length;
    const count = hi - this.lo + 1;
    if (heldWords > this.bestWords || (heldWords === this.bestWords && count > this.bestHits)) {
      [this.best, this.bestWords, this.bestHits] = [this.lo, heldWords, count];
    }
    if (heldWords === words) this.readUntil = windowStart(this.scan, hits[this.best]!.start) + SNIPPET_CHARS;
  }

  segments(): Segment[] {
    const { scan, hits } = this;
    const start = this.best >= 0 ? windowStart(scan, hits[this.best]!.start) : 0;
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
}

/** The passage's hits from a text kept tokenised, tokenising on as far as they are needed. */
function readKept(scan: string, tokens: Tokens, test: HitTest, passage: Passage): void {
  const { starts, ends, signatures, entries } = tokens;
  for (let k = 0; ; k++) {
    while (k === entries.length && tokeniseMore(scan, tokens));
    if (k === entries.length || starts[k]! >= passage.readUntil) return;
    if (!test.may(signatures[k]!)) continue;
    const groups = test.groupsOf(entries[k]!);
    if (groups !== 0) passage.add(starts[k]!, ends[k]!, groups);
  }
}

/**
 * The passage's hits from a text whose words' signatures were stored when it was indexed (the n-th
 * word's at signatures[n]): only a word the query may match is looked up. The header checked
 * when they are read (snippetBits.ts) says they cover the words read here; any word past them
 * would be looked up as in readAfresh.
 */
function readStored(scan: string, signatures: Int32Array, test: HitTest, passage: Passage): void {
  let n = 0;
  scanRuns(scan, (start, end, hash) => {
    if (start >= passage.readUntil) return false;
    const stored = n < signatures.length;
    if (stored && !test.may(signatures[n++]!)) return true;
    const entry = entryAt(scan, start, end, hash);
    const groups = test.groupsOf(entry);
    if (groups !== 0) passage.add(start, end, groups);
    return true;
  });
}

/** The passage's hits from a text read as it is, nothing kept of it but its words' entries. */
function readAfresh(scan: string, test: HitTest, passage: Passage): void {
  scanRuns(scan, (start, end, hash) => {
    if (start >= passage.readUntil) return false;
    const slot = hotWords.slotOf(scan, start, end, hash);
    // A common word the query cannot match is passed over on its slot's tag (signature) alone.
    if (slot >= 0 && !test.may(hotWords.tag(slot))) return true;
    const entry = slot >= 0 ? hotWords.value(slot) : slotWord(scan, start, end, hash);
    const groups = test.groupsOf(entry);
    if (groups !== 0) passage.add(start, end, groups);
    return true;
  });
}

/**
 * The part of a text a snippet reads, spaced as shown. Its words are the words of
 * text.slice(0, SCAN_CHARS), in the same order (spacing is not part of a word): what
 * snippetBits.ts stores signatures for.
 */
function scanText(text: string): string {
  return text.slice(0, SCAN_CHARS).replace(SPACING, " ");
}

/**
 * The window of the text with the most of the query's words (then the most hits), or its
 * opening when nothing matches. Reading stops at the first window that holds every query word,
 * once that window is complete: a long article is rarely read to its end, and its first passage
 * with all the words is what a reader wants to see. A text met again soon is kept tokenised; one
 * met the first time is read with its words' stored signatures when it has them (snippetBits.ts).
 */
export function snippet(
  text: string,
  test: HitTest,
  /** The text's stored signatures (snippetBits.ts), worked out only if they are read. */
  storedBits: () => Int32Array | null = () => null,
): Segment[] {
  const scan = scanText(text);
  const passage = new Passage(scan, test.words);
  let tokens = texts.get(scan);
  if (!tokens && seenOnce.get(scan)) {
    tokens = { starts: [], ends: [], signatures: [], entries: [], scanned: 0 };
    texts.set(scan, tokens);
  }
  if (tokens) {
    readKept(scan, tokens, test, passage);
  } else {
    seenOnce.set(scan, true);
    const bits = storedBits();
    if (bits) readStored(scan, bits, test, passage);
    else readAfresh(scan, test, passage);
  }
  return passage.segments();
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
