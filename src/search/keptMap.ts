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

  set(key: string, value: V): void {
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}
