// Typo tolerance by deletion neighbourhoods (the SymSpell idea): two words within one edit share a
// one-letter deletion, or one is a deletion of the other. The neighbourhoods live in a plain table
// with a B-tree index, so both databases find exactly the same candidates.

/** Every string made by deleting one letter (code point) of the word. */
export function deletions(word: string): string[] {
  const chars = [...word];
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) out.add(chars.slice(0, i).join("") + chars.slice(i + 1).join(""));
  return [...out];
}

/** True when a and b differ by at most one insertion, deletion, substitution or adjacent swap. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  const tail = (p: string[], q: string[]) => p.join("") === q.join("");
  if (x.length === y.length) {
    if (tail(x.slice(i + 1), y.slice(i + 1))) return true; // substitution
    return x[i] === y[i + 1] && x[i + 1] === y[i] && tail(x.slice(i + 2), y.slice(i + 2)); // swap
  }
  return x.length > y.length ? tail(x.slice(i + 1), y.slice(i)) : tail(x.slice(i), y.slice(i + 1));
}
