// PostgreSQL's GIN pending lists stay short while documents come one at a time (db/connect.ts,
// GIN_PENDING_LIMIT): every search reads a whole pending list, so a long one slows every search
// until autovacuum empties it. A bulk load raises the limit for its own batches only
// (search/maintenance.ts, setBulkBatch). SQLite's FTS5 has no pending list; what it gathers
// instead, segments, the nightly merge takes care of on both databases (mergeIndex.test.ts).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { manualClock } from "../../src/db/clock.ts";
import { GIN_PENDING_LIMIT } from "../../src/db/connect.ts";
import { indexDocuments, type SearchSource } from "../../src/search/indexer.ts";
import { setBulkBatch } from "../../src/search/maintenance.ts";
import { search } from "../../src/search/search.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";
import { ginPendingPages } from "../helpers/ginPending.ts";

const clock = manualClock("2026-12-04T06:00:00Z");
const start = Date.parse("2026-06-01T00:00:00Z");

/** A made-up word of letters for a number (analysis keeps words of letters as they are). */
const word = (n: number) => {
  let w = "";
  for (let x = n + 26 * 26; x > 0; x = Math.floor(x / 26)) w += String.fromCharCode(97 + (x % 26));
  return w;
};

/** A document of ~150 distinct words, about as many terms as an article of the search bench. */
const doc = (i: number): SearchSource => ({
  id: `0190b000-0000-7000-8000-${String(i).padStart(12, "0")}`,
  source: "article",
  centre_id: null,
  kind: "news",
  lang: "en",
  title: `${word(i * 7)} ${word(i * 7 + 1)} ${word(i * 7 + 2)}`,
  strap: `${word(i * 11 + 3)} ${word(i * 11 + 4)}`,
  body_text: Array.from({ length: 150 }, (_, j) => word((i * 151 + j * 37) % 20_000)).join(" "),
  path: `/articles/${i}`,
  published_at: new Date(start + i * 60_000).toISOString(),
  expires_at: null,
});

const limit = (db: TestDatabase["db"]) =>
  sql<{ gin_pending_list_limit: string }>`show gin_pending_list_limit`
    .execute(db)
    .then((r) => r.rows[0]!.gin_pending_list_limit);

describe("PostgreSQL keeps GIN pending lists short between bulk loads", () => {
  let tdb: TestDatabase;
  before(async () => {
    tdb = await freshDatabase("postgres");
  });
  after(() => tdb.drop());

  it("gives every connection the short limit, and a bulk batch the long one for its transaction", async () => {
    assert.equal(await limit(tdb.db), GIN_PENDING_LIMIT);
    await tdb.db.transaction().execute(async (trx) => {
      await setBulkBatch(trx);
      assert.equal(await limit(trx), "32MB");
    });
    assert.equal(await limit(tdb.db), GIN_PENDING_LIMIT);
  });

  it("merges the pending list into the index before it passes the limit", async () => {
    // 64 kB is 8 pages; the document that passes it adds one or two.
    const shortList = 10;
    let highest = 0;
    // One document per transaction, as publishing does: about a pending page each, so at the
    // default limit (4 MB) 80 of them leave 80 pages.
    for (let i = 0; i < 80; i++) {
      await tdb.db.transaction().execute((trx) => indexDocuments(trx, [doc(i)], clock));
      for (const pages of (await ginPendingPages(tdb.db)).values()) highest = Math.max(highest, pages);
    }
    assert.equal(GIN_PENDING_LIMIT, "64kB");
    assert.ok(highest <= shortList, `pending pages reached ${highest}`);
    assert.ok(highest > 0, "documents went through the pending list");
    // Still found by search, from the merged entries or the pending ones.
    for (const i of [0, 79]) {
      const out = await search(tdb.db, { q: word(i * 7), limit: 10, offset: 0 }, clock);
      assert.ok(
        out.results.some((r) => r.id === doc(i).id),
        `document ${i} found`,
      );
    }
  });
});
