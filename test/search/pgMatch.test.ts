import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { manualClock } from "../../src/db/clock.ts";
import { isPostgres } from "../../src/db/connect.ts";
import { indexDocuments, type SearchSource } from "../../src/search/indexer.ts";
import {
  chooseStrategy,
  engineStats,
  LONGEST_WALK,
  newestKeys,
  STRATEGY_COSTS,
  TOGETHER,
  type ColumnStats,
  type Strategy,
} from "../../src/search/pgMatch.ts";
import { windowStart } from "../../src/search/pgLadder.ts";
import { RECENT_ROWS } from "../../src/search/pgRecent.ts";
import { matchQueryOf, planQuery } from "../../src/search/plan.ts";
import { finishRebuild } from "../../src/search/maintenance.ts";
import { candidatesOf, keyBounds, matchNewest, type MatchQuery } from "../../src/search/queries.ts";
import { freshDatabase, onBothDatabases, withPlansReported, type TestDatabase } from "../helpers/db.ts";

const stats = (rows: number, freq: Record<string, number>, minFreq: number): ColumnStats => ({
  rows,
  freq: new Map(Object.entries(freq)),
  minFreq,
});
const q = (...groups: string[][]): MatchQuery =>
  groups.map((g) => g.map((term) => ({ term, prefix: false })));

/**
 * `n` rows numbered 1 to n straight into search_documents and search_vectors, each holding "olive"
 * and a word of its own, then analysed: a table big enough for the planner to weigh its heap.
 */
async function insertOliveRows(tdb: TestDatabase, n: number): Promise<void> {
  await sql`insert into search_documents (doc_key, id, source, kind, lang, title, strap, path,
      body_text, title_terms, strap_terms, vocab, published_at, indexed_at)
    select g, gen_random_uuid(), 'article', 'news', 'en', 'olive', '', '/x/' || g, '', 'oliv', '', '',
      now(), now() from generate_series(1, ${n}::int) g`.execute(tdb.db);
  await sql`insert into search_vectors (doc_key, kind, lang, vec)
    select g, 'news', 'en', array_to_tsvector(array['oliv', 'w' || g])
    from generate_series(1, ${n}::int) g`.execute(tdb.db);
  await sql`analyze search_vectors`.execute(tdb.db);
}

describe("PostgreSQL match strategy", () => {
  it("walks down the newest documents for a common word, bounded to a few times the expected rows", () => {
    const s = chooseStrategy(q(["common"]), stats(100_000, { common: 0.4 }, 0.01), 100);
    assert.deepEqual(s, { kind: "walk", walkRows: 750 });
  });

  it("lets GIN find a rare word's few matches and sorts them", () => {
    assert.equal(chooseStrategy(q(["rare"]), stats(100_000, {}, 0.01), 100).kind, "bitmap");
  });

  it("for a middling word, and-s GIN's matches with the newest rows' keys", () => {
    const s = chooseStrategy(q(["middling"]), stats(100_000, { middling: 0.05 }, 0.01), 100);
    assert.deepEqual(s, { kind: "window", windowRows: 4000 }, "twice the 2,000 rows expected to hold 100");
  });

  it("judges words together: two fairly common words rarely meet, so GIN's list pays", () => {
    const st = stats(100_000, { a: 0.4, b: 0.25 }, 0.001);
    assert.equal(chooseStrategy(q(["a"]), st, 100).kind, "walk", "a alone is common enough to walk");
    assert.equal(chooseStrategy(q(["a"], ["b"]), st, 100).kind, "window", "10% match");
  });

  it("GIN steps through the rarest word's list: beside a word in half the documents, a middling one still goes through GIN", () => {
    const st = stats(100_000, { a: 0.05, c: 0.6, d: 0.6 }, 0.001);
    assert.equal(
      chooseStrategy(q(["a"], ["c"]), st, 100).kind,
      "window",
      "2.5% match, through a's 5k entries",
    );
    assert.equal(chooseStrategy(q(["c"], ["d"]), st, 100).kind, "walk", "36% match: the newest rows do");
  });

  it("the bigger the table, the more a window saves: a word in 0.4% of documents", () => {
    const at = (rows: number) => chooseStrategy(q(["a"]), stats(rows, { a: 0.004 }, 0.0001), 100).kind;
    assert.equal(at(100_000), "bitmap", "400 matches to visit");
    assert.equal(at(1_000_000), "window", "4,000 matches to visit, or the newest 50,000 rows' keys");
  });

  it("several words GIN would read every match of look among the wide index's rows first, when the table should hold enough", () => {
    // Four words in 20% of documents each: 0.16% together counted as independent, which would
    // have the bitmap; four words asked together match ~1.8 times that (TOGETHER).
    const four = q(["a"], ["b"], ["c"], ["d"]);
    const st = (rows: number, f: number) => stats(rows, { a: f, b: f, c: f, d: f }, 0.0001);
    assert.equal(TOGETHER[4], 1.8);
    assert.deepEqual(chooseStrategy(four, st(100_000, 0.2), 100), { kind: "bitmap" }, "no wide index");
    assert.deepEqual(
      chooseStrategy(four, st(100_000, 0.2), 100, "vec", STRATEGY_COSTS, 49_152),
      { kind: "window", windowRows: 49_152, wide: true },
      "0.16% × 1.8 × 100,000: ~288 expected in the table, twice the 100 asked for is 200",
    );
    assert.deepEqual(
      chooseStrategy(four, st(100_000, 0.15), 100, "vec", STRATEGY_COSTS, 49_152),
      { kind: "bitmap" },
      "~91 expected: too few to be worth the attempt",
    );
    // A million documents: the wide index is a twentieth of the table, the attempt costs little.
    assert.deepEqual(
      chooseStrategy(four, st(1_000_000, 0.15), 100, "vec", STRATEGY_COSTS, 49_152),
      { kind: "window", windowRows: 49_152, wide: true },
      "~911 expected in the table",
    );
    // Two words come together about as often as counted.
    const two = q(["e"], ["f"]);
    const st2 = (f: number) => stats(100_000, { e: f, f }, 0.0001);
    assert.equal(chooseStrategy(two, st2(0.04), 100, "vec", STRATEGY_COSTS, 49_152).kind, "bitmap", "160");
    assert.deepEqual(
      chooseStrategy(two, st2(0.045), 100, "vec", STRATEGY_COSTS, 49_152),
      { kind: "window", windowRows: 49_152, wide: true },
      "~203",
    );
    // One word's count is its own: a rare one keeps the bitmap whatever the wide index holds.
    const one = stats(100_000, { g: 0.0025 }, 0.0001);
    assert.equal(chooseStrategy(q(["g"]), one, 100, "vec", STRATEGY_COSTS, 98_000).kind, "bitmap");
  });

  it("a window deeper than the kept keys pays for finding where it starts", () => {
    // A word in 0.15% of a million documents: a window of ~133k rows, past the deepest kept key
    // (65,536). Without the cost of walking down to its start it would look cheaper than the
    // bitmap's 1,500 matches.
    const st = stats(1_000_000, { a: 0.0015 }, 0.0001);
    assert.equal(chooseStrategy(q(["a"]), st, 100).kind, "bitmap");
  });

  it("no window in a table too small to keep a short index over its newest rows: a walk or the bitmap", () => {
    // At 10k rows the planner reads a window by testing each of its vectors: a walk that cannot stop.
    const st = stats(10_000, { common: 0.4, middling: 0.05 }, 0.001);
    assert.deepEqual(chooseStrategy(q(["common"]), st, 100), { kind: "walk", walkRows: 750 });
    assert.deepEqual(chooseStrategy(q(["middling"]), st, 100), { kind: "bitmap" });
    const big = stats(2 * RECENT_ROWS, { middling: 0.05 }, 0.001);
    assert.equal(chooseStrategy(q(["middling"]), big, 100).kind, "window", "from twice RECENT_ROWS on");
  });

  it("a walk of LONGEST_WALK rows or more is a window, where the short recent index serves it", () => {
    // A word in 25% of documents: 400 rows expected to hold 100, a walk of 1,200, a window of 800.
    const st = (rows: number) => stats(rows, { w: 0.25, common: 0.4 }, 0.001);
    assert.equal(LONGEST_WALK, 1000);
    assert.deepEqual(chooseStrategy(q(["w"]), st(100_000), 100), { kind: "window", windowRows: 800 });
    assert.deepEqual(
      chooseStrategy(q(["w"]), st(10_000), 100),
      { kind: "walk", walkRows: 1200 },
      "no recent index",
    );
    assert.deepEqual(
      chooseStrategy(q(["common"]), st(100_000), 100),
      { kind: "walk", walkRows: 750 },
      "a short walk stays one",
    );
    // Four words in 30% of a million documents each: 0.81% together, a walk of 37,038 rows (GIN's
    // lists would cost more), a window of 24,692 — beyond the short index: the walk stands.
    const four = stats(1_000_000, { a: 0.3, b: 0.3, c: 0.3, d: 0.3 }, 0.001);
    assert.deepEqual(chooseStrategy(q(["a"], ["b"], ["c"], ["d"]), four, 100), {
      kind: "walk",
      walkRows: 37_038,
    });
  });

  it("never spans the whole table: there the bitmap costs less", () => {
    assert.deepEqual(chooseStrategy(q(["a"]), stats(300, { a: 0.1 }, 0.01), 100), { kind: "bitmap" });
  });

  it("a word's spellings add up: OR-ed alternatives make a match more likely", () => {
    const st = stats(100_000, { a: 0.003, "0a": 0.3 }, 0.0001);
    assert.equal(chooseStrategy(q(["a"]), st, 100).kind, "bitmap");
    assert.equal(chooseStrategy(q(["a", "0a"]), st, 100).kind, "walk");
  });

  it("a prefix counts every listed word it starts, plus what is off the list", () => {
    const st = stats(100_000, { "ab*": 0.3 }, 0.01);
    const prefix: MatchQuery = [[{ term: "ab", prefix: true }]];
    assert.equal(chooseStrategy(prefix, st, 100).kind, "walk");
    assert.equal(chooseStrategy(prefix, stats(100_000, { "ab*": 0 }, 0.001), 100).kind, "bitmap");
  });

  it("without statistics (never analysed) it walks a bounded stretch and then falls back", () => {
    assert.deepEqual(chooseStrategy(q(["x"]), undefined, 100), { kind: "walk", walkRows: 2000 });
    assert.deepEqual(chooseStrategy(q(["x"]), stats(0, {}, 0), 100), { kind: "walk", walkRows: 2000 });
  });
});

onBothDatabases("newest matches are the same whichever way they are found", (get) => {
  const clock = manualClock("2026-11-25T06:00:00Z");
  const start = Date.parse("2026-01-01T00:00:00Z");
  const HOUR = 3_600_000;
  // 300 documents an hour apart: every one has "olive", every third "harvest", every 50th "press".
  const docs: SearchSource[] = Array.from({ length: 300 }, (_, i) => ({
    id: `0190a000-0000-7000-8000-${String(i).padStart(12, "0")}`,
    source: "article",
    centre_id: null,
    kind: i % 2 === 0 ? "news" : "guide",
    lang: "en",
    title: `olive ${i % 3 === 0 ? "harvest" : "grove"} ${i}`,
    strap: "",
    body_text: `olive oil ${i % 50 === 0 ? "press" : "jar"}`,
    path: `/articles/${i}`,
    published_at: new Date(start + i * HOUR).toISOString(),
    expires_at: null,
  }));
  const expected = (keep: (i: number) => boolean, limit: number) =>
    docs
      .map((_, i) => i)
      .filter(keep)
      .reverse()
      .slice(0, limit)
      .map((i) => `/articles/${i}`);

  before(async () => {
    await get()
      .db.transaction()
      .execute((trx) => indexDocuments(trx, docs, clock));
    await finishRebuild(get().db);
  });

  /** Paths of the newest matches, found as the statistics suggest or in the given shape (PostgreSQL). */
  async function paths(
    text: string,
    how: ColumnStats | Strategy | undefined,
    opts: { limit?: number; headOnly?: boolean; filters?: Record<string, string> } = {},
  ): Promise<string[]> {
    const db = get().db;
    const match = matchQueryOf(planQuery(text).groups);
    const filters = opts.filters ?? {};
    const limit = opts.limit ?? 10;
    let keys: number[];
    if (how && "kind" in how && isPostgres(db)) {
      const { from: _f, to: _t, ...rest } = filters;
      const column = opts.headOnly ? "head_vec" : "vec";
      const statement = newestKeys(match, { ...rest, ...keyBounds(filters) }, column, limit, how);
      keys = (await statement.execute(db)).rows.map((r) => Number(r.doc_key));
    } else {
      const st = how && !("kind" in how) ? how : undefined;
      const found = await matchNewest(db, match, filters, {
        headOnly: opts.headOnly ?? false,
        limit,
        needles: [],
        stats: st ? { vec: st, head_vec: st } : undefined,
      });
      keys = found.map((r) => Number(r.doc_key));
    }
    const rows = await db
      .selectFrom("search_documents")
      .select(["doc_key", "path"])
      .where("doc_key", "in", keys.length ? keys : [-1])
      .execute();
    const byKey = new Map(rows.map((r) => [Number(r.doc_key), r.path]));
    return keys.map((k) => byKey.get(k)!);
  }

  const asWalk = stats(300, { oliv: 1, "0lv": 1, harvest: 1, "0hrvst": 1, press: 1, "0prs": 1 }, 0.5);
  const asBitmap = stats(300, {}, 0.0001);
  // The newest 40 documents first (every document has "olive"; "press" is in one in fifty).
  const asWindow: Strategy = { kind: "window", windowRows: 40 };

  it("a common word: walking and sorting GIN's matches give the newest ten", async () => {
    const want = expected(() => true, 10);
    assert.deepEqual(await paths("olive", asWalk), want);
    assert.deepEqual(await paths("olive", asBitmap), want);
    assert.deepEqual(await paths("olive", asWindow), want);
    assert.deepEqual(await paths("olive", undefined), want);
  });

  it("a walk that runs out of its bound falls back and still finds the rare matches", async () => {
    // Judged common, so the walk is bounded to 3 × 10 rows; "press" is in every 50th document.
    const want = expected((i) => i % 50 === 0, 10);
    assert.equal(want.length, 6);
    assert.deepEqual(await paths("press", asWalk), want);
    assert.deepEqual(await paths("press", asBitmap), want);
    assert.deepEqual(await paths("press", asWindow), want, "too few in the window: all of GIN's matches");
  });

  it("two words and a title-only match agree too", async () => {
    const want = expected((i) => i % 3 === 0, 20);
    assert.deepEqual(await paths("olive harvest", asWalk, { limit: 20 }), want);
    assert.deepEqual(await paths("olive harvest", asBitmap, { limit: 20 }), want);
    assert.deepEqual(await paths("olive harvest", asWindow, { limit: 10 }), want.slice(0, 10));
    assert.deepEqual(await paths("harvest", asWalk, { limit: 20, headOnly: true }), want);
    assert.deepEqual(await paths("jar", asBitmap, { headOnly: true }), [], "body words are not in the head");
  });

  it("filters by kind and by publication date hold on both shapes", async () => {
    const from = new Date(start + 100 * HOUR).toISOString();
    const to = new Date(start + 200 * HOUR).toISOString();
    const want = expected((i) => i >= 100 && i <= 200 && i % 2 === 0, 10);
    for (const st of [asWalk, asBitmap, asWindow, { kind: "window", windowRows: 10 } as const]) {
      assert.deepEqual(await paths("olive", st, { filters: { kind: "news", from, to } }), want);
    }
    const edge = expected((i) => i === 100, 10);
    assert.deepEqual(
      await paths("olive", asWalk, { filters: { from, to: from } }),
      edge,
      "both ends inclusive",
    );
  });

  it("reads the planner's statistics for the query's terms (PostgreSQL)", async () => {
    const db = get().db;
    const match = matchQueryOf(planQuery("olive press").groups);
    const st = await engineStats(db, match);
    if (!isPostgres(db)) return assert.deepEqual(st, {}, "SQLite has no such statistics and needs none");
    assert.ok(st.vec && st.head_vec, "both vector columns analysed");
    assert.equal(st.vec.rows, 300);
    assert.equal(st.vec.freq.get("oliv"), 1, "olive is in every document");
    assert.ok((st.vec.freq.get("press") ?? 0) < 0.1, "press in one in fifty");
    assert.equal(chooseStrategy(q(["oliv"]), st.vec, 10).kind, "walk");
  });
});

describe("PostgreSQL keeps the vectors out of the rows GIN's matches visit", () => {
  let tdb: TestDatabase;
  const clock = manualClock("2026-11-25T06:00:00Z");
  const words = (n: number, from: number) => Array.from({ length: n }, (_, i) => `word${from + i}`).join(" ");
  // Short documents (a vector of a few terms) and long ones (~300 distinct terms, past 2 KB).
  const docs: SearchSource[] = Array.from({ length: 200 }, (_, i) => ({
    id: `0190a000-0000-7000-8000-${String(i).padStart(12, "0")}`,
    source: "article",
    centre_id: null,
    kind: "news",
    lang: "en",
    title: `olive ${i}`,
    strap: i % 2 === 0 ? words(20, i) : "",
    body_text: i % 2 === 0 ? words(300, i * 7) : "olive oil",
    path: `/articles/${i}`,
    published_at: new Date(Date.parse("2026-01-01T00:00:00Z") + i * 3_600_000).toISOString(),
    expires_at: null,
  }));

  before(async () => {
    tdb = await freshDatabase("postgres");
    await tdb.db.transaction().execute((trx) => indexDocuments(trx, docs, clock));
    await finishRebuild(tdb.db);
  });
  after(() => tdb.drop());

  it("stores each vector in TOAST, short or long, so a row is under 150 bytes", async () => {
    for (const table of ["search_vectors", "search_head_vectors"]) {
      const r = await sql<{ heap: number; toast: number; vectors: number }>`
        select pg_relation_size(c.oid) as heap, pg_relation_size(c.reltoastrelid) as toast,
          (select sum(pg_column_size(v)) from (select * from ${sql.table(table)}) t(k, a, b, c, v)) as vectors
        from pg_class c where c.oid = ${table}::regclass`.execute(tdb.db);
      const { heap, toast, vectors } = r.rows[0]!;
      assert.ok(Number(heap) <= docs.length * 150, `${table}: ${heap} bytes of heap for ${docs.length} rows`);
      assert.ok(
        Number(toast) >= Number(vectors),
        `${table}: the vectors (${vectors} bytes) are in TOAST (${toast})`,
      );
    }
  });

  it("finds the matches of a word in every document through GIN, not by reading every vector", async () => {
    // 20,000 more rows, straight into the tables: enough that reading the small heap looks cheap.
    await insertOliveRows(tdb, 20_000);
    const naive = sql`select doc_key from search_vectors where vec @@ 'oliv'::tsquery order by doc_key + 0 desc limit 10`;
    const explained = await sql<{ "QUERY PLAN": string }>`explain ${naive}`.execute(tdb.db);
    assert.match(
      JSON.stringify(explained.rows),
      /Seq Scan/,
      "left to itself the planner reads the small heap",
    );
    // The plan inside the function, as auto_explain reports it to this client.
    await withPlansReported(tdb, async (client, plans) => {
      const ours = newestKeys(matchQueryOf(planQuery("olive").groups), {}, "vec", 10, { kind: "bitmap" });
      const compiled = ours.compile(tdb.db);
      const found = await client.query(compiled.sql, [...compiled.parameters]);
      assert.equal(found.rowCount, 10);
      const inner = plans.find((p) => p.includes("search_vectors v"));
      assert.ok(inner, `the function's own plan was reported: ${plans.join("\n")}`);
      assert.match(inner, /Bitmap Index Scan on search_vectors_vec/);
      assert.doesNotMatch(inner, /Seq Scan/);
      // Planned once for the connection (migration 0010): the kept plan matches a parameter, not
      // the query's own lexemes, which a plan made for this call would show.
      assert.match(inner, /Index Cond: \(vec @@ \$1\)/);
      const again = await client.query(compiled.sql, [...compiled.parameters]);
      assert.equal(again.rowCount, 10);
    });
  });
});

describe("PostgreSQL reads a candidate's kind by its key", () => {
  let tdb: TestDatabase;
  before(async () => {
    tdb = await freshDatabase("postgres");
    await insertOliveRows(tdb, 10_000);
  });
  after(() => tdb.drop());

  it("looks each one up instead of joining the whole table (a one-word search's full list)", async () => {
    await withPlansReported(tdb, async (client, plans) => {
      const keys = newestKeys(matchQueryOf(planQuery("olive").groups), {}, "vec", 100, { kind: "bitmap" });
      const compiled = candidatesOf(keys, null, true).compile(tdb.db);
      const found = await client.query(compiled.sql, [...compiled.parameters]);
      assert.equal(found.rowCount, 100);
      assert.ok(found.rows.every((r: { kind: string }) => r.kind === "news"));
      const outer = plans.find((p) => p.includes("as places"));
      assert.ok(outer, `the statement's plan was reported: ${plans.join("\n")}`);
      assert.match(outer, /Index Scan using search_vectors_pkey/);
      assert.doesNotMatch(outer, /Seq Scan on search_vectors|Hash Join/);
    });
  });
});

describe("PostgreSQL keeps where a window of the newest documents starts", () => {
  let tdb: TestDatabase;
  const clock = manualClock("2026-11-25T06:00:00Z");
  const docs: SearchSource[] = Array.from({ length: 600 }, (_, i) => ({
    id: `0190a000-0000-7000-8000-${String(i).padStart(12, "0")}`,
    source: "article",
    centre_id: null,
    kind: "news",
    lang: "en",
    title: `olive ${i}`,
    strap: "",
    body_text: i % 2 === 0 ? "olive press" : "olive jar",
    path: `/articles/${i}`,
    published_at: new Date(Date.parse("2026-01-01T00:00:00Z") + i * 3_600_000).toISOString(),
    expires_at: null,
  }));

  before(async () => {
    tdb = await freshDatabase("postgres");
    await tdb.db.transaction().execute((trx) => indexDocuments(trx, docs, clock));
    await finishRebuild(tdb.db);
  });
  after(() => tdb.drop());

  it("reads the keys at fixed depths in the background, and a window from one finds the same matches", async () => {
    const db = tdb.db;
    assert.equal(windowStart(db, "vec", 300), null, "not known on the first search, which reads it");
    let start: number | null = null;
    for (let i = 0; i < 100 && start === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      start = windowStart(db, "vec", 300);
    }
    const at512 = await sql<{ k: number }>`select doc_key as k from search_vectors
      order by doc_key desc offset 511 limit 1`.execute(db);
    assert.equal(start, Number(at512.rows[0]!.k), "300 rows: the 512th newest key");
    assert.equal(windowStart(db, "vec", 1000), null, "deeper than the table");
    const match = matchQueryOf(planQuery("press").groups);
    const window = { kind: "window", windowRows: 300 } as const;
    const keys = async (from: number | null) =>
      (await newestKeys(match, {}, "vec", 100, window, from).execute(db)).rows.map((r) => Number(r.doc_key));
    const all = await keys(null);
    assert.equal(all.length, 100);
    assert.deepEqual(await keys(start), all);
    assert.deepEqual(await keys(Number.MAX_SAFE_INTEGER), all, "an empty window falls back to every match");
  });
});
