// A bounded cache for words: analysis (terms.ts) and snippets (snippet.ts) meet the same words
// over and over, and a long tail of rare ones.

/**
 * A map that keeps what is used: entries go into a young generation; when it is full it becomes
 * the old one and the oldest is dropped, and an entry found in the old generation moves back to
 * the young. A news archive's long tail of names (a million documents: ~600k words) would
 * otherwise empty a cleared-when-full cache every few thousand documents, and ~8% of lookups
 * worked the word out again (half of analysis).
 */
export class KeptMap<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(private readonly generation: number) {}

  get(key: string): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const aged = this.old.get(key);
    if (aged !== undefined) this.set(key, aged);
    return aged;
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }

  set(key: string, value: V): void {
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The hash of an empty word, to fold a word's code units into with hashStep. */
export const WORD_HASH_START = FNV_OFFSET;

/** A word's hash with one more UTF-16 code unit (FNV-1a). */
export function hashStep(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, FNV_PRIME);
}

/** A word's hash: hashStep over its code units, from WORD_HASH_START. */
export function wordHash(word: string): number {
  let hash = WORD_HASH_START;
  for (let i = 0; i < word.length; i++) hash = hashStep(hash, word.charCodeAt(i));
  return hash;
}

/**
 * A direct-mapped cache in front of a KeptMap, looked up by a stretch of a text without cutting
 * it out or hashing it again (a Map would need both, and a look-up in one of 400k words waits on
 * memory). A slot holds the last word that hashed to it, as code units in one typed array, with a
 * number (a tag) beside it: a look-up compares a few adjacent bytes instead of following a pointer
 * to a string, and a caller that needs only the tag never touches the value. For a snippet, which looks up
 * every word of a document and wants almost none of them, the pointers were most of its time
 * (each a likely cache miss). Words longer than SLOT_UNITS are not kept.
 */
export class FlatWordSlots<V> {
  static readonly SLOT_UNITS = 16;
  private readonly units: Uint16Array;
  private readonly lengths: Uint8Array;
  private readonly tags: Int32Array;
  private readonly values: (V | undefined)[];
  private readonly mask: number;

  constructor(bits: number) {
    const size = 1 << bits;
    this.mask = size - 1;
    this.units = new Uint16Array(size * FlatWordSlots.SLOT_UNITS);
    this.lengths = new Uint8Array(size);
    this.tags = new Int32Array(size);
    this.values = new Array<V | undefined>(size).fill(undefined);
  }

  /** The slot holding text[start, end) (whose hash is `hash`), or -1. */
  slotOf(text: string, start: number, end: number, hash: number): number {
    const slot = hash & this.mask;
    const length = end - start;
    if (this.lengths[slot] !== length) return -1;
    const at = slot * FlatWordSlots.SLOT_UNITS;
    for (let i = 0; i < length; i++) if (this.units[at + i] !== text.charCodeAt(start + i)) return -1;
    return slot;
  }

  clear(): void {
    this.lengths.fill(0);
    this.values.fill(undefined);
  }

  tag(slot: number): number {
    return this.tags[slot]!;
  }

  value(slot: number): V {
    return this.values[slot]!;
  }

  /** Keeps text[start, end) with its tag and value, in place of its slot's word (if not too long). */
  set(text: string, start: number, end: number, hash: number, tag: number, value: V): void {
    const length = end - start;
    if (length === 0 || length > FlatWordSlots.SLOT_UNITS) return;
    const slot = hash & this.mask;
    const at = slot * FlatWordSlots.SLOT_UNITS;
    for (let i = 0; i < length; i++) this.units[at + i] = text.charCodeAt(start + i);
    this.lengths[slot] = length;
    this.tags[slot] = tag;
    this.values[slot] = value;
  }
}
