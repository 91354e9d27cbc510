// PostgreSQL's recent indexes (src/search/pgRecent.ts): partial GIN indexes over each vector
// table's newest documents (and a wider one on search_vectors), built, moved up and dropped as
// documents come. SQLite's FTS5 reads its
// matches newest first and needs none; search's own suites run on both databases.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { manualClock } from "../../src/db/clock.ts";
import { indexDocuments, type SearchSource } from "../../src/search/indexer.ts";
import { finishRebuild } from "../../src/search/maintenance.ts";
import { newestKeys, RECENT_REACH, windowStartWithin } from "../../src/search/pgMatch.ts";
import { forgetLadder, recentRange } from "../../src/search/pgLadder.ts";
import {
  RECENT_LOCK_KEY,
  recentIndexes,
  refreshRecentIndexes,
  WIDE_FACTOR,
  withoutWideIndex,
  type RecentIndex,
} from "../../src/search/pgRecent.ts";
import { reindexAll } from "../../src/search/reindex.ts";
import {
  recentWindowFloors,
  recentWindowFunction,
  writeRecentWindowFunction,
} from "../../src/search/pgRecentWindow.ts";
import { matchQueryOf, planQuery } from "../../src/search/plan.ts";
import { freshDatabase, withOwnConnection, withPlansReported, type TestDatabase } from "../helpers/db.ts";

const clock = manualClock("2026-11-25T06:00:00Z");
const HOUR = 3_600_000;
const start = Date.parse("2026-01-01T00:00:00Z");
const doc = (i: number): SearchSource => ({
  id: `0190a000-0000-7000-8000-${String(i).padStart(12, "0")}`,
  source: "article",
  centre_id: null,
  kind: "news",
  lang: "en",
  title: `olive ${i % 4 === 0 ? "harvest" : "grove"}`,
  strap: "",
  body_text: `olive oil ${i % 10 === 0 ? "saffron" : "jar"}`,
  path: `/articles/${i}`,
  published_at: new Date(start + i * HOUR).toISOString(),
  expires_at: null,
});

/** Indexes the next `n` documents (doc(i), numbered on from the previous call) in one transaction. */
function documentAdder(db: () => TestDatabase["db"]): (n: number) => Promise<void> {
  let added = 0;
  return async (n) => {
    const docs = Array.from({ length: n }, (_, i) => doc(added + i));
    added += n;
    await db()
      .transaction()
      .execute((trx) => indexDocuments(trx, docs, clock));
  };
}

/** The doc_key `depth` rows below a vector table's newest. */
async function keyAtDepth(db: TestDatabase["db"], table: string, depth: number): Promise<number> {
  const r = await sql<{ k: string }>`select doc_key as k from ${sql.table(table)}
    order by doc_key desc offset ${depth - 1} limit 1`.execute(db);
  return Number(r.rows[0]!.k);
}

/** Every recent index as "table tier floor valid", sorted. */
async function floorsOf(db: TestDatabase["db"]): Promise<string[]> {
  return (await recentIndexes(db)).map((x) => `${x.table} ${x.tier} ${x.floor} ${x.valid}`).sort();
}

/** The one recent index of a tier on search_vectors. */
async function onlyOfTier(db: TestDatabase["db"], tier: RecentIndex["tier"]): Promise<RecentIndex> {
  const found = (await recentIndexes(db)).filter((x) => x.table === "search_vectors" && x.tier === tier);
  assert.equal(found.length, 1, `one ${tier} index`);
  return found[0]!;
}

describe("PostgreSQL keeps a short index of the newest documents", () => {
  let tdb: TestDatabase;
  const add = documentAdder(() => tdb.db);
  const keyAt = (table: string, depth: number) => keyAtDepth(tdb.db, table, depth);
  const floors = () => floorsOf(tdb.db);
  const ofTier = (tier: RecentIndex["tier"]) => onlyOfTier(tdb.db, tier);
  /**
   * A window of "saffron" starting at `start` finds the same five newest matches as the bitmap,
   * and its plan inside the function (as auto_explain reports it to this client) scans `index`:
   * the window function's own statement at or above its floor (pgRecentWindow.ts), the general
   * function's below it.
   */
  const assertWindowOnIndex = async (start: number, windowRows: number, index: string | RegExp) => {
    const db = tdb.db;
    const match = matchQueryOf(planQuery("saffron").groups);
    const window = newestKeys(match, {}, "vec", 5, { kind: "window", windowRows }, start);
    const bitmap = newestKeys(match, {}, "vec", 5, { kind: "bitmap" });
    const want = (await bitmap.execute(db)).rows.map((r) => Number(r.doc_key));
    assert.equal(want.length, 5);
    await withPlansReported(tdb, async (client, plans) => {
      const compiled = window.compile(db);
      const found = await client.query<{ doc_key: string }>(compiled.sql, [...compiled.parameters]);
      assert.deepEqual(
        found.rows.map((r) => Number(r.doc_key)),
        want,
      );
      const inner = plans.find(
        (p) => p.includes("v.doc_key >= window_start") || p.includes("doc_key >= " + start),
      );
      assert.ok(inner, `the window's plan was reported: ${plans.join("\n")}`);
      assert.match(inner, typeof index === "string" ? new RegExp(`Bitmap Index Scan on ${index}`) : index);
    });
  };

  before(async () => {
    tdb = await freshDatabase("postgres");
    await add(60);
    await finishRebuild(tdb.db);
  });
  after(() => tdb.drop());

  it("has none while a table holds fewer than twice the rows it would cover", async () => {
    assert.deepEqual(await refreshRecentIndexes(tdb.db, 40), []);
    assert.deepEqual(await floors(), [], "a rebuild (finishRebuild) built none at 60 documents either");
  });

  it("builds one per vector table from the key `rows` deep, and keeps it until it holds twice that", async () => {
    // 60 documents: a short index (8 rows) on each table, and on search_vectors a wide one
    // (WIDE_FACTOR times as deep: 24 rows, from 48 in the table).
    assert.equal(WIDE_FACTOR, 3);
    const built = await refreshRecentIndexes(tdb.db, 8);
    assert.equal(built.length, 3);
    const floor = await keyAt("search_vectors", 8);
    const wide = await keyAt("search_vectors", 24);
    assert.equal(await keyAt("search_head_vectors", 8), floor, "one vector row of each kind per document");
    assert.deepEqual(await floors(), [
      `search_head_vectors recent ${floor} true`,
      `search_vectors recent ${floor} true`,
      `search_vectors wide ${wide} true`,
    ]);
    await add(7);
    assert.deepEqual(await refreshRecentIndexes(tdb.db, 8), [], "15 rows above the floor: kept");
    await add(1);
    assert.equal((await refreshRecentIndexes(tdb.db, 8)).length, 2, "16: built higher");
    const higher = await keyAt("search_vectors", 8);
    assert.ok(higher > floor);
    assert.deepEqual(
      await floors(),
      [
        `search_head_vectors recent ${higher} true`,
        `search_vectors recent ${higher} true`,
        `search_vectors wide ${wide} true`,
      ],
      "the lower ones are dropped; the wide one holds 32 rows of its 48",
    );
    await add(16);
    const again = await refreshRecentIndexes(tdb.db, 8);
    const wider = await keyAt("search_vectors", 24);
    assert.ok(again.includes(`search_vectors_wide_${wider}`), "48: the wide one built higher too");
    assert.deepEqual(
      (await floors()).filter((f) => f.includes(" wide ")),
      [`search_vectors wide ${wider} true`],
      "the lower wide one is dropped",
    );
  });

  it("drops a build that failed (left invalid) and builds it again", async () => {
    const [broken] = await recentIndexes(tdb.db);
    assert.ok(broken);
    await sql`update pg_index set indisvalid = false where indexrelid = ${broken.name}::regclass`.execute(
      tdb.db,
    );
    assert.ok((await floors()).some((f) => f.endsWith(" false")));
    const built = await refreshRecentIndexes(tdb.db, 8);
    assert.ok(
      built.some((name) => name.startsWith(`${broken.table}_${broken.tier}_`)),
      "built again",
    );
    const now = await recentIndexes(tdb.db);
    assert.ok(!now.some((x) => x.name === broken.name && !x.valid), "the invalid one is gone");
    assert.deepEqual(
      now.map((x) => x.valid),
      [true, true, true],
    );
  });

  it("leaves the work to another process already at it, and does nothing inside a transaction", async () => {
    await add(16);
    await withOwnConnection(tdb, async (other) => {
      const lock = RECENT_LOCK_KEY.compile(tdb.db);
      await other.query(`select pg_advisory_lock(${lock.sql})`, [...lock.parameters]);
      assert.deepEqual(await refreshRecentIndexes(tdb.db, 8), [], "locked by the other process");
      await other.query(`select pg_advisory_unlock(${lock.sql})`, [...lock.parameters]);
    });
    assert.deepEqual(
      await tdb.db.transaction().execute((trx) => refreshRecentIndexes(trx, 8)),
      [],
      "CREATE INDEX CONCURRENTLY cannot run in a transaction",
    );
    assert.equal((await refreshRecentIndexes(tdb.db, 8)).length, 2, "then built");
  });
  it("a window starting above the floor reads it, and finds the same newest matches", async () => {
    const db = tdb.db;
    // 20,000 older rows, straight into the tables (a few documents are too few for the planner
    // to look past the primary key): "saffron" is in one in fifty. An index over the newest
    // 2,000, and a window of the newest 1,000.
    await sql`insert into search_documents (doc_key, id, source, kind, lang, title, strap, path,
        body_text, title_terms, strap_terms, vocab, published_at, indexed_at)
      select g, gen_random_uuid(), 'article', 'news', 'en', 'olive', '', '/x/' || g, '', 'oliv', '', '',
        now(), now() from generate_series(1, 20000) g`.execute(db);
    await sql`insert into search_vectors (doc_key, kind, lang, vec)
      select g, 'news', 'en', array_to_tsvector(array_remove(array['oliv', 'w' || g,
        case when g % 50 = 0 then 'saffron' end], null)) from generate_series(1, 20000) g`.execute(db);
    await sql`analyze search_vectors`.execute(db);
    for (const x of await recentIndexes(db)) await sql`drop index ${sql.id(x.name)}`.execute(db);
    assert.deepEqual(await refreshRecentIndexes(db, 2000), [
      "search_vectors_recent_" + (await keyAt("search_vectors", 2000)),
      "search_vectors_wide_" + (await keyAt("search_vectors", 6000)),
    ]);
    const recent = await ofTier("recent");
    await assertWindowOnIndex(await keyAt("search_vectors", 1000), 1000, recent.name);
  });

  it("a window deeper than the recent index, within its reach, starts at its floor instead", async () => {
    const db = tdb.db;
    // As the previous test left it: 20,000 and more rows, an index over the newest 2,000 and a
    // wide one over the newest 6,000.
    const recent = await ofTier("recent");
    const wide = await ofTier("wide");
    forgetLadder(db);
    for (let i = 0; i < 200 && recentRange(db, "vec") === null; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(recentRange(db, "vec"), { tier: "recent", floor: recent.floor, rows: 2000 });
    assert.deepEqual(recentRange(db, "vec", "wide"), { tier: "wide", floor: wide.floor, rows: 6000 });
    assert.equal(recentRange(db, "head_vec"), null, "the other table has none now");
    // The kept keys are at depths 256, 512, … : 1,000 rows start at depth 1,024, above the floor.
    assert.equal(windowStartWithin(db, "vec", 1000, 1), await keyAt("search_vectors", 1024));
    // 3,000 rows would start at depth 4,096, below the floor, where the table's whole GIN lists
    // are read: the floor instead. One word reaches twice the index's rows, several words three
    // times (RECENT_REACH).
    assert.equal(windowStartWithin(db, "vec", 3000, 1), recent.floor);
    assert.equal(windowStartWithin(db, "vec", RECENT_REACH.oneWord * 2000, 1), recent.floor);
    assert.equal(windowStartWithin(db, "vec", RECENT_REACH.words * 2000, 2), recent.floor);
    // Past their reach, the window's own start: the wide index serves only the windows made for
    // it (chooseStrategy's `wide`), which start at its floor (newestPg).
    assert.equal(
      windowStartWithin(db, "vec", RECENT_REACH.oneWord * 2000 + 1, 1),
      await keyAt("search_vectors", 4096),
      "past one word's reach, the window's own start",
    );
    assert.equal(
      windowStartWithin(db, "vec", RECENT_REACH.words * 2000 + 1, 4),
      await keyAt("search_vectors", 8192),
      "past several words' reach, the window's own start",
    );
    assert.equal(
      windowStartWithin(db, "head_vec", 50, 1),
      null,
      "fewer rows than any kept depth, no recent index",
    );
    // Started at the floor, the window reads the recent index and finds the newest matches;
    // started at the wide floor, the wide index.
    await assertWindowOnIndex(recent.floor, 3000, recent.name);
    await assertWindowOnIndex(wide.floor, 6000, wide.name);
    // The wide index's ~120 "saffron" rows are too few for 200: every match is found instead.
    const match = matchQueryOf(planQuery("saffron").groups);
    const keys = async (strategy: Parameters<typeof newestKeys>[4], start: number | null = null) =>
      (await newestKeys(match, {}, "vec", 200, strategy, start).execute(db)).rows.map((r) =>
        Number(r.doc_key),
      );
    const all = await keys({ kind: "bitmap" });
    assert.equal(all.length, 200);
    assert.deepEqual(await keys({ kind: "window", windowRows: 6000, wide: true }, wide.floor), all);
    // The short index's ~40 are too few for 100, the wide index's ~120 enough: the window is
    // widened to the wide floor, and GIN's list of the whole table is not read.
    const want = (await newestKeys(match, {}, "vec", 100, { kind: "bitmap" }).execute(db)).rows.map((r) =>
      Number(r.doc_key),
    );
    /** Runs the statement where its plans are reported: the keys it finds, and the GIN indexes read. */
    const keysAndGinScans = (statement: ReturnType<typeof newestKeys>) =>
      withPlansReported(tdb, async (client, plans) => {
        const compiled = statement.compile(db);
        const found = await client.query<{ doc_key: string }>(compiled.sql, [...compiled.parameters]);
        const scans = plans.join("\n").match(/Bitmap Index Scan on \w+/g) ?? [];
        return {
          keys: found.rows.map((r) => Number(r.doc_key)),
          gin: scans.filter((x) => !x.endsWith("_pkey")).map((x) => x.slice("Bitmap Index Scan on ".length)),
        };
      });
    assert.deepEqual(
      await keysAndGinScans(
        newestKeys(match, {}, "vec", 100, { kind: "window", windowRows: 2000 }, recent.floor),
      ),
      { keys: want, gin: [recent.name, wide.name] },
    );
    // A walk down the newest 1,000 rows finds ~20: it falls back to a window from the wide floor,
    // not to every match.
    assert.deepEqual(
      await keysAndGinScans(
        newestKeys(match, {}, "vec", 100, { kind: "walk", walkRows: 1000 }, null, wide.floor),
      ),
      { keys: want, gin: [wide.name] },
    );
    // Below a date bound under the wide floor, the walk falls back to every match.
    const below = { maxKey: wide.floor - 1 };
    assert.deepEqual(
      (
        await newestKeys(
          match,
          below,
          "vec",
          100,
          { kind: "walk", walkRows: 1000 },
          null,
          wide.floor,
        ).execute(db)
      ).rows.map((r) => Number(r.doc_key)),
      (await newestKeys(match, below, "vec", 100, { kind: "bitmap" }).execute(db)).rows.map((r) =>
        Number(r.doc_key),
      ),
    );
  });

  it("keeps a window function for the recent index's floor, and hands windows below it on", async () => {
    const db = tdb.db;
    const recent = await ofTier("recent");
    assert.equal(
      (await recentWindowFloors(db, "search_vectors"))?.recent,
      recent.floor,
      "written when it was built",
    );
    assert.equal(
      (await recentWindowFloors(db, "search_head_vectors"))?.recent,
      null,
      "no recent index there: none",
    );
    // This schema's: a test database may hold other schemas with the same function.
    const { rows } = await sql<{ src: string }>`select prosrc as src from pg_proc
      where proname = ${recentWindowFunction("search_vectors")}
        and pronamespace = current_schema()::regnamespace`.execute(db);
    assert.equal(rows.length, 1);
    assert.match(rows[0]!.src, new RegExp(`v\\.doc_key >= ${recent.floor} `), "the floor as a literal");
    const wide = await ofTier("wide");
    assert.match(rows[0]!.src, new RegExp(`v\\.doc_key >= ${wide.floor} `), "and the wide index's");
    assert.deepEqual(await recentWindowFloors(db, "search_vectors"), {
      recent: recent.floor,
      wide: wide.floor,
    });
    assert.deepEqual(await recentWindowFloors(db, "search_head_vectors"), { recent: null, wide: null });
    // A window below the floors goes to the general function (its statement names the window's
    // start), which finds the same newest matches without the recent indexes.
    await assertWindowOnIndex(
      await keyAt("search_vectors", 8192),
      8192,
      /^(?![\s\S]*_(recent|wide)_)[\s\S]*Bitmap Index Scan on search_vectors_(vec|pkey)/,
    );
    // Written for other floors (as after an index moved, before the next check), windows still
    // find the same matches, and the next check writes them again.
    await writeRecentWindowFunction(db, "search_vectors", recent.floor + 1);
    assert.deepEqual(await recentWindowFloors(db, "search_vectors"), {
      recent: recent.floor + 1,
      wide: null,
    });
    // (Through the general function, whose plan may take either recent index.)
    await assertWindowOnIndex(recent.floor, 3000, /Bitmap Index Scan on search_vectors_(recent|wide)_[0-9]+/);
    await assertWindowOnIndex(wide.floor, 6000, /Bitmap Index Scan on search_vectors_(wide_[0-9]+|vec)/);
    assert.deepEqual(await refreshRecentIndexes(db, 2000), []);
    assert.deepEqual(await recentWindowFloors(db, "search_vectors"), {
      recent: recent.floor,
      wide: wide.floor,
    });
  });
});

describe("PostgreSQL sets the wide index aside while a rebuild writes every document again", () => {
  let tdb: TestDatabase;
  const tiers = async () =>
    (await recentIndexes(tdb.db)).map((x) => `${x.table} ${x.tier} ${x.valid}`).sort();
  const withWide = [
    "search_head_vectors recent true",
    "search_vectors recent true",
    "search_vectors wide true",
  ];
  const withoutWide = ["search_head_vectors recent true", "search_vectors recent true"];

  before(async () => {
    tdb = await freshDatabase("postgres");
    const docs = Array.from({ length: 60 }, (_, i) => doc(i));
    await tdb.db.transaction().execute((trx) => indexDocuments(trx, docs, clock));
    await refreshRecentIndexes(tdb.db, 8);
    assert.deepEqual(await tiers(), withWide);
  });
  after(() => tdb.drop());

  it("drops it, and no check builds it again until the work is done", async () => {
    const db = tdb.db;
    const out = await withoutWideIndex(db, async () => {
      assert.deepEqual(await tiers(), withoutWide);
      assert.deepEqual(
        await recentWindowFloors(db, "search_vectors"),
        { recent: (await onlyOfTier(db, "recent")).floor, wide: null },
        "the window function no longer names it",
      );
      assert.deepEqual(await refreshRecentIndexes(db, 8), [], "a check meanwhile leaves the indexes alone");
      return "done";
    });
    assert.equal(out, "done");
    assert.deepEqual(await tiers(), withoutWide);
    const built = await refreshRecentIndexes(db, 8);
    assert.deepEqual(
      built.map((name) => name.replace(/[0-9]+$/, "")),
      ["search_vectors_wide_"],
      "the next check builds it",
    );
    assert.deepEqual(await tiers(), withWide);
  });

  it("waits for a check under way, and gives the lock back when the work fails", async () => {
    const db = tdb.db;
    const lock = RECENT_LOCK_KEY.compile(db);
    let ran = false;
    await withOwnConnection(tdb, async (other) => {
      await other.query(`select pg_advisory_lock(${lock.sql})`, [...lock.parameters]);
      const work = withoutWideIndex(db, async () => {
        ran = true;
        throw new Error("the rebuild failed");
      });
      work.catch(() => {}); // asserted below
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal(ran, false, "not while the other holds the lock");
      assert.deepEqual(await tiers(), withWide, "nothing dropped yet");
      await other.query(`select pg_advisory_unlock(${lock.sql})`, [...lock.parameters]);
      await assert.rejects(work, /the rebuild failed/);
    });
    assert.equal(ran, true);
    assert.equal((await refreshRecentIndexes(db, 8)).length, 1, "the lock is free again: rebuilt");
  });

  it("rasai search reindex (reindexAll) runs without it", async () => {
    const db = tdb.db;
    const seen: string[][] = [];
    await reindexAll(db, clock, async () => {
      seen.push(await tiers());
    });
    assert.ok(seen.length > 0);
    for (const s of seen) assert.deepEqual(s, withoutWide);
  });
});

describe("PostgreSQL builds every due recent index at once at the end of a rebuild", () => {
  let tdb: TestDatabase;
  const add = documentAdder(() => tdb.db);
  const keyAt = (table: string, depth: number) => keyAtDepth(tdb.db, table, depth);
  const floors = () => floorsOf(tdb.db);

  before(async () => {
    tdb = await freshDatabase("postgres");
    await add(60);
  });
  after(() => tdb.drop());

  it("finishRebuild builds them all, on both tables, and the window functions name them", async () => {
    const db = tdb.db;
    assert.deepEqual(await floors(), []);
    await finishRebuild(db, { recentRows: 8 });
    const recent = await keyAt("search_vectors", 8);
    const wide = await keyAt("search_vectors", 8 * WIDE_FACTOR);
    assert.deepEqual(await floors(), [
      `search_head_vectors recent ${recent} true`,
      `search_vectors recent ${recent} true`,
      `search_vectors wide ${wide} true`,
    ]);
    assert.deepEqual(await recentWindowFloors(db, "search_vectors"), { recent, wide });
    assert.deepEqual(await recentWindowFloors(db, "search_head_vectors"), { recent, wide: null });
  });

  it("builds higher ones the same way as one at a time, and drops those they replace", async () => {
    const db = tdb.db;
    await add(7);
    assert.deepEqual(await refreshRecentIndexes(db, 8, { atOnce: true }), [], "15 above: kept");
    await add(1);
    const higher = await keyAt("search_vectors", 8);
    const wide = (await recentIndexes(db)).find((x) => x.tier === "wide")!.floor;
    assert.deepEqual((await refreshRecentIndexes(db, 8, { atOnce: true })).sort(), [
      `search_head_vectors_recent_${higher}`,
      `search_vectors_recent_${higher}`,
    ]);
    assert.deepEqual(await floors(), [
      `search_head_vectors recent ${higher} true`,
      `search_vectors recent ${higher} true`,
      `search_vectors wide ${wide} true`,
    ]);
    assert.deepEqual(await recentWindowFloors(db, "search_vectors"), { recent: higher, wide });
    assert.deepEqual(await recentWindowFloors(db, "search_head_vectors"), { recent: higher, wide: null });
  });

  it("leaves them to a process already at it, and gives the lock back after", async () => {
    const db = tdb.db;
    await add(16);
    await withOwnConnection(tdb, async (other) => {
      const lock = RECENT_LOCK_KEY.compile(db);
      await other.query(`select pg_advisory_lock(${lock.sql})`, [...lock.parameters]);
      assert.deepEqual(await refreshRecentIndexes(db, 8, { atOnce: true }), []);
      await other.query(`select pg_advisory_unlock(${lock.sql})`, [...lock.parameters]);
    });
    assert.equal((await refreshRecentIndexes(db, 8, { atOnce: true })).length, 3);
    const r = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${RECENT_LOCK_KEY}) as ok`.execute(db);
    assert.equal(r.rows[0]!.ok, true, "free again");
    await sql`select pg_advisory_unlock(${RECENT_LOCK_KEY})`.execute(db);
  });

  it("builds one alone, as after a rebuild over the full index set the wide one aside", async () => {
    const db = tdb.db;
    await withoutWideIndex(db, async () => {});
    const wide = await keyAt("search_vectors", 8 * WIDE_FACTOR);
    assert.deepEqual(await refreshRecentIndexes(db, 8, { atOnce: true }), [`search_vectors_wide_${wide}`]);
    assert.ok((await floors()).includes(`search_vectors wide ${wide} true`));
    assert.equal((await recentWindowFloors(db, "search_vectors"))?.wide, wide);
  });
});
