import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isUrduScript, phoneticKey } from "../../src/search/phonetic.ts";
import { tokenize } from "../../src/search/normalise.ts";
import { variantTokens } from "../../src/search/variants.ts";

const keys = (text: string): string[] => tokenize(text).map(phoneticKey);
const variantKeys = (text: string): string[] => variantTokens(text).map(phoneticKey);

describe("phoneticKey: Roman Urdu / English meets Urdu script", () => {
  const pairs: [string, string, string][] = [
    ["pakistan", "پاکستان", "pkstn"],
    ["computer", "کمپیوٹر", "kmptr"],
    ["kampiutar", "کمپیوٹر", "kmptr"],
    ["taleem", "تعلیم", "tlm"],
    ["shanakhti", "شناختی", "shnkht"],
    ["card", "کارڈ", "krd"],
    ["health", "ہیلتھ", "hlt"],
    ["islam", "اسلام", "aslm"],
    ["aur", "اور", "ar"],
    ["urdu", "اردو", "ard"],
    ["phal", "پھل", "fl"],
    ["phone", "فون", "fn"],
    ["mehnat", "محنت", "mnt"],
    ["school", "سکول", "skl"],
    ["sawal", "سوال", "swl"],
    ["pyar", "پیار", "pyr"],
    ["duniya", "دنیا", "dny"],
    ["dekh", "دیکھ", "dkh"],
    ["parhna", "پڑھنا", "prn"],
    ["idara", "ادارہ", "adr"],
    ["khana", "کھانا", "khn"],
    ["ghar", "گھر", "ghr"],
    ["chhota", "چھوٹا", "cht"],
    ["wazir", "وزیر", "wzr"],
    ["vazir", "وزیر", "wzr"],
    ["main", "میں", "mn"],
    ["ilm", "علم", "alm"],
    ["station", "سٹیشن", "stshn"],
  ];
  for (const [roman, urdu, key] of pairs)
    it(`${roman} = ${urdu} (${key})`, () => {
      assert.equal(phoneticKey(roman), key);
      assert.equal(phoneticKey(urdu), key);
    });
});

describe("phoneticKey: multi-word, keys per word", () => {
  const rows: [string, string][] = [
    ["shanakhti card", "شناختی کارڈ"],
    ["health card", "ہیلتھ کارڈ"],
    ["free lancing", "فری لانسنگ"],
    ["wi fi", "وائی فائی"],
    ["computer course", "کمپیوٹر کورس"],
  ];
  for (const [roman, urdu] of rows) it(`${roman} = ${urdu}`, () => assert.deepEqual(keys(roman), keys(urdu)));

  // Joined spellings meet the compound that applyVariants forms from the spaced Urdu.
  const joined: [string, string][] = [
    ["freelancing", "فری لانسنگ"],
    ["freelancing", "فریلانسنگ"],
    ["wifi", "وائی فائی"],
    ["Wi-Fi", "وائی فائی"],
    ["online", "آن لائن"],
    ["website", "ویب سائٹ"],
    ["email", "ای میل"],
  ];
  for (const [roman, urdu] of joined)
    it(`${roman} = ${urdu} after variants`, () => assert.deepEqual(variantKeys(roman), variantKeys(urdu)));
});

describe("phoneticKey: Roman spellings and script forms of one word meet", () => {
  const groups: [string, string[]][] = [
    ["taleem", ["taleem", "taalim", "talim", "tаleem".replace("а", "a"), "تعلیم", "تَعلِیم"]],
    ["computer", ["computer", "kampiutar", "compiutar", "کمپیوٹر", "كمپيوٹر"]],
    ["c before e/i is s", ["centre", "sentre"]],
    ["q = k", ["qaum", "kaum", "قوم"]],
    ["doubled letters", ["allah", "alah", "اللہ"]],
    ["w = v", ["vazir", "wazir", "wazeer"]],
    ["ck = k", ["ticket", "tiket", "ٹکٹ"]],
    ["s/ص/ث", ["سابق", "صابق", "ثابق"]],
    ["z/ذ/ض/ظ", ["زر", "ذر", "ضر", "ظر"]],
    ["t/ط/ٹ", ["تک", "طک", "ٹک"]],
    ["h/ح/ہ/ھ at the start", ["حال", "ہال", "ھال", "hal"]],
    ["d/ڈ, r/ڑ", ["دڑ", "ڈر"]],
  ];
  for (const [name, spellings] of groups)
    it(`${name}: ${spellings.join(" / ")}`, () => {
      const first = phoneticKey(spellings[0] as string);
      for (const s of spellings.slice(1)) assert.equal(phoneticKey(s), first, s);
    });

  it("keeps kh, sh, ch, gh distinct from k, s, c, g", () => {
    assert.notEqual(phoneticKey("khan"), phoneticKey("kan"));
    assert.notEqual(phoneticKey("خان"), phoneticKey("کان"));
    assert.notEqual(phoneticKey("شام"), phoneticKey("سام"));
    assert.notEqual(phoneticKey("غم"), phoneticKey("گم"));
    assert.notEqual(phoneticKey("چاۓ"), phoneticKey("کاۓ"));
  });

  it("digits pass through; keys are lower-case ASCII", () => {
    assert.equal(phoneticKey("۲۰۲۰"), "2020");
    for (const w of ["پاکستان", "Computer", "ٹیلیکام", "ڈیجیٹلائزیشن"])
      assert.match(phoneticKey(w), /^[a-z0-9]+$/);
  });
});

describe("isUrduScript", () => {
  const rows: [string, boolean][] = [
    ["پاکستان", true],
    ["كتاب", true],
    ["۲۰۲۰", true],
    ["pakistan", false],
    ["2020", false],
    ["", false],
  ];
  for (const [token, expected] of rows)
    it(`${token || "(empty)"} → ${expected}`, () => assert.equal(isUrduScript(token), expected));
});
