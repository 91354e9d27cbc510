import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { manualClock } from "../../src/db/clock.ts";
import { isPostgres } from "../../src/db/connect.ts";
import { indexDocuments, type SearchSource } from "../../src/search/indexer.ts";
import { chooseStrategy, engineStats, type ColumnStats } from "../../src/search/pgMatch.ts";
import { matchQueryOf, planQuery } from "../../src/search/plan.ts";
import { matchNewest, finishRebuild, type MatchQuery } from "../../src/search/queries.ts";
import { onBothDatabases } from "../helpers/db.ts";

const stats = (rows: number, freq: Record<string, number>, minFreq: number): ColumnStats => ({
  rows,
  freq: new Map(Object.entries(freq)),
  minFreq,
});
const q = (...groups: string[][]): MatchQuery =>
  groups.map((g) => g.map((term) => ({ term, prefix: false })));

describe("PostgreSQL match strategy", () => {
  it("walks down the newest documents for a common word, bounded to a few times the expected rows", () => {
    const s = chooseStrategy(q(["common"]), stats(100_000, { common: 0.4 }, 0.01), 100);
    assert.deepEqual(s, { kind: "walk", walkRows: 750 });
  });

  it("lets GIN find a rare word's few matches and sorts them", () => {
    assert.equal(chooseStrategy(q(["rare"]), stats(100_000, {}, 0.01), 100).kind, "bitmap");
  });

  it("judges words together: two middling words rarely meet, so the bitmap wins", () => {
    const st = stats(100_000, { a: 0.05, b: 0.05 }, 0.001);
    assert.equal(chooseStrategy(q(["a"]), st, 100).kind, "walk", "either alone is common enough to walk");
    assert.equal(chooseStrategy(q(["a"], ["b"]), st, 100).kind, "bitmap");
  });

  it("GIN reads each word's whole list: beside a word in half the documents, walking wins", () => {
    const st = stats(100_000, { a: 0.05, b: 0.2, c: 0.5 }, 0.001);
    assert.equal(chooseStrategy(q(["a"], ["b"]), st, 100).kind, "bitmap", "1% match; lists of 25k entries");
    assert.equal(chooseStrategy(q(["a"], ["c"]), st, 100).kind, "walk", "2.5% match; lists of 55k entries");
  });

  it("a word's spellings add up: OR-ed alternatives make a match more likely", () => {
    const st = stats(100_000, { a: 0.02, "0a": 0.3 }, 0.001);
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

  async function paths(
    text: string,
    st: ColumnStats | undefined,
    opts: { limit?: number; headOnly?: boolean; filters?: Record<string, string> } = {},
  ): Promise<string[]> {
    const db = get().db;
    const match = matchQueryOf(planQuery(text).groups);
    const found = await matchNewest(db, match, opts.filters ?? {}, {
      headOnly: opts.headOnly ?? false,
      limit: opts.limit ?? 10,
      stats: st ? { vec: st, head_vec: st } : undefined,
    });
    const keys = found.map((r) => Number(r.doc_key));
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

  it("a common word: walking and sorting GIN's matches give the newest ten", async () => {
    const want = expected(() => true, 10);
    assert.deepEqual(await paths("olive", asWalk), want);
    assert.deepEqual(await paths("olive", asBitmap), want);
    assert.deepEqual(await paths("olive", undefined), want);
  });

  it("a walk that runs out of its bound falls back and still finds the rare matches", async () => {
    // Judged common, so the walk is bounded to 3 × 10 rows; "press" is in every 50th document.
    const want = expected((i) => i % 50 === 0, 10);
    assert.equal(want.length, 6);
    assert.deepEqual(await paths("press", asWalk), want);
    assert.deepEqual(await paths("press", asBitmap), want);
  });

  it("two words and a title-only match agree too", async () => {
    const want = expected((i) => i % 3 === 0, 20);
    assert.deepEqual(await paths("olive harvest", asWalk, { limit: 20 }), want);
    assert.deepEqual(await paths("olive harvest", asBitmap, { limit: 20 }), want);
    assert.deepEqual(await paths("harvest", asWalk, { limit: 20, headOnly: true }), want);
    assert.deepEqual(await paths("jar", asBitmap, { headOnly: true }), [], "body words are not in the head");
  });

  it("filters by kind and by publication date hold on both shapes", async () => {
    const from = new Date(start + 100 * HOUR).toISOString();
    const to = new Date(start + 200 * HOUR).toISOString();
    const want = expected((i) => i >= 100 && i <= 200 && i % 2 === 0, 10);
    for (const st of [asWalk, asBitmap]) {
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
