// Where the words of a text are: runs of letters, marks, digits and joiners (Urdu punctuation
// ، ۔ ؟ ؛ is \p{P}). Indexing, queries and snippets all split text here.

import { hashStep, WORD_HASH_START } from "./keptMap.ts";

const TOKEN_CHAR = /^[\p{L}\p{M}\p{Nd}\u200C\u200D]$/u;

// TOKEN_CHAR's answer for every UTF-16 unit outside the surrogates, worked out on first use: a
// table look-up per character is half the time of matching /[…]+/gu (measured on documents of ~160
// words).
let tokenTable: Uint8Array | null = null;

function buildTokenTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if ((c < 0xd800 || c > 0xdfff) && TOKEN_CHAR.test(String.fromCharCode(c))) table[c] = 1;
  }
  return table;
}

/**
 * Calls `visit` with where each run of letters, marks, digits and joiners starts and ends, and
 * the run's hash (hashStep over its code units), from `from` on, until `visit` returns false.
 */
export function scanRuns(
  text: string,
  visit: (start: number, end: number, hash: number) => boolean,
  from = 0,
): void {
  const table = (tokenTable ??= buildTokenTable());
  let start = -1;
  let hash = WORD_HASH_START;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let inToken = table[c] === 1;
    let width = 1;
    // Outside the first plane (a surrogate pair): asked of the pattern itself; rare.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) {
        inToken = TOKEN_CHAR.test(String.fromCodePoint(cp));
        width = 2;
      }
    }
    if (inToken) {
      if (start < 0) {
        start = i;
        hash = WORD_HASH_START;
      }
      hash = hashStep(hash, c);
      if (width === 2) hash = hashStep(hash, text.charCodeAt(i + 1));
    } else if (start >= 0) {
      if (!visit(start, i, hash)) return;
      start = -1;
    }
    i += width - 1;
  }
  if (start >= 0) visit(start, text.length, hash);
}

/** The runs of letters, marks, digits and joiners in a text: tokens before tokenOfRun. */
export function tokenRuns(text: string): string[] {
  const out: string[] = [];
  scanRuns(text, (start, end) => out.push(text.slice(start, end)) > 0);
  return out;
}
