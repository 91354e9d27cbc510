// A query no document matches whole is searched for with fewer words (search.ts, withFewerWords),
// on both databases: the words no document has go first, then the commonest.

import assert from "node:assert/strict";
import { before, it } from "node:test";
import { manualClock } from "../../src/db/clock.ts";
import { indexDocuments, type SearchSource } from "../../src/search/indexer.ts";
import { search, type SearchOutcome } from "../../src/search/search.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { searchSource } from "../helpers/search.ts";

const clock = manualClock("2026-11-25T06:00:00Z");

const doc = (n: number, lang: "ur" | "en", title: string, body: string): SearchSource =>
  searchSource({
    title,
    lang,
    body_text: body,
    path: `/articles/${n}`,
    published_at: new Date(Date.parse("2026-10-01T00:00:00Z") + n * 3_600_000).toISOString(),
  });

const DOCS = [
  doc(1, "ur", "شناختی کارڈ کی تجدید اب سنٹر سے", "نادرا کا عملہ ہفتے میں دو دن بیٹھتا ہے۔"),
  doc(2, "ur", "ہیلتھ کارڈ سے مفت علاج", "اسپتال میں داخلے کے وقت کارڈ ساتھ لائیں۔"),
  doc(3, "ur", "کمپیوٹر کورس میں نئے داخلے", "تین مہینے کا کورس، شام کی کلاسیں۔"),
  doc(4, "en", "Computer courses at the center", "Evening classes for beginners, three months."),
  doc(5, "en", "Health card desk open in the evening", "Bring your papers."),
  doc(6, "en", "Card payments at the evening market", "Cash is taken too."),
];

onBothDatabases("a search no document matches whole", (get) => {
  before(async () => {
    const { db } = get();
    await db.transaction().execute((trx) => indexDocuments(trx, DOCS, clock));
  });

  const run = (q: string, lang?: string): Promise<SearchOutcome> =>
    search(get().db, { q, limit: 10, offset: 0, ...(lang ? { lang } : {}) }, clock);
  const found = (out: SearchOutcome) => out.results.map((r) => r.path);

  it("leaves out a word no document has, and says so", async () => {
    const out = await run("shanakhti card kahan");
    assert.deepEqual(found(out), ["/articles/1"]);
    assert.deepEqual(out.leftOut, ["kahan"]);
    assert.equal(out.correctedQuery, null);
    assert.ok(out.results[0]!.snippet.length > 0);
  });

  it("keeps the most words some document has together", async () => {
    // Every word is in some document; shanakhti and card are together in one, courses in others.
    const out = await run("shanakhti card courses");
    assert.deepEqual(found(out), ["/articles/1"]);
    assert.deepEqual(out.leftOut, ["courses"]);
    const other = await run("computer shanakhti card");
    assert.deepEqual([found(other), other.leftOut], [["/articles/1"], ["computer"]]);
  });

  it("of as many words, keeps those the most documents have together, then the earlier words", async () => {
    // computer and evening: one document (4); evening and card: two (5, 6).
    const out = await run("computer evening card");
    assert.deepEqual(found(out), ["/articles/6", "/articles/5"]);
    assert.deepEqual(out.leftOut, ["computer"]);
    // shanakhti alone: one document; computer alone: two (3, 4).
    const one = await run("shanakhti computer kahan");
    assert.deepEqual(one.leftOut, ["shanakhti", "kahan"]);
    // Two documents each: the earlier word.
    const tie = await run("health computer");
    assert.deepEqual(tie.leftOut, ["computer"]);
  });

  it("keeps a corrected word and says what was searched", async () => {
    const out = await run("computr evening kahan");
    assert.deepEqual(found(out), ["/articles/4"]);
    assert.deepEqual(out.leftOut, ["kahan"]);
    assert.equal(out.correctedQuery, "computer evening");
    // "course" is in no document as written, but finds "courses" through its stem: not corrected.
    const stem = await run("computr course kahan");
    assert.deepEqual(found(stem).sort(), ["/articles/3", "/articles/4"]);
    assert.deepEqual([stem.correctedQuery, stem.leftOut], ["computer course", ["kahan"]]);
  });

  it("within the filters", async () => {
    const out = await run("computer course kahan", "en");
    assert.deepEqual(found(out), ["/articles/4"]);
    assert.deepEqual(out.leftOut, ["kahan"]);
  });

  it("leaves nothing out of a query that matches whole, and finds nothing when no word is anywhere", async () => {
    const whole = await run("shanakhti card");
    assert.deepEqual([found(whole), whole.leftOut], [["/articles/1"], []]);
    const none = await run("xyzzy plugh");
    assert.deepEqual([none.total, none.leftOut, none.correctedQuery], [0, [], null]);
    // One word is never left out: nothing is found.
    const single = await run("kahan");
    assert.deepEqual([single.total, single.leftOut], [0, []]);
  });
});
