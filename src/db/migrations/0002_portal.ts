import { sql, type Kysely } from "kysely";
import { columnTypes, liveUniqueIndex, syncedColumns } from "./columns.ts";

/**
 * The portal: articles grow Markdown bodies, workflow and scheduling, categories,
 * revisions, translations, also-read links and moderated comments.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await syncedColumns(db, db.schema.createTable("categories"))
    .addColumn("centre_id", t.id, (c) => c.references("centres.id"))
    .addColumn("slug", t.text, (c) => c.notNull())
    .addColumn("name_ur", t.text, (c) => c.notNull())
    .addColumn("name_en", t.text, (c) => c.notNull())
    .execute();
  await liveUniqueIndex(db, "categories", ["slug"]);

  const add = async (
    name: string,
    type: ReturnType<typeof columnTypes>["text"],
    notNullDefault?: string | number,
  ) => {
    await db.schema
      .alterTable("articles")
      .addColumn(name, type, (c) =>
        notNullDefault === undefined ? c : c.notNull().defaultTo(notNullDefault),
      )
      .execute();
  };
  await add("body_md", t.text, "");
  await add("body_html", t.text, "");
  await add("category_id", t.id);
  await add("tags", t.text, "[]");
  await add("also_read", t.text, "[]");
  await add("also_read_after", t.int, 2);
  await add("translation_group", t.id);
  await add("author_id", t.id);
  await add("scheduled_at", t.ts);
  await add("expires_at", t.ts);
  await add("content_updated_at", t.ts);
  await add("image_width", t.int);
  await add("image_height", t.int);
  await add("image_variants", t.text, "[]");
  await add("source_key", t.text);
  await add("comments_open", t.int, 1);

  // Bodies were JSON arrays of paragraphs; they become Markdown, one blank line between paragraphs.
  const rows = await sql<{ id: string; body: string }>`select id, body from articles`.execute(db);
  for (const row of rows.rows) {
    let paragraphs: string[] = [];
    try {
      paragraphs = JSON.parse(row.body) as string[];
    } catch {
      paragraphs = [row.body];
    }
    await sql`update articles set body_md = ${paragraphs.join("\n\n")} where id = ${row.id}`.execute(db);
  }
  await db.schema.alterTable("articles").dropColumn("body").execute();

  await db.schema
    .createIndex("articles_source_key")
    .on("articles")
    .column("source_key")
    .unique()
    .where(sql.ref("source_key"), "is not", null)
    .execute();
  await db.schema.createIndex("articles_translation").on("articles").column("translation_group").execute();
  await db.schema
    .createIndex("articles_schedule")
    .on("articles")
    .columns(["status", "scheduled_at"])
    .execute();
  await db.schema
    .createIndex("articles_centre_kind")
    .on("articles")
    .columns(["centre_id", "kind", "status"])
    .execute();

  await db.schema
    .createTable("article_revisions")
    .addColumn("id", t.id, (c) => c.primaryKey())
    .addColumn("article_id", t.id, (c) => c.notNull().references("articles.id"))
    .addColumn("centre_id", t.id)
    .addColumn("number", t.int, (c) => c.notNull())
    .addColumn("snapshot", t.text, (c) => c.notNull())
    .addColumn("author_id", t.id)
    .addColumn("author_name", t.text, (c) => c.notNull())
    .addColumn("note", t.text, (c) => c.notNull())
    .addColumn("created_at", t.ts, (c) => c.notNull())
    .addColumn("updated_at", t.ts, (c) => c.notNull())
    .addColumn("deleted_at", t.ts)
    .execute();
  await db.schema
    .createIndex("article_revisions_number")
    .on("article_revisions")
    .columns(["article_id", "number"])
    .unique()
    .execute();

  await syncedColumns(db, db.schema.createTable("comments"))
    .addColumn("article_id", t.id, (c) => c.notNull().references("articles.id"))
    .addColumn("centre_id", t.id)
    .addColumn("parent_id", t.id)
    .addColumn("author_name", t.text, (c) => c.notNull())
    .addColumn("author_email", t.text)
    .addColumn("body", t.text, (c) => c.notNull())
    .addColumn("status", t.text, (c) => c.notNull())
    .addColumn("lang", t.text, (c) => c.notNull())
    .addColumn("ip_hash", t.text)
    .addColumn("content_hash", t.text, (c) => c.notNull())
    .addColumn("spam_reason", t.text)
    .addColumn("source_key", t.text)
    .addColumn("moderated_by", t.id)
    .addColumn("moderated_at", t.ts)
    .execute();
  await db.schema
    .createIndex("comments_article")
    .on("comments")
    .columns(["article_id", "status", "created_at"])
    .execute();
  await db.schema
    .createIndex("comments_queue")
    .on("comments")
    .columns(["status", "centre_id", "created_at"])
    .execute();
  await db.schema.createIndex("comments_ip").on("comments").columns(["ip_hash", "created_at"]).execute();
  await db.schema
    .createIndex("comments_source_key")
    .on("comments")
    .column("source_key")
    .unique()
    .where(sql.ref("source_key"), "is not", null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("comments").ifExists().execute();
  await db.schema.dropTable("article_revisions").ifExists().execute();
  await db.schema.dropTable("categories").ifExists().execute();
}
