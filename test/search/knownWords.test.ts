import assert from "node:assert/strict";
import { before, it } from "node:test";
import { manualClock } from "../../src/db/clock.ts";
import { indexDocuments } from "../../src/search/indexer.ts";
import { knownWords } from "../../src/search/vocabulary.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { searchSource } from "../helpers/search.ts";

onBothDatabases("search vocabulary look-up", (get) => {
  before(async () => {
    await get()
      .db.transaction()
      .execute((trx) =>
        indexDocuments(
          trx,
          [
            searchSource({
              title: "کمپیوٹر کورس",
              body_text: "کمپیوٹر سیکھیں computer",
              path: "/articles/known-words",
            }),
          ],
          manualClock("2026-11-25T06:00:00Z"),
        ),
      );
  });

  const lookUp = async (words: string[]) =>
    new Map((await knownWords(get().db, words)).map((k) => [k.term, k.df]));

  it("answers which words a document has, with their counts, among hundreds asked at once", async () => {
    // On PostgreSQL a list this long is looked up in two halves: a known word sits in each.
    const many = Array.from({ length: 700 }, (_, i) => `nosuchword${i}`);
    const found = await lookUp(["کمپیوٹر", "غائب", ...many, "computer", "کمپیوٹر"]);
    assert.deepEqual([...found.keys()].sort(), ["computer", "کمپیوٹر"]);
    assert.equal(found.get("کمپیوٹر"), 1);
  });

  it("finds nothing for no words, and never matches a string with a space in it", async () => {
    assert.equal((await lookUp([])).size, 0);
    assert.equal((await lookUp(["کمپیوٹر کورس", "", " "])).size, 0);
  });
});
