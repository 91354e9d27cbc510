// PostgreSQL's GIN pending lists stay short while documents come one at a time (db/connect.ts,
// GIN_PENDING_LIMIT): every search reads a whole pending list, so a long one slows every search
// until autovacuum empties it. A bulk load raises the limit for its own batches only
// (search/maintenance.ts, setBulkBatch). SQLite's FTS5 has no pending list (its automerge keeps the
// number of segments bounded); search's own suites run on both databases.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { manualClock } from "../../src/db/clock.ts";
import { GIN_PENDING_LIMIT } from "../../src/db/connect.ts";
import { indexDocuments, type SearchSource } from "../../src/search/indexer.ts";
import { setBulkBatch } from "../../src/search/maintenance.ts";
import { search } from "../../src/search/search.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

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
    // pgstatginindex reads a GIN index's pending list; the extension goes with the test's schema.
    await sql`create extension if not exists pgstattuple`.execute(tdb.db);
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
    const pending = async () =>
      (
        await sql<{ index: string; pages: number }>`select i::text as index,
            (pgstatginindex(i)).pending_pages as pages
          from unnest(array['search_vectors_vec', 'search_head_vectors_head_vec']::regclass[]) i`.execute(
          tdb.db,
        )
      ).rows;
    // 64 kB is 8 pages; the document that passes it adds one or two.
    const shortList = 10;
    let highest = 0;
    // One document per transaction, as publishing does: ~0.4 pending pages each in
    // search_vectors, so at the default limit (4 MB) 80 of them would leave ~30 pages.
    for (let i = 0; i < 80; i++) {
      await tdb.db.transaction().execute((trx) => indexDocuments(trx, [doc(i)], clock));
      for (const p of await pending()) highest = Math.max(highest, Number(p.pages));
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
