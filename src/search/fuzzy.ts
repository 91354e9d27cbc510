// Typo tolerance: every string one edit away from an unknown word is made here, and the vocabulary
// (a plain table with a B-tree index) is asked which of them some document holds, so both
// databases find exactly the same candidates. deletions and withinOneEdit state what "one edit"
// means (two words within one edit share a one-letter deletion, or one is a deletion of the other).

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

// Letters a one-edit neighbour may bring in, by script: the loose forms' Urdu letters, or a–z.
const URDU_LETTERS = [..."ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھیےءئ"];
const LATIN_LETTERS = [..."abcdefghijklmnopqrstuvwxyz"];

/**
 * Every string one edit away from the word (deletion, adjacent swap, substitution or insertion of
 * a letter of its script). The vocabulary is then asked which of them exist: one indexed
 * IN-lookup on both databases, and nothing extra to keep up to date when documents change.
 */
export function oneEditCandidates(word: string): string[] {
  const chars = [...word];
  const alphabet = /[a-z]/.test(word) ? LATIN_LETTERS : URDU_LETTERS;
  const out = new Set<string>(deletions(word));
  for (let i = 0; i + 1 < chars.length; i++) {
    const c = [...chars];
    [c[i], c[i + 1]] = [c[i + 1]!, c[i]!];
    out.add(c.join(""));
  }
  for (let i = 0; i <= chars.length; i++) {
    // The parts around the letter, joined once per place rather than once per letter.
    const before = chars.slice(0, i).join("");
    const from = chars.slice(i).join("");
    const past = chars.slice(i + 1).join("");
    for (const letter of alphabet) {
      out.add(before + letter + from);
      if (i < chars.length && chars[i] !== letter) out.add(before + letter + past);
    }
  }
  out.delete(word);
  return [...out];
}
