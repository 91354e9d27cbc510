import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { manualClock } from "../../src/db/clock.ts";
import { analyseDocument } from "../../src/search/analysis.ts";
import { startAnalyser } from "../../src/search/analysisPool.ts";
import { ANALYSED_AHEAD, BULK_WRITERS, indexInBulk } from "../../src/search/bulkIndex.ts";
import type { SearchSource } from "../../src/search/indexer.ts";
import { countIndexed } from "../../src/search/queries.ts";
import {
  emptyLoadPending,
  finishRebuild,
  mergeIndex,
  recountVocabulary,
  restoreAutomerge,
  setBulkIndexing,
  startEmptyLoad,
} from "../../src/search/maintenance.ts";
import { indexDocuments, removeFromIndex, writeAnalysed } from "../../src/search/indexer.ts";
import { getSetting, putSetting } from "../../src/centres/queries.ts";
import {
  INDEX_ANALYSIS,
  indexNeedsBuilding,
  markEmptyIndexCurrent,
  reindexAll,
} from "../../src/search/reindex.ts";
import { search } from "../../src/search/search.ts";
import { isPostgres, type Executor } from "../../src/db/connect.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { fts5Automerge, fts5Segments } from "../helpers/fts5.ts";

const clock = manualClock("2026-11-25T06:00:00Z");

function doc(i: number, title: string, body: string): SearchSource {
  return {
    id: `0190b000-0000-7000-8000-${String(i).padStart(12, "0")}`,
    source: "article",
    centre_id: null,
    kind: "news",
    lang: "ur",
    title,
    strap: "",
    body_text: body,
    path: `/articles/${i}`,
    published_at: new Date(Date.parse("2026-03-01T00:00:00Z") + i * 60_000).toISOString(),
    expires_at: null,
  };
}

const texts = [
  ["کمپیوٹر کورس کیلئے داخلے", "سینٹر میں کمپیوٹر کی تعلیم، وائی فائی اور ہیلتھ کارڈ"],
  ["Computer courses at the centre", "Free WiFi and e-government help for citizens"],
  ["kampiutar course ka daakhla", "shanakhti card banwane ke liye madad"],
] as const;

describe("text analysis on a worker thread", () => {
  it("gives exactly what analysis on this thread gives", async () => {
    const docs = Array.from({ length: 60 }, (_, i) => doc(i, texts[i % 3]![0], `${texts[i % 3]![1]} ${i}`));
    const analyser = startAnalyser();
    try {
      assert.deepEqual(await analyser.analyse(docs), docs.map(analyseDocument));
      assert.deepEqual(await analyser.analyse([]), []);
    } finally {
      await analyser.close();
    }
  });
});

onBothDatabases("bulk indexing", (get) => {
  it("indexes every batch, in order, and the documents are found", async () => {
    const db = get().db;
    const seen: number[] = [];
    const merging: Promise<number[]>[] = [];
    const batches = [0, 1, 2, 3].map((b) =>
      Array.from({ length: 25 }, (_, i) => doc(b * 25 + i, texts[i % 3]![0], texts[i % 3]![1])),
    );
    const indexed = await indexInBulk(db, batches, clock, {
      onBatch: (docs) => {
        seen.push(docs.length);
        if (!isPostgres(db)) merging.push(fts5Automerge(db));
      },
    });
    assert.equal(indexed, 100);
    assert.deepEqual(seen, [25, 25, 25, 25]);
    if (!isPostgres(db)) {
      // SQLite: FTS5 leaves its segments unmerged while the batches go in, and merges again after.
      assert.deepEqual(await merging[0], [0, 0]);
      assert.deepEqual(await fts5Automerge(db), [4, 4]);
    }
    assert.equal(await countIndexed(db), 100);
    const found = await search(db, { q: "kampiutar", limit: 5, offset: 0 }, clock);
    // The newest of the Roman Urdu titles (every third document) matches as typed and ranks first.
    assert.equal(found.results[0]?.path, "/articles/98");
  });

  it("reads a few batches ahead of what it writes, never the whole source", async () => {
    const db = get().db;
    const before = await countIndexed(db);
    let read = 0;
    let written = 0;
    const furthest: number[] = [];
    async function* batches() {
      for (let b = 0; b < 12; b++) {
        read++;
        // The batches being written, and at most ANALYSED_AHEAD behind them, are out of the source.
        furthest.push(read - written);
        yield Array.from({ length: 3 }, (_, i) => doc(600 + b * 3 + i, texts[i]![0], texts[i]![1]));
      }
    }
    const indexed = await indexInBulk(db, batches(), clock, {
      onBatch: () => {
        written++;
      },
    });
    assert.equal(indexed, 36);
    assert.equal(written, 12);
    // PostgreSQL writes BULK_WRITERS batches at once, each out of the source.
    assert.equal(Math.max(...furthest), ANALYSED_AHEAD + (isPostgres(db) ? BULK_WRITERS : 1));
    assert.equal(await countIndexed(db), before + 36);
  });

  it("a batch that fails to write stops the run with its error and leaves earlier batches in place", async () => {
    const db = get().db;
    const before = await countIndexed(db);
    const bad = { ...doc(500, "ٹوٹا ہوا", "ٹوٹا ہوا"), published_at: "not a date" };
    async function* batches() {
      yield [doc(400, "پہلا بیچ", "پہلا بیچ")];
      yield [doc(401, "دوسرا بیچ", "دوسرا بیچ"), bad];
    }
    await assert.rejects(indexInBulk(db, batches(), clock));
    assert.equal(await countIndexed(db), before + 1, "the second batch's transaction rolled back whole");
    if (!isPostgres(db))
      assert.deepEqual(await fts5Automerge(db), [4, 4], "FTS5 merges again after a failed run");
  });
});

onBothDatabases("a bulk load killed outright", (get) => {
  // kill -9 or a power cut: the load's `finally` never runs, and FTS5 keeps merging off.
  it("has merging turned back on by the server's start (restoreAutomerge)", async () => {
    const db = get().db;
    assert.equal(await restoreAutomerge(db), false, "nothing to do when merging is on");
    await setBulkIndexing(db, true);
    if (isPostgres(db)) {
      assert.equal(await restoreAutomerge(db), false, "PostgreSQL has no such setting");
      return;
    }
    assert.deepEqual(await fts5Automerge(db), [0, 0]);
    assert.equal(await restoreAutomerge(db), true);
    assert.deepEqual(await fts5Automerge(db), [4, 4]);
    assert.equal(await restoreAutomerge(db), false, "and says so only once");
  });

  it("has merging turned back on by the nightly merge", async () => {
    const db = get().db;
    await setBulkIndexing(db, true);
    await mergeIndex(db);
    if (!isPostgres(db)) assert.deepEqual(await fts5Automerge(db), [4, 4]);
  });
});

onBothDatabases("a load into an empty index counts the words once, at the end", (get) => {
  const vocabulary = async (db: Executor) =>
    (
      await sql<{
        term: string;
        df: number;
      }>`select term, df from search_vocab where df > 0 order by term`.execute(db)
    ).rows.map((r) => `${r.term}:${Number(r.df)}`);
  const docs = Array.from({ length: 90 }, (_, i) =>
    doc(i, texts[i % 3]![0], `${texts[(i + 1) % 3]![1]} ${i % 7}`),
  );

  it("gives the same word counts as indexing document by document", async () => {
    const db = get().db;
    await db.transaction().execute((trx) => indexDocuments(trx, docs, clock));
    const oneByOne = await vocabulary(db);
    assert.ok(oneByOne.length > 20);
    await db.transaction().execute((trx) =>
      removeFromIndex(
        trx,
        docs.map((d) => d.id),
      ),
    );
    assert.deepEqual(await vocabulary(db), [], "removing every document leaves no count above zero");
    await sql`delete from search_vocab`.execute(db);
    // The vocabulary as each batch is committed, read before the next is written.
    const counts: string[][] = [];
    const batches = Array.from({ length: 9 }, (_, b) => docs.slice(b * 10, b * 10 + 10));
    await indexInBulk(db, batches, clock, {
      onBatch: async () => void counts.push(await vocabulary(db)),
    });
    assert.equal(counts.length, 9);
    // Until the source is used up (the batches being written and ANALYSED_AHEAD more are out of
    // it), nothing is counted. Then PostgreSQL writes the analyser's counts, all at once, while the
    // last batches are written; SQLite writes them after the last.
    const beforeTheEnd = batches.length - ANALYSED_AHEAD - (isPostgres(db) ? BULK_WRITERS : 1);
    assert.ok(beforeTheEnd > 0);
    assert.deepEqual(
      counts.slice(0, beforeTheEnd),
      Array(beforeTheEnd).fill([]),
      "nothing counted per batch",
    );
    for (const c of counts.slice(beforeTheEnd)) {
      if (isPostgres(db) && c.length > 0) assert.deepEqual(c, oneByOne, "never a part of the counts");
      else assert.deepEqual(c, []);
    }
    assert.deepEqual(await vocabulary(db), oneByOne);
    assert.equal(await emptyLoadPending(db), false);
  });

  it("counts again from what is in when a load fails after PostgreSQL wrote the counts early", async () => {
    const db = get().db;
    await emptyIndex(db);
    // The last batch fails to write, after its words were counted.
    const bad = { ...doc(700, "ٹوٹا ہوا", "ٹوٹا ہوا صرفیہاں"), published_at: "not a date" };
    const batches = [...Array.from({ length: 7 }, (_, b) => docs.slice(b * 10, b * 10 + 10)), [bad]];
    await assert.rejects(indexInBulk(db, batches, clock));
    assert.equal(await countIndexed(db), 70);
    assert.equal(await emptyLoadPending(db), false);
    const counted = await vocabulary(db);
    assert.ok(counted.length > 20);
    assert.ok(!counted.some((c) => c.startsWith("صرفیہاں:")), "the failed batch's words are not counted");
    assert.deepEqual(counted, await recounted(db));
  });

  /** Empties the index and its counts, as before a first load. */
  async function emptyIndex(db: Executor): Promise<void> {
    await sql`delete from search_documents`.execute(db);
    if (!isPostgres(db)) {
      await sql`insert into search_fts (search_fts) values ('delete-all')`.execute(db);
      await sql`insert into search_head_fts (search_head_fts) values ('delete-all')`.execute(db);
    }
    await sql`delete from search_vocab`.execute(db);
  }

  /** The counts a recount from the documents that are in gives. */
  async function recounted(db: Executor): Promise<string[]> {
    assert.equal(await startEmptyLoad(db), false, "the index holds documents");
    await db.insertInto("search_vocab").values({ term: "", df: -1 }).execute();
    await recountVocabulary(db);
    return vocabulary(db);
  }

  it("counts a document given twice once, in the same batch or a later one", async () => {
    const db = get().db;
    await emptyIndex(db);
    const changed = (i: number) => ({ ...docs[i]!, body_text: `${texts[2]![1]} ${texts[0]![1]} دوبارہ` });
    const batches = [
      [...docs.slice(0, 30), changed(3), changed(5)],
      [...docs.slice(30, 60), changed(7), changed(31)],
    ];
    await indexInBulk(db, batches, clock);
    assert.equal(await countIndexed(db), 60);
    assert.equal(await emptyLoadPending(db), false);
    const counted = await vocabulary(db);
    assert.ok(
      counted.some((c) => c.startsWith("دوبارہ:")),
      counted.join(" "),
    );
    assert.deepEqual(counted, await recounted(db));
  });

  it("over a full index, counts what each batch changed: words gone, words new, a document twice", async () => {
    const db = get().db;
    await emptyIndex(db);
    await db.transaction().execute((trx) => indexDocuments(trx, docs.slice(0, 60), clock));
    const edited = (i: number, word: string) => ({ ...docs[i]!, body_text: `${texts[0]![1]} ${word}` });
    await db.transaction().execute((trx) => indexDocuments(trx, [edited(8, "پرانالفظ")], clock));
    assert.ok((await vocabulary(db)).includes("پرانالفظ:1"));
    await indexInBulk(
      db,
      [
        [...docs.slice(0, 30), edited(3, "نیالفظ"), edited(4, "دوسرالفظ"), edited(4, "تیسرالفظ")],
        docs.slice(30, 60),
      ],
      clock,
    );
    assert.equal(await countIndexed(db), 60);
    const counted = await vocabulary(db);
    assert.ok(counted.includes("نیالفظ:1") && counted.includes("تیسرالفظ:1"), counted.join(" "));
    assert.ok(!counted.some((c) => c.startsWith("دوسرالفظ:")), "given twice in a batch: the last is kept");
    assert.ok(!counted.some((c) => c.startsWith("پرانالفظ:")), "the word only a replaced version had");
    assert.deepEqual(counted, await recounted(db));
  });

  it("adds up with what another writer changes while the load runs", async () => {
    const db = get().db;
    await emptyIndex(db);
    // A word only the document that the other writer removes holds, and one only its new one does.
    const gone = { ...docs[2]!, body_text: `${docs[2]!.body_text} ہٹایاگیا` };
    const replaced = { ...docs[4]!, body_text: `${texts[1]![1]} بدلاگیا` };
    const other = (n: number) => doc(500 + n, texts[n % 3]![0], `${texts[n % 3]![1]} الگ`);
    let batch = 0;
    const pending: Promise<unknown>[] = [];
    await indexInBulk(db, [[gone, ...docs.slice(3, 30)], docs.slice(30, 60), docs.slice(60, 90)], clock, {
      onBatch: (written) => {
        batch++;
        // Between batches, as an editor publishing, unpublishing and correcting would: a new
        // document after the first batch written, and once the batch holding them is in (on
        // PostgreSQL two are written at once, in either order), one taken out and one replaced.
        if (batch === 1)
          pending.push(db.transaction().execute((trx) => indexDocuments(trx, [other(1)], clock)));
        if (written.some((d) => d.id === gone.id))
          pending.push(
            db.transaction().execute(async (trx) => {
              await removeFromIndex(trx, [gone.id]);
              await indexDocuments(trx, [replaced, other(2)], clock);
            }),
          );
      },
    });
    await Promise.all(pending);
    assert.equal(await countIndexed(db), 87 + 2);
    const counted = await vocabulary(db);
    assert.ok(
      counted.includes("بدلاگیا:1") && !counted.some((c) => c.startsWith("ہٹایاگیا:")),
      counted.join(" "),
    );
    const goneRow = await db
      .selectFrom("search_vocab")
      .select("df")
      .where("term", "=", "ہٹایاگیا")
      .executeTakeFirst();
    assert.equal(
      Number(goneRow?.df),
      0,
      "counted as the load analysed it, and taken away by the other writer",
    );
    assert.deepEqual(counted, await recounted(db));
  });

  it("hands its counts to the caller when asked, for finishRebuild to write beside the rest", async () => {
    const db = get().db;
    await emptyIndex(db);
    let handed: Map<string, number> | undefined;
    await indexInBulk(db, [docs.slice(0, 45), docs.slice(45)], clock, {
      onWordCounts: (counts) => (handed = counts),
    });
    assert.ok(handed);
    const loaded = await vocabulary(db);
    if (isPostgres(db)) {
      // The analyser's counts were written while the last batches were (and are checked against
      // a recount below); what is handed over is only what the writes changed since: nothing here.
      assert.equal(handed.size, 0);
      assert.ok(loaded.length > 20);
    } else {
      assert.ok(handed.size > 20);
      assert.deepEqual(await vocabulary(db), [], "not written by the load");
    }
    assert.equal(await emptyLoadPending(db), true, "a process stopped here leaves them to be recounted");
    assert.equal(await indexNeedsBuilding(db), true);
    await finishRebuild(db, { wordCounts: handed });
    assert.equal(await emptyLoadPending(db), false);
    const counted = await vocabulary(db);
    assert.ok(counted.length > 20);
    if (isPostgres(db)) assert.deepEqual(counted, loaded);
    assert.deepEqual(counted, await recounted(db));
  });

  it("an index an older analysis built is built again at the next start; an empty one is current", async () => {
    const db = get().db;
    await emptyIndex(db);
    await putSetting(db, "search.index_analysis", "2026-01-01", clock.now().toISOString());
    await markEmptyIndexCurrent(db, clock);
    assert.equal(await getSetting(db, "search.index_analysis"), INDEX_ANALYSIS, "nothing in it is old");
    await indexDocuments(db, docs.slice(0, 5), clock);
    assert.equal(await indexNeedsBuilding(db), false, "indexed by this analysis");
    // Indexed by an older Rasai: the start rebuilds, and the empty-index mark does not hide it.
    await putSetting(db, "search.index_analysis", "2026-01-01", clock.now().toISOString());
    await markEmptyIndexCurrent(db, clock);
    assert.equal(await indexNeedsBuilding(db), true);
    await sql`delete from instance_settings where key = 'search.index_analysis'`.execute(db);
    assert.equal(await indexNeedsBuilding(db), true, "never marked: built before the mark existed");
    await reindexAll(db, clock);
    assert.equal(await getSetting(db, "search.index_analysis"), INDEX_ANALYSIS);
    assert.equal(await indexNeedsBuilding(db), false);
  });

  it("a load cut short is finished by the next rebuild, which the server's start runs", async () => {
    const db = get().db;
    await sql`delete from search_documents`.execute(db);
    if (!isPostgres(db)) await sql`insert into search_fts (search_fts) values ('delete-all')`.execute(db);
    await sql`delete from search_vocab`.execute(db);
    assert.equal(await startEmptyLoad(db), true);
    await db.transaction().execute((trx) =>
      writeAnalysed(
        trx,
        docs.slice(0, 10).map((d) => ({ doc: d, analysis: analyseDocument(d) })),
        clock,
        { vocabulary: false },
      ),
    );
    // The process stops here.
    assert.equal(await emptyLoadPending(db), true);
    assert.equal(await indexNeedsBuilding(db), true);
    await reindexAll(db, clock);
    assert.equal(await emptyLoadPending(db), false);
    assert.equal(await indexNeedsBuilding(db), false);
    assert.deepEqual(
      await vocabulary(db),
      [],
      "the documents had no article behind them: all gone, counts too",
    );
    assert.equal(await startEmptyLoad(db), true);
    await recountVocabulary(db);
    assert.equal(await emptyLoadPending(db), false);
  });
});

onBothDatabases("a batch written in no order of publication", (get) => {
  it("is found whole, newest first; SQLite writes it as one FTS5 segment a table", async () => {
    const { db } = get();
    // Published a minute apart, given in a shuffled order (a reindex reads articles by id).
    const order = Array.from({ length: 40 }, (_, i) => (i * 17) % 40);
    const docs = order.map((i) => doc(i, texts[i % 3]![0], texts[i % 3]![1]));
    // Merging off, as in a bulk load: what a write makes stays as it was made.
    await setBulkIndexing(db, true);
    try {
      await db.transaction().execute((trx) =>
        writeAnalysed(
          trx,
          docs.map((d) => ({ doc: d, analysis: analyseDocument(d) })),
          clock,
        ),
      );
      if (!isPostgres(db)) {
        for (const table of ["search_fts", "search_head_fts"]) {
          const r = await sql<{ block: Uint8Array }>`select block from ${sql.table(`${table}_data`)}
            where id = 10`.execute(db);
          // Written in the given order, FTS5 began a segment at every step back in time (20 steps
          // here; its crisis merges left 2).
          assert.equal(fts5Segments(r.rows[0]!.block), 1, table);
        }
      }
    } finally {
      await setBulkIndexing(db, false);
    }
    // Every title meets kampiutar on its key; the newest of those matching as typed comes first.
    const found = await search(db, { q: "kampiutar", limit: 50, offset: 0 }, clock);
    assert.equal(found.total, 40);
    assert.equal(found.results[0]?.path, "/articles/38");
  });
});
