// A short extract of a document around the words that matched, as segments the views escape.

import { analyse, termsOfToken } from "./terms.ts";
import type { QueryGroup } from "./plan.ts";

export interface Segment {
  readonly text: string;
  readonly hit: boolean;
}

const WORD = /[\p{L}\p{M}\p{Nd}\u200C\u200D]+/gu;
const SCAN_CHARS = 6000;
const SNIPPET_CHARS = 220;
const LEAD_CHARS = 50;

// A document word's forms (primary, surface, phonetic), kept across queries: the words of a
// language repeat, so snippets soon cost a map lookup per word.
const formsCache = new Map<string, string[]>();
const FORMS_LIMIT = 200_000;

function formsOf(word: string): string[] {
  let forms = formsCache.get(word);
  if (!forms) {
    forms = [];
    for (const token of analyse(word)) {
      const t = termsOfToken(token);
      forms.push(t.primary, t.surface);
      if (t.phonetic) forms.push(t.phonetic);
    }
    if (formsCache.size >= FORMS_LIMIT) formsCache.clear();
    formsCache.set(word, forms);
  }
  return forms;
}

/** A predicate telling whether a word of a document matches any alternative of the query. */
export function hitTester(groups: readonly QueryGroup[]): (word: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const g of groups) {
    for (const a of g.alternatives) {
      if (a.prefix) prefixes.push(a.term);
      else exact.add(a.term);
    }
  }
  const memo = new Map<string, boolean>();
  return (word) => {
    const known = memo.get(word);
    if (known !== undefined) return known;
    const hit = formsOf(word).some((f) => exact.has(f) || prefixes.some((p) => f.startsWith(p)));
    memo.set(word, hit);
    return hit;
  };
}

/** The window of the text with the most hits, or its opening when nothing matches. */
export function snippet(text: string, isHit: (word: string) => boolean): Segment[] {
  const scan = text.slice(0, SCAN_CHARS).replace(/\s+/g, " ");
  const hits: { start: number; end: number }[] = [];
  for (const m of scan.matchAll(WORD)) {
    if (isHit(m[0])) hits.push({ start: m.index, end: m.index + m[0].length });
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
