// A body's words as snippets test them, worked out once when the body is indexed: each word's
// bits (snippet.ts, WordEntry.bits), stored with the document. A snippet then passes over every
// word that shares no bit with the query on the stored number alone. Looking each word up instead
// (a slot, or a map of up to 400k words, and the long tail's words worked out again) was most of a
// snippet's time: the search bench's bodies are ~140 words, and a results page has ten.

import { wordHash } from "./keptMap.ts";
import { SCAN_CHARS } from "./snippet.ts";
import { wordsOfText, type SnippetBitsOut } from "./terms.ts";

/**
 * The first four bytes of what is stored: the format, and how far into a body snippets read. Bits
 * stored under another (by an older release, or with another SCAN_CHARS) are not used, and the
 * words are looked up instead, until the index is rebuilt. Change the version when what a word's
 * bits are made of changes (formsOf and formBit in terms.ts).
 */
const HEADER = wordHash(`snippet bits 1 ${SCAN_CHARS}`) | 0;

/** Where wordsOfText puts the bits of a body's words as snippets read them (encodeSnippetBits). */
export const snippetBitsOut = (): SnippetBitsOut => ({ chars: SCAN_CHARS, bits: [] });

/** The words' bits (wordsOfText with snippetBitsOut), as stored: behind the header, little-endian. */
export function encodeSnippetBits(out: SnippetBitsOut): Uint8Array {
  const bytes = new Uint8Array((out.bits.length + 1) * 4);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, HEADER, true);
  for (let i = 0; i < out.bits.length; i++) view.setInt32((i + 1) * 4, out.bits[i]!, true);
  return bytes;
}

/** The bits of every word of the part of a body snippets read, in order, as stored. */
export function snippetBits(body: string): Uint8Array {
  const out = snippetBitsOut();
  wordsOfText(body, out);
  return encodeSnippetBits(out);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The words' bits stored with a document, or null when none are (or not in this format). */
export function storedSnippetBits(stored: Uint8Array | null | undefined): Int32Array | null {
  if (!stored || stored.byteLength < 4 || stored.byteLength % 4 !== 0) return null;
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  if (view.getInt32(0, true) !== HEADER) return null;
  const count = stored.byteLength / 4 - 1;
  if (LITTLE_ENDIAN && stored.byteOffset % 4 === 0)
    return new Int32Array(stored.buffer, stored.byteOffset + 4, count);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getInt32((i + 1) * 4, true);
  return out;
}
