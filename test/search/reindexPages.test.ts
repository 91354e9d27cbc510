import assert from "node:assert/strict";
import { CompiledQuery } from "kysely";
import { it } from "node:test";
import type { Actor } from "../../src/audit/actor.ts";
import { manualClock } from "../../src/db/clock.ts";
import { isPostgres, type Db } from "../../src/db/connect.ts";
import { newId } from "../../src/db/ids.ts";
import type { ArticleTable } from "../../src/db/schema.ts";
import { createArticle } from "../../src/portal/articles/saveArticle.ts";
import { deleteArticle, publishArticle } from "../../src/portal/articles/workflow.ts";
import { articlePageQuery, articlesNowQuery } from "../../src/portal/searchDocument.ts";
import { reindexAll } from "../../src/search/reindex.ts";
import { search } from "../../src/search/search.ts";
import { makeStaff } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";

onBothDatabases("a rebuild walks the articles by their key", (get) => {
  const clock = manualClock("2026-12-06T06:00:00Z");

  it("goes on past a page with nothing searchable on it", async () => {
    const db = get().db;
    const hq = await makeStaff(get(), "hq_admin", null);
    const actor: Actor = {
      kind: "staff",
      id: hq.id,
      name: hq.username,
      role: "hq_admin",
      centreId: null,
      ip: null,
    };
    const ctx = { actor, clock };
    const titles = ["Okra sowing", "Draft one", "Deleted one", "Draft two", "Onion prices"];
    const ids: string[] = [];
    for (const title of titles) {
      const a = await createArticle(db, { lang: "en", kind: "news", title, body: "Mandi rates" }, ctx);
      ids.push(a.id);
    }
    await publishArticle(db, ids[0]!, null, ctx);
    await publishArticle(db, ids[2]!, null, ctx);
    await deleteArticle(db, ids[2]!, ctx);
    await publishArticle(db, ids[4]!, null, ctx);
    // Pages of two: the second holds a draft and a deleted article, the third a draft and the last.
    const { indexed } = await reindexAll(db, clock, () => {}, 2);
    assert.equal(indexed, 2);
    const found = await search(db, { q: "mandi", limit: 10, offset: 0 }, clock);
    assert.deepEqual(found.results.map((r) => r.title).sort(), ["Okra sowing", "Onion prices"]);
  });

  /**
   * 3,000 article rows written straight in, the table never analysed: as after an import, or with
   * autovacuum behind (or off, as on this project's test machines). With the searchable conditions
   * in the query, both planners took every published row through the status index and sorted
   * them, for each page.
   */
  it("reads a page, and rechecks one, by the primary key without statistics", async () => {
    const db = get().db;
    const rows = Array.from({ length: 3000 }, (_, i) => articleRow(i));
    for (let i = 0; i < rows.length; i += 100)
      await db
        .insertInto("articles")
        .values(rows.slice(i, i + 100))
        .execute();
    const page = await plan(db, articlePageQuery(db, rows[1000]!.id, 500).compile());
    const now = await plan(
      db,
      articlesNowQuery(
        db,
        rows.slice(1000, 1050).map((r) => r.id),
      ).compile(),
    );
    if (isPostgres(db)) {
      assert.match(page, /Index Scan using articles_pkey/, page);
      assert.doesNotMatch(page, /Sort|Bitmap/, page);
      assert.match(now, /articles_pkey/, now);
      assert.doesNotMatch(now, /BitmapAnd|articles_schedule|articles_listing|articles_short_id/, now);
    } else {
      assert.match(
        page,
        /SEARCH articles USING (INDEX sqlite_autoindex_articles_1|PRIMARY KEY) \(id>\?\)/,
        page,
      );
      assert.doesNotMatch(page, /TEMP B-TREE/, page);
      assert.match(
        now,
        /SEARCH articles USING (INDEX sqlite_autoindex_articles_1|PRIMARY KEY) \(id=\?\)/,
        now,
      );
    }
  });
});

async function plan(db: Db, query: CompiledQuery): Promise<string> {
  const explain = isPostgres(db) ? "explain " : "explain query plan ";
  const r = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(explain + query.sql, [...query.parameters]),
  );
  return r.rows.map((row) => String(row["QUERY PLAN"] ?? row["detail"])).join("\n");
}

/** About 1.5 KB, as an article's Markdown is a few; a table of a few pages would be read whole either way. */
const BODY = "Wheat support price announced for the coming season. ".repeat(28);

function articleRow(i: number): ArticleTable {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return {
    id: newId(),
    created_at: at,
    updated_at: at,
    deleted_at: null,
    centre_id: null,
    short_id: `p${i.toString(36).padStart(6, "0")}`,
    lang: "en",
    kind: "news",
    status: "published",
    slug: `imported-${i}`,
    title: `Imported ${i}`,
    strap: "",
    body_md: BODY,
    body_html: `<p>${BODY}</p>`,
    image_path: null,
    image_alt: null,
    image_caption: null,
    image_width: null,
    image_height: null,
    image_variants: "[]",
    byline: null,
    view_count: 0,
    published_at: at,
    scheduled_at: null,
    expires_at: null,
    content_updated_at: null,
    category_id: null,
    tags: "[]",
    also_read: "[]",
    also_read_after: 0,
    translation_group: null,
    author_id: null,
    source_key: null,
    comments_open: 1,
  };
}
