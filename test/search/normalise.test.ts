import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, it } from "node:test";
import {
  LOOSE_FOLDS,
  STRICT_FOLDS,
  englishStem,
  looseForm,
  looseTokens,
  strictForm,
  tokenize,
} from "../../src/search/normalise.ts";
import { tokenRuns } from "../../src/search/tokens.ts";
import {
  VARIANT_RULES,
  applyVariants,
  makeVariantRewriter,
  variantTokens,
} from "../../src/search/variants.ts";

const article = JSON.parse(
  fs.readFileSync(new URL("../fixtures/seed-article/article.json", import.meta.url), "utf8"),
) as { title: string; strap: string; image_caption: string; body_paragraphs: string[] };
const articleText = [article.title, article.strap, article.image_caption, ...article.body_paragraphs].join(
  "\n",
);

describe("tokenize", () => {
  const rows: [string, string, string[]][] = [
    ["Urdu punctuation ، ۔ ؟ ؛", "ہاں، نہیں۔ کیوں؟ اچھا؛ ٹھیک", ["ہاں", "نہیں", "کیوں", "اچھا", "ٹھیک"]],
    ["Latin punctuation and case kept for strictForm", "Hello, World! (IT)", ["Hello", "World", "IT"]],
    ["digits kept, all three forms", "سال ۲۰۲۰ ٢٠٢١ 2022", ["سال", "۲۰۲۰", "٢٠٢١", "2022"]],
    ["NBSP is a space", "شناختی\u00a0کارڈ", ["شناختی", "کارڈ"]],
    ["ZWNJ inside a word joins", "ٹیلی\u200cکام", ["ٹیلی\u200cکام"]],
    ["ZWNJ at a word edge dropped", "\u200cکام\u200c ", ["کام"]],
    ["diacritics stay inside the token", "کِتاب", ["کِتاب"]],
    ["mixed scripts", "سوو سنگپیو (Suh Sangpyo) نے", ["سوو", "سنگپیو", "Suh", "Sangpyo", "نے"]],
    ["punctuation only", " ،۔ - ", []],
    ["a letter outside the first plane is a letter", "x𝐀y 𠀀ب", ["x𝐀y", "𠀀ب"]],
    ["an emoji splits like punctuation", "سلام👋دوست", ["سلام", "دوست"]],
    ["a lone surrogate splits", "ab\ud800cd\udc00ef", ["ab", "cd", "ef"]],
  ];
  for (const [name, text, tokens] of rows) it(name, () => assert.deepEqual(tokenize(text), tokens));

  it("finds the same runs as the pattern of letters, marks, digits and joiners", () => {
    const pattern = /[\p{L}\p{M}\p{Nd}\u200C\u200D]+/gu;
    const runsOf = (text: string) => text.match(pattern) ?? [];
    // Every unit of the first plane, glued together and one by one, and pairs beyond it.
    const plane = Array.from({ length: 0x10000 }, (_v, c) => String.fromCharCode(c)).join("");
    const astral = "𝐀𝟘𠀀👋𐐀\u{E0100}\u{1F3FB}";
    for (const text of [plane, [...plane].join(" "), `ک${astral}ا ${astral}`, articleText])
      assert.deepEqual(tokenRuns(text), runsOf(text));
  });
});

describe("strictForm: every fold in STRICT_FOLDS", () => {
  for (const f of STRICT_FOLDS)
    it(`${f.from} → ${f.to}: ${f.note}`, () => {
      assert.equal(strictForm(`ب${f.from}ا`), strictForm(`ب${f.to}ا`));
      assert.ok(!strictForm(`ب${f.from}ا`).includes(f.from));
    });
});

describe("strictForm", () => {
  const rows: [string, string, string][] = [
    ["Arabic yeh and kaf", "كيا", "کیا"],
    ["alef maksura", "موسى", "موسی"],
    ["digits: Urdu", "۲۰۲۰", "2020"],
    ["digits: Arabic-Indic", "٢٠٢٠", "2020"],
    ["digits: ASCII", "2020", "2020"],
    ["digits in a word", "ج۱۰", "ج10"],
    ["zer", "کِتاب", "کتاب"],
    ["zabar, pesh, shadda, jazm", "مُحَمَّد", "محمد"],
    ["jazm", "کَرْنا", "کرنا"],
    ["khari zabar (U+0670)", "عیسیٰ", "عیسی"],
    ["tanween", "فوراً", "فورا"],
    ["tatweel", "کتـــاب", "کتاب"],
    ["ZWNJ removed", "ٹیلی\u200cکام", "ٹیلیکام"],
    ["ZWJ removed", "ک\u200dتاب", "کتاب"],
    ["NBSP removed inside a token", "کتاب\u00a0", "کتاب"],
    ["ۂ precomposed", "ملاقاتۂ", "ملاقاتہ"],
    ["ہ + U+0654", "ملاقاتہ\u0654", "ملاقاتہ"],
    ["ی + U+0654 = ئ", "ہوی\u0654ی", "ہوئی"],
    ["ئ precomposed", "ہوئی", "ہوئی"],
    ["ي + U+0654 composes to ئ", "ہوي\u0654ی", "ہوئی"],
    ["aspirate typed with ه: بهی", "بهی", "بھی"],
    ["aspirate: پهل", "پهل", "پھل"],
    ["aspirate: ٹهیک", "ٹهیک", "ٹھیک"],
    ["aspirate: اچها", "اچها", "اچھا"],
    ["aspirate: گهر", "گهر", "گھر"],
    ["aspirate: ڈهونڈ", "ڈهونڈ", "ڈھونڈ"],
    ["aspirate: پڑهنا", "پڑهنا", "پڑھنا"],
    ["aspirate-final word: کچه", "کچه", "کچھ"],
    ["aspirate-final word: ساته", "ساته", "ساتھ"],
    ["word-final ه after a base is vowel heh: که", "که", "کہ"],
    ["word-final ه: ادارہ", "اداره", "ادارہ"],
    ["word-initial ه", "هم", "ہم"],
    ["ه after a vowel letter", "یه", "یہ"],
    ["ه after ک inside a word and Arabic kaf", "كهانا", "کھانا"],
    ["teh marbuta ة → ۃ", "زكوة", "زکوۃ"],
    ["Latin lower-cased", "Computer", "computer"],
    ["presentation forms", "\uFEE9\uFEDF\uFEE0", "ہلل"],
    ["already strict", "پاکستان", "پاکستان"],
  ];
  for (const [name, input, expected] of rows) it(name, () => assert.equal(strictForm(input), expected));

  it("Urdu, Arabic-Indic and ASCII digits are one token", () => {
    assert.equal(strictForm("۲۰۲۰"), strictForm("٢٠٢٠"));
    assert.equal(strictForm("٢٠٢٠"), "2020");
  });
});

describe("looseForm: every fold in LOOSE_FOLDS", () => {
  for (const f of LOOSE_FOLDS)
    it(`${f.from} → ${f.to || "∅"}: ${f.note}`, () => {
      assert.equal(looseForm(`ب${f.from}ر`), looseForm(`ب${f.to}ر`));
    });
});

describe("looseForm", () => {
  const rows: [string, string, string][] = [
    ["alef madda", "آباد", "اباد"],
    ["alef with hamza above", "أحمد", "احمد"],
    ["alef with hamza below", "إسلام", "اسلام"],
    ["waw with hamza", "مؤثر", "موثر"],
    ["ئ = ی", "لئے", "لیی"],
    ["ی + hamza = ی", "لی\u0654ے", "لیی"],
    ["ۓ = ی", "لیۓ", "لیی"],
    ["word-final ے → ی", "کے", "کی"],
    ["inner ے untouched", "ےا", "ےا"],
    ["teh marbuta → ت", "زکوۃ", "زکوت"],
    ["Arabic teh marbuta → ت", "زكوة", "زکوت"],
    ["standalone hamza dropped", "ابتداء", "ابتدا"],
    ["a token that is only ء keeps it", "ء", "ء"],
    ["strict folds still apply", "كيلئے", "کیلیی"],
  ];
  for (const [name, input, expected] of rows) it(name, () => assert.equal(looseForm(input), expected));
});

describe("englishStem", () => {
  const same: [string, string][] = [
    ["course", "courses"],
    ["computer", "computers"],
    ["register", "registered"],
    ["register", "registering"],
    ["registration", "registrations"],
    ["train", "training"],
    ["apply", "applied"],
    ["apply", "applies"],
    ["study", "studies"],
    ["run", "running"],
    ["hope", "hoped"],
    ["centre", "center"],
    ["centres", "centers"],
    ["colour", "color"],
    ["favourite", "favorite"],
    ["organise", "organize"],
    ["organisation", "organization"],
    ["organised", "organized"],
    ["analyse", "analyze"],
    ["programme", "program"],
    ["licence", "license"],
    ["travelled", "traveled"],
    ["catalogue", "catalog"],
    ["Computer", "computer"],
  ];
  for (const [a, b] of same) it(`${a} = ${b}`, () => assert.equal(englishStem(a), englishStem(b)));

  const exact: [string, string][] = [
    ["courses", "cours"],
    ["computers", "comput"],
    ["registered", "regist"],
    ["generously", "generous"],
    ["caresses", "caress"],
    ["ponies", "poni"],
    ["hopping", "hop"],
    ["skies", "sky"],
    ["news", "news"],
    ["relational", "relat"],
    ["adjustment", "adjust"],
    ["hours", "hour"],
    ["four", "four"],
  ];
  for (const [w, stem] of exact) it(`${w} → ${stem}`, () => assert.equal(englishStem(w), stem));

  it("leaves Urdu and digits alone", () => {
    assert.equal(englishStem("کتاب"), "کتاب");
    assert.equal(englishStem("2020"), "2020");
  });
});

describe("variant table: each rule's example", () => {
  for (const rule of VARIANT_RULES) {
    it(`${rule.kind} ${rule.from} → ${rule.to}: ${rule.note}`, () => {
      const expected = rule.example.tokens.map(looseForm);
      assert.deepEqual(variantTokens(rule.example.text), expected);
      if (!rule.redundant) {
        // The example must exercise this rule: without it the output differs.
        const without = makeVariantRewriter(VARIANT_RULES.filter((r) => r !== rule));
        assert.notDeepEqual(without(looseTokens(rule.example.text)), expected);
      }
    });
  }
});

describe("variants", () => {
  const groups: [string, string[]][] = [
    ["centre", ["سنٹر", "سینٹر"]],
    ["ke liye", ["کیلئے", "کے لیے", "کے لئے", "کیلیے", "کیلیئے", "کے لیئے", "كے ليے"]],
    ["liye", ["لیے", "لئے", "لیئے"]],
    ["smart", ["اسمارٹ", "سمارٹ"]],
    ["school", ["اسکول", "سکول"]],
    ["station", ["اسٹیشن", "سٹیشن"]],
    ["telecom", ["ٹیلی کام", "ٹیلیکام", "ٹیلی\u200cکام", "ٹیلی\u00a0کام"]],
    ["wifi", ["وائی فائی", "وائیفائی", "وائی‌فائی"]],
    ["ye/yeh at word end", ["کمپنی", "کمپنے"]],
    ["them", ["انہوں", "انھوں", "انهوں"]],
  ];
  for (const [name, spellings] of groups)
    it(`${name}: ${spellings.join(" / ")}`, () => {
      const first = variantTokens(spellings[0] as string);
      for (const s of spellings.slice(1)) assert.deepEqual(variantTokens(s), first, s);
    });

  it("does not drop the alef of Arabic-origin words or joined اس کا/کی", () => {
    for (const w of ["اسلام", "استاد", "استعمال", "اسم", "اسکا", "اسکی", "اسکے", "اسکو"])
      assert.deepEqual(variantTokens(w), [looseForm(w)]);
  });

  it("leaves کے alone when not followed by لیے", () => {
    assert.deepEqual(variantTokens("پاکستان کے لوگ"), ["پاکستان", "کی", "لوگ"]);
  });
});

describe("idempotence over the seed article", () => {
  const hostile = articleText
    .replace(/ی/g, "ي")
    .replace(/ک/g, "ك")
    .replace(/ھ/g, "ه")
    .replace(/ا/g, "اَ")
    .replace(/ ٹیلی کام/g, " ٹیلی\u200cکام");
  for (const [name, text] of [
    ["as published", articleText],
    ["retyped on an Arabic keyboard with marks", hostile],
  ] as const) {
    const tokens = tokenize(text);
    it(`${name}: strictForm twice = once`, () => {
      for (const t of tokens) assert.equal(strictForm(strictForm(t)), strictForm(t), t);
    });
    it(`${name}: looseForm twice = once, and looseForm(strictForm) = looseForm`, () => {
      for (const t of tokens) {
        assert.equal(looseForm(looseForm(t)), looseForm(t), t);
        assert.equal(looseForm(strictForm(t)), looseForm(t), t);
      }
    });
    it(`${name}: applyVariants twice = once`, () => {
      const once = applyVariants(tokens.map(looseForm));
      assert.deepEqual(applyVariants(once), once);
    });
    it(`${name}: tokenizing normalised text again changes nothing`, () => {
      const strict = tokens.map(strictForm);
      assert.deepEqual(tokenize(strict.join(" ")).map(strictForm), strict);
    });
  }

  it("an Arabic-keyboard retyping of the article indexes like the original", () => {
    const noAspirates = (s: string): string => s.replace(/ھ/g, "ہ");
    assert.deepEqual(variantTokens(hostile).map(noAspirates), variantTokens(articleText).map(noAspirates));
  });

  it("both centre spellings in the article become one token", () => {
    const toks = variantTokens(articleText);
    assert.ok(toks.includes(looseForm("سنٹر")));
    assert.ok(!toks.includes(looseForm("سینٹر")));
  });
});
