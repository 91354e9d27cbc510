import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planQuery } from "../../src/search/plan.ts";
import { hitTester, snippet, snippetHtml, type Segment } from "../../src/search/snippet.ts";

const hitsOf = (segments: readonly Segment[]) => segments.filter((s) => s.hit).map((s) => s.text);
const textOf = (segments: readonly Segment[]) => segments.map((s) => s.text).join("");
const snip = (q: string, text: string) => snippet(text, hitTester(planQuery(q).groups));

describe("search snippets", () => {
  // query, document text, the words marked as hits
  const cases: [string, string, string[]][] = [
    ["کمپیوٹر", "مرکز میں کمپیوٹر کی تربیت", ["کمپیوٹر"]],
    ["کمپیوٹر", "مرکز میں كمپيوٹر کی تربیت", ["كمپيوٹر"]], // Arabic kaf and yeh in the document
    ["kampiutar", "مرکز میں کمپیوٹر کی تربیت", ["کمپیوٹر"]], // Roman Urdu, by its phonetic key
    ["centers", "The Centre opens on Monday", ["Centre"]], // British spelling, plural, case
    ["بھی", "یہ بهی ایک مرکز ہے", ["بهی"]], // aspirate typed with ه
    // A ZWNJ inside a word keeps it one word; an emoji beside a word is not part of it.
    ["ٹیکنالوجی", "نئی ٹیکنا\u200cلوجی😀 آج", ["ٹیکنا\u200cلوجی"]],
    // Letters outside the Basic Multilingual Plane are letters: 𝐀𝐁 is one word, not a hit.
    ["computer", "𝐀𝐁 computer 𝐀𝐁", ["computer"]],
    ["tax", "no match here at all", []],
  ];
  for (const [q, text, hits] of cases) {
    it(`marks ${JSON.stringify(hits)} for "${q}" in "${text}"`, () => {
      const out = snip(q, text);
      assert.deepEqual(hitsOf(out), hits);
      assert.equal(textOf(out), text);
    });
  }

  const filler = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `word${from + i}`).join(" ");

  it("shows the first window that holds every query word, cut at word boundaries, with ellipses", () => {
    const text = `${filler(40)} computer computer computer ${filler(40, 40)} computer course ${filler(40, 80)}`;
    const out = snip("computer course", text);
    assert.deepEqual(hitsOf(out), ["computer", "course"], "both words beat one word three times");
    assert.deepEqual(out[0], { text: "… ", hit: false });
    assert.deepEqual(out.at(-1), { text: " …", hit: false });
    const shown = textOf(out).slice(2, -2);
    assert.ok(text.includes(shown), "the window is a stretch of the text");
    assert.match(shown, /^word\d+ /, "it starts on a whole word");
    assert.ok(shown.length <= 220);
  });

  it("for one word, shows its first passage with every hit in it marked", () => {
    const text = `${filler(40)} computer ${filler(5, 40)} computer ${filler(40, 45)} computer computer computer`;
    const out = snip("computer", text);
    assert.deepEqual(hitsOf(out), ["computer", "computer"]);
    assert.ok(textOf(out).includes("word39 computer word40"));
  });

  it("without a window holding every word, shows the one with the most of them, then the most hits", () => {
    const text = `${filler(40)} computer ${filler(40, 40)} computer course course ${filler(40, 80)} course`;
    assert.deepEqual(hitsOf(snip("computer course absentword", text)), ["computer", "course", "course"]);
  });

  it("a text read in part for one query is read on for the next", () => {
    const text = `computer ${filler(600)} course`; // ~5,300 characters: inside the scanned part
    assert.deepEqual(hitsOf(snip("computer", text)), ["computer"]);
    assert.deepEqual(hitsOf(snip("course", text)), ["course"], "a word near the end of the scanned part");
    assert.deepEqual(hitsOf(snip("computer", text)), ["computer"]);
  });

  it("shows the opening when nothing matches, and collapses runs of white space", () => {
    const out = snip("absent", "first  line\n\nsecond\tline\nthird\u00a0line \r\n end");
    assert.deepEqual(out, [{ text: "first line second line third line end", hit: false }]);
  });

  it("answers each query for itself when two testers meet the same words in turn", () => {
    const computer = hitTester(planQuery("computer").groups);
    const course = hitTester(planQuery("course").groups);
    const text = "computer course";
    for (let round = 0; round < 3; round++) {
      assert.deepEqual(hitsOf(snippet(text, computer)), ["computer"]);
      assert.deepEqual(hitsOf(snippet(text, course)), ["course"]);
    }
  });

  it("a text met again gives the same snippet as the first time, and an edit is seen", () => {
    const text = "تربیت کا اعلان، کمپیوٹر کورس اور مفت انٹرنیٹ۔ ".repeat(12);
    const first = snip("کمپیوٹر", text);
    assert.deepEqual(snip("کمپیوٹر", text), first);
    assert.deepEqual(snip("کمپیوٹر", [...text].join("")), first, "the same text as another string");
    assert.ok(hitsOf(first).length > 0);
    // Another query over the kept text finds its own words.
    assert.deepEqual([...new Set(hitsOf(snip("انٹرنیٹ", text)))], ["انٹرنیٹ"]);
    // The same document edited: its new words are found, the old ones no longer.
    const edited = text.replaceAll("کمپیوٹر", "موبائل");
    assert.deepEqual(hitsOf(snip("کمپیوٹر", edited)), []);
    assert.deepEqual([...new Set(hitsOf(snip("موبائل", edited)))], ["موبائل"]);
  });

  it("escapes the document's HTML and marks only the hits", () => {
    const html = snippetHtml(snip("alert", `<script>alert("x & 'y'")</script>`));
    assert.equal(html, `&lt;script&gt;<mark>alert</mark>(&quot;x &amp; &#39;y&#39;&quot;)&lt;/script&gt;`);
  });
});
