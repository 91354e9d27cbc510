// The words of an article body that search indexes and snippets show (markdownWords).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { markdownWords } from "../../src/portal/searchDocument.ts";

/** Every character JavaScript's \s matches. */
const WHITESPACE = [
  ..."\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff",
  ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
];

describe("markdownWords", () => {
  const cases: [string, string, string][] = [
    ["one space between words stays", "ایک دو three", "ایک دو three"],
    ["runs of spaces become one", "ایک   دو", "ایک دو"],
    ["paragraph breaks become a space", "پہلا پیرا\n\nدوسرا پیرا", "پہلا پیرا دوسرا پیرا"],
    ["a space before a line break", "ایک \n دو", "ایک دو"],
    ["tabs and no-break spaces", "ایک\tدو\u00a0تین\u3000four", "ایک دو تین four"],
    ["ends are trimmed", " \n ایک دو \n", "ایک دو"],
    ["headings and list markers go", "# سرخی\n\n- پہلا\n- دوسرا\n1. تیسرا", "سرخی پہلا دوسرا تیسرا"],
    ["emphasis and code marks go", "**موٹا** __bold__ `code`", "موٹا bold code"],
    ["links and images keep their text", "[ویب سائٹ](https://x.pk) ![تصویر](/a.png)", "ویب سائٹ تصویر"],
    [
      "markup stays as text, for snippets to escape",
      "<script>alert(1)</script>",
      "<script>alert(1)</script>",
    ],
  ];
  for (const [name, md, words] of cases) {
    it(name, () => assert.equal(markdownWords(md), words));
  }

  it("spaces a text exactly as collapsing every whitespace run would, for every kind of whitespace", () => {
    // A fixed pseudo-random sequence (a linear congruential generator), so a failure repeats.
    let seed = 12345;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const alphabet = ["ک", "a", "ب", "1", ...WHITESPACE, " ", " ", " "];
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: 1 + next(24) }, () => alphabet[next(alphabet.length)]).join("");
      assert.equal(markdownWords(text), text.replace(/\s+/g, " ").trim(), JSON.stringify(text));
    }
  });
});
