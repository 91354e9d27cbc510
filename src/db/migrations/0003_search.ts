import { sql, type Kysely } from "kysely";
import { isPostgres } from "../connect.ts";
import { columnTypes, syncedColumns } from "./columns.ts";

/**
 * Search. search_documents is derived data (rebuilt from the content by `rasai search reindex`,
 * never synced); its doc_key orders documents by publication time so "newest first" is the
 * engines' own order. The text engine is FTS5 on SQLite and a tsvector with GIN on PostgreSQL;
 * both are fed the same pre-normalised terms. search_queries is the query log (no personal data).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const pg = isPostgres(db);

  let docs = db.schema
    .createTable("search_documents")
    .addColumn("doc_key", t.bigint, (c) => c.primaryKey())
    .addColumn("id", t.id, (c) => c.notNull().unique())
    .addColumn("source", t.text, (c) => c.notNull())
    .addColumn("centre_id", t.id)
    .addColumn("kind", t.text, (c) => c.notNull())
    .addColumn("lang", t.text, (c) => c.notNull())
    .addColumn("title", t.text, (c) => c.notNull())
    .addColumn("strap", t.text, (c) => c.notNull())
    .addColumn("path", t.text, (c) => c.notNull())
    .addColumn("body_text", t.text, (c) => c.notNull())
    .addColumn("title_terms", t.text, (c) => c.notNull())
    .addColumn("strap_terms", t.text, (c) => c.notNull())
    .addColumn("vocab", t.text, (c) => c.notNull())
    .addColumn("published_at", t.ts, (c) => c.notNull())
    .addColumn("expires_at", t.ts)
    .addColumn("indexed_at", t.ts, (c) => c.notNull());
  // Title-and-strap terms and all terms in separate vectors: a query never needs weight labels,
  // which GIN cannot check without reading every matching row again.
  if (pg) {
    docs = docs
      .addColumn("head_vec", sql`tsvector`, (c) => c.notNull())
      .addColumn("vec", sql`tsvector`, (c) => c.notNull());
  }
  await docs.execute();
  await db.schema.createIndex("search_documents_centre").on("search_documents").column("centre_id").execute();
  if (pg) {
    await sql`create index search_documents_head_vec on search_documents using gin (head_vec)`.execute(db);
    await sql`create index search_documents_vec on search_documents using gin (vec)`.execute(db);
  } else {
    // Contentless (the terms are not stored twice); 'ascii' splits only on ASCII spaces and
    // punctuation, so the pre-normalised Urdu terms reach the index whole. Two tables, like the
    // two vectors: a column filter would make FTS5 read position lists for common words.
    for (const table of ["search_head_fts", "search_fts"]) {
      await sql`create virtual table ${sql.raw(table)} using fts5(
        terms, content='', contentless_delete=1, tokenize='ascii', prefix='2 3', detail='none'
      )`.execute(db);
    }
  }

  await db.schema
    .createTable("search_vocab")
    .addColumn("term", t.text, (c) => c.primaryKey())
    .addColumn("df", t.int, (c) => c.notNull())
    .execute();

  await syncedColumns(db, db.schema.createTable("search_queries"))
    .addColumn("centre_id", t.id, (c) => c.references("centres.id"))
    .addColumn("query", t.text, (c) => c.notNull())
    .addColumn("lang", t.text, (c) => c.notNull())
    .addColumn("hits", t.int, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("search_queries_created").on("search_queries").column("created_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("search_queries").execute();
  await db.schema.dropTable("search_vocab").execute();
  if (!isPostgres(db)) {
    await sql`drop table search_fts`.execute(db);
    await sql`drop table search_head_fts`.execute(db);
  }
  await db.schema.dropTable("search_documents").execute();
}
