// The nightly merge of the search index (src/search/maintenance.ts, mergeIndex). SQLite: each
// commit that indexes documents adds an FTS5 segment, and the merge puts them back into one.
// PostgreSQL: GIN's pending lists are merged into their indexes. Searches find the same
// documents before and after; a second merge has nothing to do.
import assert from "node:assert/strict";
import { it } from "node:test";
import { sql } from "kysely";
import { manualClock } from "../../src/db/clock.ts";
import type { Db } from "../../src/db/connect.ts";
import { indexDocuments, type SearchSource } from "../../src/search/indexer.ts";
import { mergeIndex, setBulkBatch } from "../../src/search/maintenance.ts";
import { search } from "../../src/search/search.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { fts5Segments } from "../helpers/fts5.ts";
import { ginPendingPages } from "../helpers/ginPending.ts";

const clock = manualClock("2026-12-04T06:00:00Z");
const start = Date.parse("2026-07-01T00:00:00Z");
const TOPICS = ["harvest", "library", "bakery", "railway", "pottery", "weaving"];

const doc = (i: number): SearchSource => ({
  id: `0190d000-0000-7000-8000-${String(i).padStart(12, "0")}`,
  source: "article",
  centre_id: null,
  kind: "news",
  lang: i % 2 ? "en" : "ur",
  title: i % 2 ? `${TOPICS[i % TOPICS.length]} news ${i}` : `کمپیوٹر کورس ${i}`,
  strap: "",
  body_text: i % 2 ? `the ${TOPICS[(i + 1) % TOPICS.length]} opened` : "مرکز میں نئی کلاس",
  path: `/articles/${i}`,
  published_at: new Date(start + i * 3_600_000).toISOString(),
  expires_at: null,
});

/** SQLite: the segments of one of the two FTS5 indexes. */
async function segments(db: Db, table: "search_fts" | "search_head_fts"): Promise<number> {
  const r = await sql<{ block: Uint8Array }>`select block from ${sql.table(`${table}_data`)}
    where id = 10`.execute(db);
  return fts5Segments(r.rows[0]!.block);
}

const pendingPages = async (db: Db) => [...(await ginPendingPages(db)).values()].reduce((a, b) => a + b, 0);

const found = async (db: Db, q: string) =>
  (await search(db, { q, limit: 50, offset: 0 }, clock)).results.map((r) => r.id).sort();

onBothDatabases("the nightly merge of the search index", (get, dialect) => {
  it("puts the index back in one piece, and finds the same documents after", async () => {
    const { db } = get();
    if (dialect === "sqlite") {
      // One document per transaction, as publishing does: a segment each.
      for (let i = 0; i < 12; i++)
        await db.transaction().execute((trx) => indexDocuments(trx, [doc(i)], clock));
      assert.ok((await segments(db, "search_fts")) > 1);
    } else {
      // A bulk batch lets the pending list grow (32 MB): the documents wait there.
      await db.transaction().execute(async (trx) => {
        await setBulkBatch(trx);
        await indexDocuments(
          trx,
          Array.from({ length: 12 }, (_, i) => doc(i)),
          clock,
        );
      });
      assert.ok((await pendingPages(db)) > 0);
    }
    const before = await Promise.all(["harvest", "کمپیوٹر", "railway"].map((q) => found(db, q)));
    assert.ok(before.every((ids) => ids.length > 0));

    const steps: number[] = [];
    const merged = await mergeIndex(db, (work) => steps.push(work));
    assert.ok(merged.work > 0);
    assert.ok(steps.length > 0);
    if (dialect === "sqlite") {
      assert.equal(await segments(db, "search_fts"), 1);
      assert.equal(await segments(db, "search_head_fts"), 1);
    } else {
      assert.equal(await pendingPages(db), 0);
    }
    const after = await Promise.all(["harvest", "کمپیوٹر", "railway"].map((q) => found(db, q)));
    assert.deepEqual(after, before);

    // Nothing left to do, and it says so.
    assert.equal((await mergeIndex(db)).work, 0);
  });
});
