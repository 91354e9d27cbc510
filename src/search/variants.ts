// Spelling variants Urdu writers really use, kept as a reviewed table rather than scattered code.
// Rules are written in natural spelling; they are compared with loose forms, so `from`/`to` are
// passed through looseForm once when the table is compiled. Every rule's example is a test row.

import { looseForm, looseTokens } from "./normalise.ts";

export type VariantKind = "word" | "prefix" | "pattern" | "phrase";

export interface VariantRule {
  /** word: whole token; prefix: token start; pattern: RegExp source on a token; phrase: token run → one token. */
  readonly kind: VariantKind;
  readonly from: string;
  readonly to: string;
  readonly note: string;
  /** Text (natural spelling) and the tokens (natural spelling) it must index as. */
  readonly example: { readonly text: string; readonly tokens: readonly string[] };
  /** pattern rules only: loose tokens the pattern must leave alone. */
  readonly except?: readonly string[];
  /** Already implied by looseForm; listed so reviewers see it, and tests do not expect it to bite. */
  readonly redundant?: true;
}

// Initial ا before an English s-cluster: اسکول/سکول, اسٹیشن/سٹیشن, اسپورٹس/سپورٹس, اسمارٹ/سمارٹ.
// Limited to ٹ ک پ and سما because Arabic-origin اس+consonant words (اسلام، استاد، استعمال، اسم)
// have a real vowel, and dropping it would merge اسلام with سلام.
const S_CLUSTER = "^ا(?=س[ٹکپ]|سما)";

export const VARIANT_RULES: readonly VariantRule[] = [
  {
    kind: "prefix",
    from: "سینٹر",
    to: "سنٹر",
    note: "centre: both spellings in the same article; the prefix covers سینٹرز",
    example: { text: "انفارمیشن سینٹرز", tokens: ["انفارمیشن", "سنٹرز"] },
  },
  {
    kind: "word",
    from: "لیئے",
    to: "لیے",
    note: "liye with a redundant hamza (لئے = لیے already via loose ئ → ی)",
    example: { text: "اس لیئے", tokens: ["اس", "لیے"] },
  },
  {
    kind: "word",
    from: "کیلیئے",
    to: "کیلیے",
    note: "joined ke-liye with a redundant hamza",
    example: { text: "آپ کیلیئے", tokens: ["آپ", "کیلیے"] },
  },
  {
    kind: "word",
    from: "کیلئے",
    to: "کیلیے",
    note: "joined ke-liye, hamza spelling (already equal after loose; listed for review)",
    redundant: true,
    example: { text: "اسمبلنگ کیلئے", tokens: ["اسمبلنگ", "کیلیے"] },
  },
  {
    kind: "phrase",
    from: "کے لیے",
    to: "کیلیے",
    note: "spaced ke-liye joined to one token so it matches کیلئے/کیلیے; covers کے لئے (loose ئ → ی)",
    example: { text: "فروغ کے لئے اقدامات", tokens: ["فروغ", "کیلیے", "اقدامات"] },
  },
  {
    kind: "pattern",
    from: S_CLUSTER,
    to: "",
    note: "prothetic alef before an English s-cluster dropped (اسکول/سکول, اسمارٹ/سمارٹ)",
    example: { text: "اسمارٹ اسکول اسلام", tokens: ["سمارٹ", "سکول", "اسلام"] },
    // Joined spellings of اس کا/کی/کے/کو are common and are not s-clusters.
    except: ["اسکا", "اسکی", "اسکے", "اسکو"],
  },
  {
    kind: "pattern",
    from: "([لمن])ھ",
    to: "$1ہ",
    note: "ھ after ل م ن written both ways (انھوں/انہوں, تمھارا/تمہارا); also undoes an ه typed for ہ there",
    example: { text: "انھوں نے تمھارا", tokens: ["انہوں", "نے", "تمہارا"] },
  },
  {
    kind: "pattern",
    from: "ے$",
    to: "ی",
    note: "ے/ی at word end merged (looseForm already does this; kept so the rule is reviewed here)",
    redundant: true,
    example: { text: "کمپنیوں کے", tokens: ["کمپنیوں", "کی"] },
  },
  {
    kind: "phrase",
    from: "ٹیلی کام",
    to: "ٹیلیکام",
    note: "spaced and joined compound (ٹیلی کام/ٹیلیکام)",
    example: { text: "آئی ٹی و ٹیلی کام", tokens: ["آئی", "ٹی", "و", "ٹیلیکام"] },
  },
  {
    kind: "phrase",
    from: "فری لانسنگ",
    to: "فریلانسنگ",
    note: "compound: freelancing",
    example: { text: "فری لانسنگ کورس", tokens: ["فریلانسنگ", "کورس"] },
  },
  {
    kind: "phrase",
    from: "وائی فائی",
    to: "وائیفائی",
    note: "compound: wifi",
    example: { text: "مفت وائی فائی", tokens: ["مفت", "وائیفائی"] },
  },
  {
    kind: "phrase",
    from: "آن لائن",
    to: "آنلائن",
    note: "compound: online",
    example: { text: "آن لائن درخواست", tokens: ["آنلائن", "درخواست"] },
  },
  {
    kind: "phrase",
    from: "ویب سائٹ",
    to: "ویبسائٹ",
    note: "compound: website",
    example: { text: "ویب سائٹ", tokens: ["ویبسائٹ"] },
  },
  {
    kind: "phrase",
    from: "سافٹ ویئر",
    to: "سافٹویئر",
    note: "compound: software",
    example: { text: "سافٹ ویئر ہاؤس", tokens: ["سافٹویئر", "ہاؤس"] },
  },
  {
    kind: "phrase",
    from: "ای میل",
    to: "ایمیل",
    note: "compound: email",
    example: { text: "ای میل کریں", tokens: ["ایمیل", "کریں"] },
  },
  {
    kind: "phrase",
    from: "لیپ ٹاپ",
    to: "لیپٹاپ",
    note: "laptop, spaced and joined",
    example: { text: "لیپ ٹاپ اسکیم", tokens: ["لیپٹاپ", "سکیم"] },
  },
  {
    kind: "phrase",
    from: "سمارٹ فون",
    to: "سمارٹفون",
    note: "smartphone, spaced and joined (اسمارٹ فون too, via the s-cluster rule)",
    example: { text: "اسمارٹ فون", tokens: ["سمارٹفون"] },
  },
  // Place names that Urdu writes as two words and Roman Urdu as one (Islamabad, Faisalabad):
  // joined, the word's key is the Roman spelling's (اسلامآباد and islamabad: aslmbd).
  {
    kind: "phrase",
    from: "اسلام آباد",
    to: "اسلامآباد",
    note: "place name, spaced and joined: Islamabad",
    example: { text: "اسلام آباد میں", tokens: ["اسلامآباد", "میں"] },
  },
  {
    kind: "phrase",
    from: "فیصل آباد",
    to: "فیصلآباد",
    note: "place name, spaced and joined: Faisalabad",
    example: { text: "فیصل آباد کی", tokens: ["فیصلآباد", "کی"] },
  },
  {
    kind: "phrase",
    from: "ایبٹ آباد",
    to: "ایبٹآباد",
    note: "place name, spaced and joined: Abbottabad",
    example: { text: "ایبٹ آباد سنٹر", tokens: ["ایبٹآباد", "سنٹر"] },
  },
  {
    kind: "phrase",
    from: "حیدر آباد",
    to: "حیدرآباد",
    note: "place name, spaced and joined: Hyderabad",
    example: { text: "حیدر آباد سے", tokens: ["حیدرآباد", "سی"] },
  },
  {
    kind: "phrase",
    from: "جیکب آباد",
    to: "جیکبآباد",
    note: "place name, spaced and joined: Jacobabad",
    example: { text: "جیکب آباد میں", tokens: ["جیکبآباد", "میں"] },
  },
  {
    kind: "phrase",
    from: "راول پنڈی",
    to: "راولپنڈی",
    note: "place name, spaced and joined: Rawalpindi",
    example: { text: "راول پنڈی میں", tokens: ["راولپنڈی", "میں"] },
  },
  {
    kind: "phrase",
    from: "smart phone",
    to: "smartphone",
    note: "Latin compound typed spaced",
    example: { text: "smart phone", tokens: ["smartphone"] },
  },
  {
    kind: "phrase",
    from: "lap top",
    to: "laptop",
    note: "Latin compound typed spaced",
    example: { text: "lap-top", tokens: ["laptop"] },
  },
  {
    kind: "phrase",
    from: "wi fi",
    to: "wifi",
    note: "Latin compound typed spaced",
    example: { text: "Wi-Fi", tokens: ["wifi"] },
  },
  {
    kind: "phrase",
    from: "e mail",
    to: "email",
    note: "Latin compound typed spaced",
    example: { text: "E-mail", tokens: ["email"] },
  },
];

interface Compiled {
  readonly words: ReadonlyMap<string, string>;
  readonly prefixes: readonly (readonly [string, string])[];
  readonly patterns: readonly { re: RegExp; to: string; except: ReadonlySet<string> }[];
  /** Phrases keyed by their first token, longest first. */
  readonly phrases: ReadonlyMap<string, readonly (readonly [readonly string[], string])[]>;
  /** Token rewrites already worked out: words repeat, and indexing rewrites millions of them. */
  readonly memo: Map<string, string>;
}

function compile(rules: readonly VariantRule[]): Compiled {
  const words = new Map<string, string>();
  const prefixes: [string, string][] = [];
  const patterns: { re: RegExp; to: string; except: ReadonlySet<string> }[] = [];
  const phrases = new Map<string, [string[], string][]>();
  for (const r of rules) {
    if (r.kind === "word") words.set(looseForm(r.from), looseForm(r.to));
    else if (r.kind === "prefix") prefixes.push([looseForm(r.from), looseForm(r.to)]);
    else if (r.kind === "pattern")
      patterns.push({
        re: new RegExp(r.from, "u"),
        to: r.to,
        except: new Set((r.except ?? []).map(looseForm)),
      });
    else {
      const seq = looseTokens(r.from);
      const first = seq[0];
      if (first === undefined) continue;
      const list = phrases.get(first) ?? [];
      list.push([seq, looseForm(r.to)]);
      list.sort((a, b) => b[0].length - a[0].length);
      phrases.set(first, list);
    }
  }
  return { words, prefixes, patterns, phrases, memo: new Map() };
}

function rewriteToken(token: string, c: Compiled): string {
  const known = c.memo.get(token);
  if (known !== undefined) return known;
  if (c.memo.size > 200_000) c.memo.clear();
  const out = rewriteUncached(token, c);
  c.memo.set(token, out);
  return out;
}

function rewriteUncached(token: string, c: Compiled): string {
  let t = c.words.get(token) ?? token;
  for (const [from, to] of c.prefixes) if (t.startsWith(from)) t = to + t.slice(from.length);
  for (const p of c.patterns) if (!p.except.has(t)) t = t.replace(p.re, p.to);
  return c.words.get(t) ?? t;
}

/**
 * Build a rewriter for loose token streams: token rules first (so کے لیئے becomes کی لیی before
 * phrase matching), then phrases, longest match left to right. Idempotent. applyVariants is the
 * reviewed table's rewriter; other tables are for tests.
 */
export function makeVariantRewriter(rules: readonly VariantRule[]): (tokens: readonly string[]) => string[] {
  const compiled = compile(rules);
  return (tokens) => rewrite(tokens, compiled);
}

const reviewed = compile(VARIANT_RULES);

export const applyVariants = (tokens: readonly string[]): string[] => rewrite(tokens, reviewed);

/** The reviewed table's one-word rules on one loose token: applyVariants without its phrase step. */
export const rewriteVariantWord = (token: string): string => rewriteToken(token, reviewed);

/** Whether a phrase rule of the reviewed table starts with this word (most words: no). */
export const startsVariantPhrase = (word: string): boolean => reviewed.phrases.has(word);

/** The reviewed table's phrase rules on tokens already through rewriteVariantWord. */
export const applyVariantPhrases = (words: readonly string[]): string[] => rewritePhrases(words, reviewed);

function rewrite(tokens: readonly string[], c: Compiled): string[] {
  return rewritePhrases(
    tokens.map((t) => rewriteToken(t, c)),
    c,
  );
}

function phraseAt(words: readonly string[], i: number, c: Compiled): { length: number; word: string } | null {
  const match = c.phrases.get(words[i]!)?.find(([seq]) => seq.every((s, k) => words[i + k] === s));
  return match ? { length: match[0].length, word: rewriteToken(match[1], c) } : null;
}

/**
 * The reviewed table's phrase rule that matches the words from i (longest first, on words already
 * through rewriteVariantWord): how many words it takes, and the one word they become.
 */
export const variantPhraseAt = (words: readonly string[], i: number) => phraseAt(words, i, reviewed);

function rewritePhrases(words: readonly string[], c: Compiled): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length;) {
    const match = phraseAt(words, i, c);
    out.push(match ? match.word : words[i]!);
    i += match ? match.length : 1;
  }
  return out;
}

/** Text → loose tokens with the variant table applied: what goes into the loose index column. */
export function variantTokens(text: string): string[] {
  return applyVariants(looseTokens(text));
}
