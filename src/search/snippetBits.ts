// A body's words as snippets test them, worked out once when the body is indexed: each word's
// signature (terms.ts, signatureOf: the slots of its forms), stored with the document. A snippet
// then passes over every word whose slots the query's terms do not take, on the stored number
// alone. Looking each word up instead (a slot, or a map of up to 400k words, and the long tail's
// words worked out again) was most of a snippet's time: a results page has ten bodies of an
// article's ~340 words.

import { wordHash } from "./keptMap.ts";
import { SCAN_CHARS } from "./snippet.ts";
import { ANY_SLOTS, wordsOfText, type SnippetBitsOut } from "./terms.ts";

/**
 * The first four bytes of what is stored: the format, and how far into a body snippets read.
 * Signatures stored under another (by an older release, or with another SCAN_CHARS) are not used,
 * and the words are looked up instead, until the index is rebuilt. Change the version when what a
 * word's signature is made of changes (formsOf, formSlot and signatureOf in terms.ts), or how it
 * is written. Version 2 kept one of 32 bits a form, in two bytes.
 */
const HEADER = wordHash(`snippet bits 3 ${SCAN_CHARS}`) | 0;

/** A signature in three bytes: its 22 bits, or all 24 set for ANY_SLOTS. */
const BYTES = 3;
const STORED_ANY = 0xffffff;

/** Where wordsOfText puts the signatures of a body's words as snippets read them (encodeSnippetBits). */
export const snippetBitsOut = (): SnippetBitsOut => ({ chars: SCAN_CHARS, signatures: [] });

/** The words' signatures (wordsOfText with snippetBitsOut), as stored: behind the header, little-endian. */
export function encodeSnippetBits(out: SnippetBitsOut): Uint8Array {
  const bytes = new Uint8Array(4 + out.signatures.length * BYTES);
  new DataView(bytes.buffer).setInt32(0, HEADER, true);
  for (let i = 0; i < out.signatures.length; i++) {
    const s = out.signatures[i]!;
    const v = s === ANY_SLOTS ? STORED_ANY : s & STORED_ANY;
    const at = 4 + i * BYTES;
    bytes[at] = v & 0xff;
    bytes[at + 1] = (v >> 8) & 0xff;
    bytes[at + 2] = v >> 16;
  }
  return bytes;
}

/** The signatures of every word of the part of a body snippets read, in order, as stored. */
export function snippetBits(body: string): Uint8Array {
  const out = snippetBitsOut();
  wordsOfText(body, out);
  return encodeSnippetBits(out);
}

/** Each stored word's signature, or null when none are stored or not in this format. */
export function storedSnippetBits(stored: Uint8Array | null | undefined): Int32Array | null {
  if (!stored || stored.byteLength < 4 || (stored.byteLength - 4) % BYTES !== 0) return null;
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  if (view.getInt32(0, true) !== HEADER) return null;
  const out = new Int32Array((stored.byteLength - 4) / BYTES);
  for (let i = 0, at = 4; i < out.length; i++, at += BYTES) {
    const v = stored[at]! | (stored[at + 1]! << 8) | (stored[at + 2]! << 16);
    out[i] = v === STORED_ANY ? ANY_SLOTS : v;
  }
  return out;
}
