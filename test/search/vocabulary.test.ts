// The vocabulary's counts (src/search/vocabulary.ts) under writers running at once, on both databases.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { it } from "node:test";
import { sql } from "kysely";
import type { Db } from "../../src/db/connect.ts";
import { addWordCounts } from "../../src/search/vocabulary.ts";
import { onBothDatabases } from "../helpers/db.ts";

/** Until some session waits for a lock taken to write the vocabulary (PostgreSQL). */
async function untilAWriterWaits(db: Db): Promise<void> {
  for (let i = 0; i < 250; i++) {
    const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
      where wait_event_type = 'Lock' and (query like '%search_vocab%' or query like '%rasai-search-vocab%')`.execute(
      db,
    );
    if ((r.rows[0]?.n ?? 0) > 0) return;
    await sleep(20);
  }
  throw new Error("the second writer never waited");
}

onBothDatabases("search vocabulary counts", (get, dialect) => {
  it("two writers counting in several statements each both commit, and their counts add up", async () => {
    const db = get().db;
    await addWordCounts(
      db,
      new Map([
        ["الف", 5],
        ["یے", 5],
      ]),
    );
    let second: Promise<void> | undefined;
    await db.transaction().execute(async (trx) => {
      // The first writer takes a word away (a late one in the order), then adds an early one,
      // as a removal beside an edit does; the second, sorted, wants the early word, then the late.
      await addWordCounts(trx, new Map([["یے", -1]]));
      second = db.transaction().execute((other) =>
        addWordCounts(
          other,
          new Map([
            ["الف", 1],
            ["یے", 1],
          ]),
        ),
      );
      // SQLite has one writer by construction: the second starts when the first commits.
      if (dialect === "postgres") await untilAWriterWaits(db);
      await addWordCounts(trx, new Map([["الف", 1]]));
    });
    await second;
    const rows = await db.selectFrom("search_vocab").select(["term", "df"]).orderBy("term").execute();
    assert.deepEqual(
      rows.map((r) => [r.term, Number(r.df)]),
      [
        ["الف", 7],
        ["یے", 5],
      ],
    );
  });

  it("adds counts to words there and new, skips a zero, and keeps a word with a space or a comma whole", async () => {
    const db = get().db;
    await sql`delete from search_vocab`.execute(db);
    const words = (n: number) => Array.from({ length: n }, (_, i) => `word${String(i).padStart(6, "0")}`);
    // More than one statement's worth (50k) on PostgreSQL, in no order.
    const many = new Map(
      words(60_001)
        .map((w, i) => [w, (i % 7) + 1] as const)
        .reverse(),
    );
    await addWordCounts(db, many);
    await addWordCounts(
      db,
      new Map([
        ["word000003", 10],
        ["کمپیوٹر", 2],
        ["a,b", 3],
        ["zero", 0],
      ]),
    );
    await addWordCounts(db, new Map([["two words", 4]]));
    const rows = await db.selectFrom("search_vocab").select(["term", "df"]).execute();
    const got = new Map(rows.map((r) => [r.term, Number(r.df)]));
    assert.equal(got.size, 60_001 + 3);
    assert.equal(got.get("word000000"), 1);
    assert.equal(got.get("word000003"), 4 + 10);
    assert.equal(got.get("word060000"), (60_000 % 7) + 1);
    assert.equal(got.get("کمپیوٹر"), 2);
    assert.equal(got.get("a,b"), 3);
    assert.equal(got.get("two words"), 4);
    assert.equal(got.has("zero"), false);
  });
});
