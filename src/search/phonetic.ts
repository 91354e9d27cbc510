// A phonetic Latin key shared by Urdu script and Roman Urdu/English (UrduPhone-like), so that
// "pakistan" and پاکستان, "kampiutar" and کمپیوٹر meet. The key is a consonant skeleton:
// inner vowels dropped, a leading vowel kept as "a", letters that sound alike merged, kh/sh/ch/gh
// kept as units, ph → f, and h kept only at the start of a word (inner h is mostly a vowel
// marker or an aspirate that Roman spellings write inconsistently: محنت/mehnat, ہیلتھ/health).
// Keys are lower-case ASCII so FTS5's case folding cannot merge them further.

import { isArabicScript, strictForm } from "./normalise.ts";

// Urdu consonants to key units. Vowel letters (ا ع ی و ے ئ ء ہ ھ ح) are handled in urduKey.
const URDU_CONSONANTS: Readonly<Record<string, string>> = {
  ب: "b",
  پ: "p",
  ت: "t",
  ٹ: "t",
  ط: "t",
  ۃ: "t",
  ث: "s",
  س: "s",
  ص: "s",
  ج: "j",
  چ: "ch",
  خ: "kh",
  د: "d",
  ڈ: "d",
  ذ: "z",
  ز: "z",
  ض: "z",
  ظ: "z",
  ژ: "z",
  ر: "r",
  ڑ: "r",
  ش: "sh",
  غ: "gh",
  ف: "f",
  ق: "k",
  ک: "k",
  گ: "g",
  ل: "l",
  م: "m",
  ن: "n",
  ں: "n",
};

// Alef and hamza-carrier forms read as their base letter for sound.
const URDU_BASE: Readonly<Record<string, string>> = { أ: "ا", إ: "ا", آ: "ا", ٱ: "ا", ؤ: "و", ۓ: "ے" };
const H_LETTERS = new Set(["ہ", "ح", "ھ"]);
// An aspirate ھ fuses with these into the same unit Roman spellings use (کھ = kh, پھ = ph = f).
const ASPIRATED: Readonly<Record<string, string>> = { ک: "kh", گ: "gh", پ: "f", چ: "ch" };

/** True when the token contains Arabic-script letters (Urdu, Arabic, Persian code points). */
export function isUrduScript(token: string): boolean {
  return isArabicScript(token);
}

function collapse(units: readonly string[]): string {
  let out = "";
  let prev = "";
  for (const u of units) {
    if (u !== prev) out += u;
    prev = u;
  }
  return out;
}

function urduKey(strict: string): string {
  const c = [...strict].map((ch) => URDU_BASE[ch] ?? ch);
  const units: string[] = [];
  for (let i = 0; i < c.length; i++) {
    const ch = c[i] as string;
    const next = c[i + 1];
    const first = i === 0;
    const consonant = URDU_CONSONANTS[ch];
    if (consonant !== undefined) units.push(consonant);
    else if (ch === "ا" || ch === "ع") {
      if (first) units.push("a");
    } else if (ch === "ی") {
      // A consonant y only at the start or before a long a (پیار pyar, دنیا dunya).
      if (first || next === "ا") units.push("y");
    } else if (ch === "و") {
      // A consonant w at the start or before a vowel letter (وزیر, سوال, پرویز); else o/u.
      if (first || next === "ا" || next === "ی" || next === "ے") units.push("w");
    } else if (H_LETTERS.has(ch)) {
      const fused = ch === "ھ" && !first ? ASPIRATED[c[i - 1] ?? ""] : undefined;
      if (fused !== undefined) units[units.length - 1] = fused;
      else if (first) units.push("h");
    } else if (/[0-9a-z]/.test(ch)) units.push(ch);
    // ے ئ ء and anything else: vowels or silent, dropped.
  }
  return collapse(units);
}

const ROMAN_VOWELS = new Set([..."aeiou"]);

function romanKey(strict: string): string {
  // Spellings that would otherwise split into the wrong units.
  const s = strict
    .replace(/[^a-z0-9]/g, "")
    .replace(/tion/g, "shon")
    .replace(/sch/g, "sk")
    .replace(/^chr/, "kr")
    .replace(/ck/g, "k");
  const units: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const next = s[i + 1] ?? "";
    const first = i === 0;
    if (ROMAN_VOWELS.has(ch)) {
      if (first) units.push("a");
    } else if (ch === "y") {
      if (first || next === "a") units.push("y");
    } else if (ch === "w" || ch === "v") {
      if (first || next === "a" || next === "e" || next === "i") units.push("w");
    } else if (ch === "h") {
      if (first) units.push("h");
    } else if (next === "h" && (ch === "k" || ch === "s" || ch === "c" || ch === "g")) {
      units.push(ch === "c" ? "ch" : ch + "h");
      i++;
    } else if (next === "h" && ch === "p") {
      units.push("f");
      i++;
    } else if (ch === "c") units.push(next === "e" || next === "i" || next === "y" ? "s" : "k");
    else if (ch === "q") units.push("k");
    else if (ch === "x") units.push("k", "s");
    else units.push(ch);
  }
  return collapse(units);
}

/** Phonetic key of one token, in either script. Digits pass through; empty for punctuation. */
export function phoneticKey(token: string): string {
  const strict = strictForm(token);
  return isUrduScript(strict) ? urduKey(strict) : romanKey(strict);
}
