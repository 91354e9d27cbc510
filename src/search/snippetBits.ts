// A body's words as snippets test them, worked out once when the body is indexed: each word's
// bits (snippet.ts, WordEntry.bits), stored with the document. A snippet then passes over every
// word that shares no bit with the query on the stored number alone. Looking each word up instead
// (a slot, or a map of up to 400k words, and the long tail's words worked out again) was most of a
// snippet's time: the search bench's bodies are ~150 words, and a results page has ten.

import { wordHash } from "./keptMap.ts";
import { SCAN_CHARS } from "./snippet.ts";
import { wordsOfText, type SnippetBitsOut } from "./terms.ts";

/**
 * The first four bytes of what is stored: the format, and how far into a body snippets read. Bits
 * stored under another (by an older release, or with another SCAN_CHARS) are not used, and the
 * words are looked up instead, until the index is rebuilt. Change the version when what a word's
 * bits are made of changes (formsOf and formBit in terms.ts), or how they are written.
 */
const HEADER = wordHash(`snippet bits 2 ${SCAN_CHARS}`) | 0;

/**
 * A word's bits in two bytes: a word has at most three forms, so at most three of the 32 bits are
 * set, written as three 5-bit positions (one repeated when fewer are set). Half the size of the
 * 32-bit number: ~300 bytes for a body of the search bench's (~150 words).
 */
const NO_BITS = 0x8000;
/** A word with more bits set (a phrase rule made it several tokens): never passed over. */
const ANY_BITS = 0xffff;

function codeOf(bits: number): number {
  if (bits === 0) return NO_BITS;
  const at: number[] = [];
  for (let b = 0; b < 32; b++) if (bits & (1 << b)) at.push(b);
  if (at.length > 3) return ANY_BITS;
  const [a, b = a, c = a] = at as [number, number?, number?];
  return a | (b << 5) | (c << 10);
}

function bitsOfCode(code: number): number {
  if (code === NO_BITS) return 0;
  if (code === ANY_BITS) return -1;
  return (1 << (code & 31)) | (1 << ((code >> 5) & 31)) | (1 << ((code >> 10) & 31));
}

/** Where wordsOfText puts the bits of a body's words as snippets read them (encodeSnippetBits). */
export const snippetBitsOut = (): SnippetBitsOut => ({ chars: SCAN_CHARS, bits: [] });

/** The words' bits (wordsOfText with snippetBitsOut), as stored: behind the header, little-endian. */
export function encodeSnippetBits(out: SnippetBitsOut): Uint8Array {
  const bytes = new Uint8Array(4 + out.bits.length * 2);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, HEADER, true);
  for (let i = 0; i < out.bits.length; i++) view.setUint16(4 + i * 2, codeOf(out.bits[i]!), true);
  return bytes;
}

/** The bits of every word of the part of a body snippets read, in order, as stored. */
export function snippetBits(body: string): Uint8Array {
  const out = snippetBitsOut();
  wordsOfText(body, out);
  return encodeSnippetBits(out);
}

/**
 * Each stored word's bits (one with more than three reads as -1, every bit), or null when none are
 * stored or not in this format.
 */
export function storedSnippetBits(stored: Uint8Array | null | undefined): Int32Array | null {
  if (!stored || stored.byteLength < 4 || stored.byteLength % 2 !== 0) return null;
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  if (view.getInt32(0, true) !== HEADER) return null;
  const out = new Int32Array((stored.byteLength - 4) / 2);
  for (let i = 0; i < out.length; i++) out[i] = bitsOfCode(view.getUint16(4 + i * 2, true));
  return out;
}
