// Search normalisation: the pure layer every index (FTS5, tsvector) and every query goes through.
// Nothing un-normalised may reach an index: FTS5's unicode61 splits Urdu words at combining marks
// and treats ك/ک as different words, so folding must happen here, identically for both databases.

import { tokenRuns } from "./tokens.ts";

export interface FoldRule {
  readonly from: string;
  readonly to: string;
  readonly note: string;
}

/** Code-point folds applied by strictForm, as data so the tests can iterate them. */
export const STRICT_FOLDS: readonly FoldRule[] = [
  { from: "ي", to: "ی", note: "Arabic yeh → Farsi yeh (Arabic keyboards)" },
  { from: "ى", to: "ی", note: "alef maksura → Farsi yeh" },
  { from: "ك", to: "ک", note: "Arabic kaf → keheh" },
  { from: "ڪ", to: "ک", note: "swash kaf → keheh" },
  { from: "ة", to: "ۃ", note: "Arabic teh marbuta → Urdu teh marbuta goal (loose folds ۃ → ت)" },
  { from: "ۂ", to: "ہ", note: "heh goal with hamza (izafat) → heh goal; ہ + U+0654 composes to ۂ first" },
  { from: "ۀ", to: "ہ", note: "heh with yeh above (Persian izafat) → heh goal" },
  { from: "ە", to: "ہ", note: "ae (Kurdish/Uyghur heh) → heh goal" },
];

/** Loose folds applied after strict (hamza and alef forms). */
export const LOOSE_FOLDS: readonly FoldRule[] = [
  { from: "أ", to: "ا", note: "alef with hamza above → alef" },
  { from: "إ", to: "ا", note: "alef with hamza below → alef" },
  { from: "آ", to: "ا", note: "alef madda → alef" },
  { from: "ٱ", to: "ا", note: "alef wasla → alef" },
  { from: "ؤ", to: "و", note: "waw with hamza → waw" },
  { from: "ئ", to: "ی", note: "yeh with hamza → yeh (لئے = لیے)" },
  { from: "ۓ", to: "ی", note: "yeh barree with hamza → yeh" },
  { from: "ۃ", to: "ت", note: "teh marbuta goal → teh (زکوۃ = زکوت)" },
  { from: "ء", to: "", note: "standalone hamza dropped inside words (ابتداء = ابتدا)" },
];

// Consonants after which an Arabic-keyboard ه stands for do-chashmi ھ (بهی = بھی).
const ASPIRATE_BASES = new Set([..."بپتٹجچدڈرڑکگلمن"]);

// At word end ه after those consonants is usually the vowel heh (کہ، جگہ، ادارہ, بچہ), so it
// becomes ہ unless the word is one of these common aspirate-final words.
const ASPIRATE_FINAL = new Set([
  "کچھ",
  "ساتھ",
  "ہاتھ",
  "دیکھ",
  "رکھ",
  "سمجھ",
  "پڑھ",
  "بڑھ",
  "دودھ",
  "بیٹھ",
  "اٹھ",
  "لکھ",
  "سیکھ",
  "پوچھ",
  "دکھ",
  "سکھ",
]);

const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFC]/;
// Presentation forms come from PDFs and old software; NFKC maps them to the base letters.
const PRESENTATION_FORMS = /[\uFB50-\uFDFF\uFE70-\uFEFC]/g;
// Tatweel, ZWNJ, ZWJ, BOM and any stray space: invisible inside a word.
const JOINERS = /\u0640|\u200C|\u200D|\uFEFF|\s/g; // alternation: ZWJ in a class trips no-misleading-character-class
// Harakat, small high letters, khari zabar and Quranic marks: optional, typed inconsistently.
const DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const HAMZA_ABOVE = "\u0654";

/** Split text into raw tokens on whitespace (NBSP included) and punctuation of both scripts. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const run of tokenRuns(text)) {
    const t = tokenOfRun(run);
    if (t !== null) out.push(t);
  }
  return out;
}

/** A run as a token: a joiner at its edge carries nothing; only joiners or marks is no token. */
export function tokenOfRun(run: string): string | null {
  const t = run.replace(/^[\u200C\u200D]+|[\u200C\u200D]+$/g, "");
  return /[\p{L}\p{Nd}]/u.test(t) ? t : null;
}

export function isArabicScript(token: string): boolean {
  return ARABIC_SCRIPT.test(token);
}

function foldDigits(s: string): string {
  return s.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => {
    const c = d.charCodeAt(0);
    return String(c >= 0x06f0 ? c - 0x06f0 : c - 0x0660);
  });
}

function foldHeh(s: string): string {
  if (!s.includes("ه")) return s;
  const chars = [...s];
  let finalAspirate = false;
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== "ه") continue;
    const afterBase = i > 0 && ASPIRATE_BASES.has(chars[i - 1] ?? "");
    const last = i === chars.length - 1;
    chars[i] = afterBase && !last ? "ھ" : "ہ";
    if (afterBase && last) finalAspirate = true;
  }
  if (finalAspirate) {
    const withAspirate = chars.slice(0, -1).join("") + "ھ";
    if (ASPIRATE_FINAL.has(withAspirate)) return withAspirate;
  }
  return chars.join("");
}

function applyFolds(s: string, folds: readonly FoldRule[]): string {
  let out = s;
  for (const f of folds) if (out.includes(f.from)) out = out.split(f.from).join(f.to);
  return out;
}

/** Code points folded, marks and joiners removed, digits ASCII, Latin lower-cased. */
export function strictForm(token: string): string {
  let s = token.replace(PRESENTATION_FORMS, (c) => c.normalize("NFKC")).replace(JOINERS, "");
  s = s.normalize("NFC");
  // ی + hamza has no precomposed form, so NFC leaves it; it is what Urdu keyboards type for ئ.
  s = s.split("ی" + HAMZA_ABOVE).join("ئ");
  s = s.replace(DIACRITICS, "");
  s = applyFolds(s, STRICT_FOLDS);
  s = foldHeh(s);
  s = foldDigits(s);
  return s.toLowerCase().normalize("NFC");
}

/** Strict plus hamza/alef forms folded, ۃ → ت, and word-final ے merged into ی. */
export function looseForm(token: string): string {
  const strict = strictForm(token);
  let s = applyFolds(strict, LOOSE_FOLDS);
  if (s === "") s = strict; // a token that was only ء keeps it
  return s.replace(/ے$/, "ی");
}

export function strictTokens(text: string): string[] {
  return tokenize(text)
    .map(strictForm)
    .filter((t) => t !== "");
}

export function looseTokens(text: string): string[] {
  return tokenize(text)
    .map(looseForm)
    .filter((t) => t !== "");
}

// ---- English --------------------------------------------------------------------------------

// British → American, applied before stemming so both spellings share a stem.
const BRITISH_WORDS: Readonly<Record<string, string>> = {
  programme: "program",
  programmes: "programs",
  licence: "license",
  licences: "licenses",
  defence: "defense",
  offence: "offense",
  pretence: "pretense",
  grey: "gray",
  tyre: "tire",
  tyres: "tires",
  cheque: "check",
  cheques: "checks",
  enrolment: "enrollment",
  enrolments: "enrollments",
  fulfil: "fulfill",
  aluminium: "aluminum",
  mum: "mom",
};

const BRITISH_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/^(.{2,}[^aeiou])our(s|ed|ing|ite|ites|able|er|ers)?$/, "$1or$2"], // colour, favourite
  [/^(.{2,}[bt])re(s|d)?$/, "$1er$2"], // centre, metre, fibre
  [/^(.+)is(e|es|ed|ing|ation|ations|er|ers)$/, "$1iz$2"], // organise, organisation
  [/^(.+)ys(e|es|ed|ing)$/, "$1yz$2"], // analyse
  [/^(.+)ogue(s)?$/, "$1og$2"], // catalogue, dialogue
  [
    /^(travel|cancel|model|label|level|signal|fuel|counsel|channel|dial|total|jewel)l(ed|ing|er|ers)$/,
    "$1$2",
  ],
];

export function americanise(word: string): string {
  const w = BRITISH_WORDS[word];
  if (w !== undefined) return w;
  if (word.length < 5) return word;
  for (const [re, to] of BRITISH_PATTERNS) if (re.test(word)) return word.replace(re, to);
  return word;
}

export function isLatinWord(token: string): boolean {
  return /^[a-z]+$/.test(token);
}

/** English stem for a Latin token: British spellings folded to American, then Porter2. */
export function englishStem(token: string): string {
  const w = token.toLowerCase();
  if (!isLatinWord(w)) return w;
  return porter2(americanise(w));
}

// Porter2 (Snowball English), written out here: the stem is stored in the index, so it must not
// change with a dependency upgrade. https://snowballstem.org/algorithms/english/stemmer.html
const EXCEPTIONS1: Readonly<Record<string, string>> = {
  skis: "ski",
  skies: "sky",
  dying: "die",
  lying: "lie",
  tying: "tie",
  idly: "idl",
  gently: "gentl",
  ugly: "ugli",
  early: "earli",
  only: "onli",
  singly: "singl",
  sky: "sky",
  news: "news",
  howe: "howe",
  atlas: "atlas",
  cosmos: "cosmos",
  bias: "bias",
  andes: "andes",
};
const EXCEPTIONS2 = new Set([
  "inning",
  "outing",
  "canning",
  "herring",
  "earring",
  "proceed",
  "exceed",
  "succeed",
]);
const isV = (c: string | undefined): boolean => c !== undefined && "aeiouy".includes(c);
const hasVowel = (s: string): boolean => /[aeiouy]/.test(s);

function regionAfter(w: string, from: number): number {
  for (let i = from + 1; i < w.length; i++) if (!isV(w[i]) && isV(w[i - 1])) return i + 1;
  return w.length;
}

function endsShortSyllable(w: string): boolean {
  const n = w.length;
  if (n === 2) return isV(w[0]) && !isV(w[1]);
  return n >= 3 && !isV(w[n - 3]) && isV(w[n - 2]) && !isV(w[n - 1]) && !"wxY".includes(w[n - 1] ?? "");
}

function longest(w: string, suffixes: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const s of suffixes) if (w.endsWith(s) && (best === undefined || s.length > best.length)) best = s;
  return best;
}

const STEP2: Readonly<Record<string, string>> = {
  tional: "tion",
  enci: "ence",
  anci: "ance",
  abli: "able",
  entli: "ent",
  izer: "ize",
  ization: "ize",
  ational: "ate",
  ation: "ate",
  ator: "ate",
  alism: "al",
  aliti: "al",
  alli: "al",
  fulness: "ful",
  ousli: "ous",
  ousness: "ous",
  iveness: "ive",
  iviti: "ive",
  biliti: "ble",
  bli: "ble",
  ogi: "og",
  fulli: "ful",
  lessli: "less",
  li: "",
};
const STEP3: Readonly<Record<string, string>> = {
  tional: "tion",
  ational: "ate",
  alize: "al",
  icate: "ic",
  iciti: "ic",
  ical: "ic",
  ful: "",
  ness: "",
  ative: "",
};
const STEP4 = [
  ..."al ance ence er ic able ible ant ement ment ent ism ate iti ous ive ize ion".split(" "),
] as const;

export function porter2(word: string): string {
  let w = word.replace(/^'/, "");
  if (w.length <= 2) return w;
  const exc = EXCEPTIONS1[w];
  if (exc !== undefined) return exc;
  // y as a consonant is marked Y so the vowel tests skip it.
  w = w.replace(/^y/, "Y").replace(/([aeiouy])y/g, "$1Y");
  const special = /^(gener|commun|arsen)/.exec(w);
  const r1 = special ? special[0].length : regionAfter(w, 0);
  const r2 = regionAfter(w, r1);
  const inR1 = (suffix: string): boolean => w.length - suffix.length >= r1;
  const inR2 = (suffix: string): boolean => w.length - suffix.length >= r2;
  const cut = (n: number): string => w.slice(0, w.length - n);

  // Step 0 and 1a: possessives and plurals.
  const s0 = longest(w, ["'s'", "'s", "'"]);
  if (s0) w = cut(s0.length);
  if (w.endsWith("sses")) w = cut(2);
  else if (w.endsWith("ied") || w.endsWith("ies")) w = w.length > 4 ? cut(2) : cut(1);
  else if (w.endsWith("us") || w.endsWith("ss")) {
    /* unchanged */
  } else if (w.endsWith("s") && hasVowel(w.slice(0, -2))) w = cut(1);
  if (EXCEPTIONS2.has(w)) return w;

  // Step 1b: tenses.
  const s1b = longest(w, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
  if (s1b === "eed" || s1b === "eedly") {
    if (inR1(s1b)) w = cut(s1b.length) + "ee";
  } else if (s1b && hasVowel(w.slice(0, -s1b.length))) {
    w = cut(s1b.length);
    if (/(at|bl|iz)$/.test(w)) w += "e";
    else if (/(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(w)) w = cut(1);
    else if (endsShortSyllable(w) && r1 >= w.length) w += "e";
  }
  // Step 1c.
  if (/[yY]$/.test(w) && w.length > 2 && !isV(w[w.length - 2])) w = cut(1) + "i";

  const s2 = longest(w, Object.keys(STEP2));
  if (s2 && inR1(s2)) {
    if (s2 === "ogi") {
      if (w.endsWith("logi")) w = cut(1);
    } else if (s2 === "li") {
      if (/[cdeghkmnrt]li$/.test(w)) w = cut(2);
    } else w = cut(s2.length) + (STEP2[s2] ?? "");
  }
  const s3 = longest(w, Object.keys(STEP3));
  if (s3 && inR1(s3) && (s3 !== "ative" || inR2(s3))) w = cut(s3.length) + (STEP3[s3] ?? "");
  const s4 = longest(w, STEP4);
  if (s4 && inR2(s4)) {
    if (s4 !== "ion" || /[st]ion$/.test(w)) w = cut(s4.length);
  }
  // Step 5.
  if (w.endsWith("e")) {
    const stem = cut(1);
    if (inR2("e") || (inR1("e") && !endsShortSyllable(stem))) w = stem;
  } else if (w.endsWith("ll") && inR2("l")) w = cut(1);
  return w.replace(/Y/g, "y");
}
