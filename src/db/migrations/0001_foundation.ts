import type { Kysely } from "kysely";
import { columnTypes, liveUniqueIndex, syncedColumns } from "./columns.ts";

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable("instance_settings")
    .addColumn("key", t.text, (c) => c.primaryKey())
    .addColumn("value", t.text, (c) => c.notNull())
    .addColumn("updated_at", t.ts, (c) => c.notNull())
    .execute();

  await syncedColumns(db, db.schema.createTable("centres"))
    .addColumn("code", t.text, (c) => c.notNull())
    .addColumn("name_ur", t.text, (c) => c.notNull())
    .addColumn("name_en", t.text, (c) => c.notNull())
    .addColumn("district", t.text, (c) => c.notNull())
    .addColumn("province", t.text, (c) => c.notNull())
    .addColumn("address", t.text, (c) => c.notNull())
    .addColumn("time_zone", t.text, (c) => c.notNull())
    .addColumn("phone", t.text)
    .addColumn("email", t.text)
    .addColumn("opening_hours", t.text, (c) => c.notNull())
    .execute();
  await liveUniqueIndex(db, "centres", ["code"]);

  await syncedColumns(db, db.schema.createTable("centre_hours_exceptions"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("date", t.text, (c) => c.notNull())
    .addColumn("closed", t.int, (c) => c.notNull())
    .addColumn("opens", t.text)
    .addColumn("closes", t.text)
    .addColumn("note", t.text, (c) => c.notNull())
    .execute();
  await liveUniqueIndex(db, "centre_hours_exceptions", ["centre_id", "date"]);

  await syncedColumns(db, db.schema.createTable("staff_users"))
    .addColumn("centre_id", t.id, (c) => c.references("centres.id"))
    .addColumn("username", t.text, (c) => c.notNull())
    .addColumn("display_name", t.text, (c) => c.notNull())
    .addColumn("role", t.text, (c) => c.notNull())
    .addColumn("password_hash", t.text, (c) => c.notNull())
    .addColumn("locale", t.text, (c) => c.notNull())
    .addColumn("failed_logins", t.int, (c) => c.notNull().defaultTo(0))
    .addColumn("locked_until", t.ts)
    .addColumn("password_changed_at", t.ts)
    .addColumn("last_login_at", t.ts)
    .execute();
  await liveUniqueIndex(db, "staff_users", ["username"]);

  await db.schema
    .createTable("sessions")
    .addColumn("id", t.text, (c) => c.primaryKey())
    .addColumn("kind", t.text, (c) => c.notNull())
    .addColumn("subject_id", t.id, (c) => c.notNull())
    .addColumn("csrf_secret", t.text, (c) => c.notNull())
    .addColumn("ip", t.text, (c) => c.notNull())
    .addColumn("user_agent", t.text, (c) => c.notNull())
    .addColumn("created_at", t.ts, (c) => c.notNull())
    .addColumn("last_seen_at", t.ts, (c) => c.notNull())
    .addColumn("expires_at", t.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_subject").on("sessions").columns(["kind", "subject_id"]).execute();
  await db.schema.createIndex("sessions_expires").on("sessions").column("expires_at").execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", t.id, (c) => c.primaryKey())
    .addColumn("centre_id", t.id)
    .addColumn("actor_kind", t.text, (c) => c.notNull())
    .addColumn("actor_id", t.id)
    .addColumn("actor_name", t.text, (c) => c.notNull())
    .addColumn("action", t.text, (c) => c.notNull())
    .addColumn("entity", t.text, (c) => c.notNull())
    .addColumn("entity_id", t.text)
    .addColumn("details", t.text, (c) => c.notNull())
    .addColumn("ip", t.text)
    .addColumn("created_at", t.ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_entity").on("audit_log").columns(["entity", "entity_id"]).execute();
  await db.schema
    .createIndex("audit_log_centre_time")
    .on("audit_log")
    .columns(["centre_id", "created_at"])
    .execute();

  await syncedColumns(db, db.schema.createTable("articles"))
    .addColumn("centre_id", t.id, (c) => c.references("centres.id"))
    .addColumn("short_id", t.text, (c) => c.notNull())
    .addColumn("lang", t.text, (c) => c.notNull())
    .addColumn("kind", t.text, (c) => c.notNull())
    .addColumn("status", t.text, (c) => c.notNull())
    .addColumn("slug", t.text, (c) => c.notNull())
    .addColumn("title", t.text, (c) => c.notNull())
    .addColumn("strap", t.text, (c) => c.notNull())
    .addColumn("body", t.text, (c) => c.notNull())
    .addColumn("image_path", t.text)
    .addColumn("image_alt", t.text)
    .addColumn("image_caption", t.text)
    .addColumn("byline", t.text)
    .addColumn("view_count", t.bigint, (c) => c.notNull().defaultTo(0))
    .addColumn("published_at", t.ts)
    .execute();
  await liveUniqueIndex(db, "articles", ["short_id"]);
  await db.schema
    .createIndex("articles_listing")
    .on("articles")
    .columns(["status", "lang", "published_at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "articles",
    "audit_log",
    "sessions",
    "staff_users",
    "centre_hours_exceptions",
    "centres",
    "instance_settings",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
