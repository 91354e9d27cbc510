import assert from "node:assert/strict";
import { sql } from "kysely";
import { before, it } from "node:test";
import type { Actor } from "../../src/audit/actor.ts";
import { manualClock } from "../../src/db/clock.ts";
import { createArticle, updateArticle } from "../../src/portal/articles/saveArticle.ts";
import {
  deleteArticle,
  publishArticle,
  publishDueArticles,
  restoreRevision,
  unpublishArticle,
} from "../../src/portal/articles/workflow.ts";
import { indexDocuments, removeFromIndex, type SearchSource } from "../../src/search/indexer.ts";
import { countIndexed } from "../../src/search/queries.ts";
import { phoneticTermOf } from "../../src/search/terms.ts";
import { knownWords } from "../../src/search/vocabulary.ts";
import { currentSources, reindexAll } from "../../src/search/reindex.ts";
import { ANALYSED_AHEAD, indexInBulk } from "../../src/search/bulkIndex.ts";
import { isPostgres, type Executor } from "../../src/db/connect.ts";
import { recountVocabulary } from "../../src/search/maintenance.ts";
import { searchableArticlesAfter } from "../../src/portal/searchDocument.ts";
import { search } from "../../src/search/search.ts";
import { makeStaff } from "../helpers/app.ts";
import { onBothDatabases, type TestDatabase } from "../helpers/db.ts";

/**
 * What a suite of these tests shares: a clock set at `at`, a headquarters editor made before its
 * tests (ctx), and the titles a query finds.
 */
function editing(get: () => TestDatabase, at: string) {
  const clock = manualClock(at);
  let actor: Actor;
  before(async () => {
    const hq = await makeStaff(get(), "hq_admin", null);
    actor = { kind: "staff", id: hq.id, name: hq.username, role: "hq_admin", centreId: null, ip: null };
  });
  return {
    clock,
    ctx: () => ({ actor, clock }),
    find: async (q: string) =>
      (await search(get().db, { q, limit: 10, offset: 0 }, clock)).results.map((r) => r.title),
  };
}

onBothDatabases("search index kept in step with the articles", (get) => {
  const { clock, ctx, find } = editing(get, "2026-11-25T06:00:00Z");

  it("a draft is not searchable; publishing indexes it in the same transaction", async () => {
    const db = get().db;
    const a = await createArticle(
      db,
      { lang: "ur", kind: "news", title: "زیتون کی کاشت", body: "زیتون کے باغات پوٹھوہار میں" },
      ctx(),
    );
    assert.deepEqual(await find("زیتون"), []);
    await db.transaction().execute((trx) => publishArticle(trx, a.id, null, ctx()));
    assert.deepEqual(await find("زیتون"), ["زیتون کی کاشت"]);
    assert.deepEqual(await find("پوٹھوہار"), ["زیتون کی کاشت"], "body words are indexed");
  });

  it("an edit replaces the indexed words: the old ones stop matching", async () => {
    const db = get().db;
    const a = await createArticle(
      db,
      { lang: "ur", kind: "news", title: "شہد کی مکھیاں", body: "شہد کی پیداوار" },
      ctx(),
    );
    await publishArticle(db, a.id, null, ctx());
    assert.deepEqual(await find("مکھیاں"), ["شہد کی مکھیاں"]);
    await updateArticle(
      db,
      a.id,
      { lang: "ur", kind: "news", title: "ریشم کے کیڑے", body: "ریشم کی پیداوار" },
      ctx(),
    );
    assert.deepEqual(await find("مکھیاں"), []);
    assert.deepEqual(await find("ریشم"), ["ریشم کے کیڑے"]);
    // Restoring the first revision brings the first words back.
    await restoreRevision(db, a.id, 1, ctx());
    assert.deepEqual(await find("مکھیاں"), ["شہد کی مکھیاں"]);
    assert.deepEqual(await find("ریشم"), []);
  });

  it("unpublishing and deleting remove the document", async () => {
    const db = get().db;
    const a = await createArticle(
      db,
      { lang: "en", kind: "guide", title: "Beekeeping basics", body: "Hives" },
      ctx(),
    );
    await publishArticle(db, a.id, null, ctx());
    assert.deepEqual(await find("beekeeping"), ["Beekeeping basics"]);
    await unpublishArticle(db, a.id, ctx());
    assert.deepEqual(await find("beekeeping"), []);
    await publishArticle(db, a.id, null, ctx());
    assert.deepEqual(await find("beekeeping"), ["Beekeeping basics"]);
    await deleteArticle(db, a.id, ctx());
    assert.deepEqual(await find("beekeeping"), []);
  });

  it("an Urdu word's key is counted while its article is published: a Roman typo finds it, then not", async () => {
    const db = get().db;
    const key = phoneticTermOf("زعفران")!;
    const df = async () => (await knownWords(db, [key])).map((k) => k.df);
    const a = await createArticle(
      db,
      { lang: "ur", kind: "news", title: "زعفران کی کاشت", body: "زعفران کے کھیت" },
      ctx(),
    );
    await publishArticle(db, a.id, null, ctx());
    assert.deepEqual(await df(), [1]);
    // "zafaram": no document has it or a Latin word one edit from it; its neighbour "zafaran"
    // has the key of زعفران.
    assert.deepEqual(await find("zafaram"), ["زعفران کی کاشت"]);
    await unpublishArticle(db, a.id, ctx());
    assert.deepEqual(await df(), [], "counted down with the article");
    assert.deepEqual(await find("zafaram"), []);
  });

  it("a scheduled article is indexed when it goes live, not before", async () => {
    const db = get().db;
    const a = await createArticle(
      db,
      { lang: "en", kind: "news", title: "Solar pumps", body: "Tube wells" },
      ctx(),
    );
    await publishArticle(db, a.id, "2026-11-25T07:00:00.000Z", ctx());
    assert.deepEqual(await find("solar"), []);
    clock.set("2026-11-25T07:00:01Z");
    await publishDueArticles(db, clock);
    assert.deepEqual(await find("solar"), ["Solar pumps"]);
  });

  it("a failed transaction leaves the index as it was", async () => {
    const db = get().db;
    const a = await createArticle(
      db,
      { lang: "en", kind: "news", title: "Tractor loans", body: "Banks" },
      ctx(),
    );
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await publishArticle(trx, a.id, null, ctx());
        assert.deepEqual(
          (await search(trx, { q: "tractor", limit: 10, offset: 0 }, clock)).results.map((r) => r.title),
          ["Tractor loans"],
          "visible inside the transaction",
        );
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.deepEqual(await find("tractor"), []);
  });

  it("documents published in the same millisecond by concurrent writers all get a key", async () => {
    const db = get().db;
    const docs = Array.from({ length: 120 }, (_, i) => ({
      id: `01900000-0000-7000-8000-${String(100000000000 + i)}`,
      source: "article",
      centre_id: null,
      kind: "news" as const,
      lang: "en" as const,
      title: `Burst ${i}`,
      strap: "",
      body_text: "simultaneous",
      path: `/articles/burst-${i}`,
      published_at: "2026-02-02T02:02:02.002Z",
      expires_at: null,
    }));
    await Promise.all(docs.map((d) => db.transaction().execute((trx) => indexDocuments(trx, [d], clock))));
    const found = await search(db, { q: "simultaneous", limit: 50, offset: 0 }, clock);
    assert.equal(found.total, 100, "the ranking window holds 100");
    const rows = await db
      .selectFrom("search_documents")
      .select("doc_key")
      .where("title", "like", "Burst %")
      .execute();
    assert.equal(rows.length, 120);
    assert.equal(new Set(rows.map((r) => r.doc_key)).size, 120);
    await db.transaction().execute((trx) =>
      removeFromIndex(
        trx,
        docs.map((d) => d.id),
      ),
    );
  });

  it("reindex rebuilds exactly the published articles and drops strays", async () => {
    const db = get().db;
    await db.transaction().execute((trx) =>
      indexDocuments(
        trx,
        [
          {
            id: "01900000-0000-7000-8000-000000000001",
            source: "article",
            centre_id: null,
            kind: "news",
            lang: "en",
            title: "Stray document",
            strap: "",
            body_text: "orphan",
            path: "/articles/stray",
            published_at: "2026-01-01T00:00:00.000Z",
            expires_at: null,
          },
        ],
        clock,
      ),
    );
    assert.deepEqual(await find("orphan"), ["Stray document"]);
    const before = await countIndexed(db);
    const seen: number[] = [];
    const { indexed } = await reindexAll(
      db,
      clock,
      (p) => {
        seen.push(p.done);
      },
      2,
    );
    assert.equal(indexed, before - 1);
    assert.deepEqual(await find("orphan"), []);
    assert.deepEqual(await find("زیتون"), ["زیتون کی کاشت"]);
    assert.ok(seen.length >= 3, "progress is reported batch by batch");
    assert.deepEqual(
      [...seen].sort((x, y) => x - y),
      seen,
      "progress only grows",
    );
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether an article's edit is waiting: on PostgreSQL a backend of this database waits for a lock
 * in an update of articles; on SQLite every statement waits while a transaction holds the
 * connection, so nothing more is to be seen (the caller's wait runs out).
 */
async function editWaiting(db: Executor): Promise<boolean> {
  if (!isPostgres(db)) return false;
  const r = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock' and query like 'update "articles"%'`.execute(
    db,
  );
  return Number(r.rows[0]?.n ?? 0) > 0;
}

onBothDatabases("a rebuild while articles change", (get) => {
  const { clock, ctx, find } = editing(get, "2026-11-26T06:00:00Z");
  const titles = ["Maize seed", "Cotton picking", "Wheat flour", "Rice export", "Sugar cane", "Mango season"];

  before(async () => {
    for (const title of titles) {
      const a = await createArticle(get().db, { lang: "en", kind: "news", title, body: "Harvest" }, ctx());
      await publishArticle(get().db, a.id, null, ctx());
    }
  });

  /**
   * Rebuilds one article per batch. Once the first batch is written, the next few have been read
   * but not written (ANALYSED_AHEAD): the second article is edited, the third unpublished and the
   * fourth deleted then, each indexing itself as it always does.
   */
  async function rebuildWhileEditing(edit: { title: string; body: string }): Promise<void> {
    const db = get().db;
    const ids = (await searchableArticlesAfter(db, null, 100)).docs.map((d) => d.id);
    assert.ok(ANALYSED_AHEAD >= 3, "the changed articles are read before the first is written");
    await reindexAll(
      db,
      clock,
      async ({ done }) => {
        if (done !== 1) return;
        // Each in a transaction of its own, as the desk and the API make them: on PostgreSQL the
        // next batch may be being written meanwhile (BULK_WRITERS), and the article's row lock,
        // held until the edit's index write commits, is what puts one after the other.
        await db
          .transaction()
          .execute((trx) => updateArticle(trx, ids[1]!, { lang: "en", kind: "news", ...edit }, ctx()));
        await db.transaction().execute((trx) => unpublishArticle(trx, ids[2]!, ctx()));
        await db.transaction().execute((trx) => deleteArticle(trx, ids[3]!, ctx()));
      },
      1,
    );
  }

  it("keeps what the edits, unpublications and deletions made meanwhile put in the index", async () => {
    await rebuildWhileEditing({ title: "Citrus grading", body: "Kinnow" });
    assert.deepEqual(await find("citrus"), ["Citrus grading"], "the edit, not the text read before it");
    assert.deepEqual(await find("cotton"), []);
    assert.deepEqual(await find("wheat"), [], "unpublished");
    assert.deepEqual(await find("rice"), [], "deleted");
    assert.deepEqual((await find("harvest")).sort(), ["Maize seed", "Mango season", "Sugar cane"]);
    assert.equal(await countIndexed(get().db), 4);
  });

  it("makes an edit that arrives while a batch is being written wait for it, then keeps the edit", async () => {
    const db = get().db;
    const [doc] = (await searchableArticlesAfter(db, null, 1)).docs;
    assert.ok(doc);
    let edit: Promise<unknown> | null = null;
    let edited = false;
    // The edit starts once the batch has checked its articles, and the batch goes on writing only
    // when the edit is done or is seen waiting for the article's row lock (PostgreSQL). On SQLite
    // the edit waits for the one connection, which the batch's transaction holds, and nothing
    // shows it: the batch goes on after a second.
    const recheck = async (trx: Executor, docs: readonly SearchSource[]) => {
      const now = await currentSources(trx, docs);
      edit = db
        .transaction()
        .execute((t) =>
          updateArticle(
            t,
            doc.id,
            { lang: "en", kind: "news", title: "Guava orchard", body: "Amrood" },
            ctx(),
          ),
        )
        .then(() => (edited = true));
      for (let i = 0; i < 100 && !edited && !(await editWaiting(db)); i++) await sleep(10);
      return now;
    };
    await indexInBulk(db, [[doc]], clock, { recheck });
    await edit;
    assert.ok(edited);
    assert.deepEqual(await find("guava"), ["Guava orchard"], "the edit, committed after the batch");
    assert.deepEqual(await find(doc.title.split(" ")[0]!), [], "not the text the batch read");
  });

  it("counts the words of what it wrote when it loads an empty index", async () => {
    const db = get().db;
    // Words no document holds any more may keep a row, at 0.
    const vocabulary = async () =>
      (
        await db
          .selectFrom("search_vocab")
          .select(["term", "df"])
          .where("df", ">", 0)
          .orderBy("term")
          .execute()
      ).map((r) => `${r.term} ${Number(r.df)}`);
    // Bring the three changed articles back, then empty the index: the rebuild is a first load.
    for (const a of await db.selectFrom("articles").select("id").where("deleted_at", "is", null).execute()) {
      await publishArticle(db, a.id, null, ctx()).catch(() => {});
    }
    await removeFromIndex(
      db,
      (await searchableArticlesAfter(db, null, 100)).docs.map((d) => d.id),
    );
    assert.equal(await countIndexed(db), 0);
    await rebuildWhileEditing({ title: "Dates market", body: "Khajoor" });
    const counted = await vocabulary();
    assert.ok(counted.includes("khajoor 1"), "the edit's words are counted");
    assert.ok(!counted.some((w) => w.startsWith("kinnow ")), "and not the words it replaced");
    await recountVocabulary(db);
    assert.deepEqual(counted, await vocabulary(), "the counts are those of the documents in the index");
  });
});
