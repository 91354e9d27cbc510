import { sql, type Kysely } from "kysely";
import { columnTypes, liveUniqueIndex, syncedColumns } from "./columns.ts";

/**
 * Public-PC access: the PC register, the manager's rules, sessions, guest passes, bans,
 * reservations held as fixed 15-minute slots (a unique index on (pc, slot) over live rows is
 * what makes double booking impossible on both databases), the walk-in queue and messages to
 * PCs. Sessions, reservations and tickets carry category, age group and gender (never identity)
 * so statistics survive a member's erasure.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await syncedColumns(db, db.schema.createTable("pcs"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("name", t.text, (c) => c.notNull())
    .addColumn("room", t.text, (c) => c.notNull()) // lounge | lab
    .addColumn("out_of_order", t.int, (c) => c.notNull().defaultTo(0))
    .addColumn("min_age", t.int)
    .addColumn("notes", t.text, (c) => c.notNull().defaultTo(""))
    // Hash of the secret the PC's kiosk agent presents.
    .addColumn("agent_token_hash", t.text)
    .addColumn("agent_seen_at", t.ts)
    .execute();
  await liveUniqueIndex(db, "pcs", ["centre_id", "name"]);

  await syncedColumns(db, db.schema.createTable("access_rules"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    // null: guests (guest passes)
    .addColumn("category_id", t.id, (c) => c.references("member_categories.id"))
    .addColumn("daily_minutes", t.int, (c) => c.notNull())
    .addColumn("weekly_minutes", t.int, (c) => c.notNull())
    .addColumn("session_minutes", t.int, (c) => c.notNull())
    .execute();
  await liveUniqueIndex(db, "access_rules", ["centre_id", "category_id"]);

  await syncedColumns(db, db.schema.createTable("guest_passes"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("code_hash", t.text, (c) => c.notNull())
    .addColumn("minutes", t.int, (c) => c.notNull())
    .addColumn("valid_until", t.ts, (c) => c.notNull())
    .addColumn("used_at", t.ts)
    .execute();
  await liveUniqueIndex(db, "guest_passes", ["code_hash"]);

  await syncedColumns(db, db.schema.createTable("bans"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("member_id", t.id, (c) => c.notNull().references("members.id"))
    .addColumn("until", t.ts, (c) => c.notNull())
    .addColumn("note", t.text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("bans_member").on("bans").columns(["member_id", "until"]).execute();

  await syncedColumns(db, db.schema.createTable("pc_sessions"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("pc_id", t.id, (c) => c.notNull().references("pcs.id"))
    .addColumn("member_id", t.id, (c) => c.references("members.id"))
    .addColumn("guest_pass_id", t.id, (c) => c.references("guest_passes.id"))
    .addColumn("started_at", t.ts, (c) => c.notNull())
    .addColumn("ends_at", t.ts, (c) => c.notNull())
    .addColumn("ended_at", t.ts)
    .addColumn("end_reason", t.text) // user | staff | time | closing | moved
    .addColumn("extended_minutes", t.int, (c) => c.notNull().defaultTo(0))
    .addColumn("category_code", t.text)
    .addColumn("age_group", t.text)
    .addColumn("gender", t.text)
    .execute();
  // One running session per PC, enforced by the database.
  await db.schema
    .createIndex("pc_sessions_one_running")
    .on("pc_sessions")
    .column("pc_id")
    .unique()
    .where(sql.ref("ended_at"), "is", null)
    .execute();
  await db.schema
    .createIndex("pc_sessions_member")
    .on("pc_sessions")
    .columns(["member_id", "started_at"])
    .execute();
  await db.schema
    .createIndex("pc_sessions_centre")
    .on("pc_sessions")
    .columns(["centre_id", "started_at"])
    .execute();

  await syncedColumns(db, db.schema.createTable("reservations"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("pc_id", t.id, (c) => c.notNull().references("pcs.id"))
    .addColumn("member_id", t.id, (c) => c.references("members.id"))
    .addColumn("kind", t.text, (c) => c.notNull()) // member | class
    .addColumn("title", t.text, (c) => c.notNull().defaultTo(""))
    .addColumn("starts_at", t.ts, (c) => c.notNull())
    .addColumn("ends_at", t.ts, (c) => c.notNull())
    .addColumn("status", t.text, (c) => c.notNull()) // booked | claimed | released | cancelled
    .addColumn("category_code", t.text)
    .addColumn("age_group", t.text)
    .addColumn("gender", t.text)
    .execute();
  await db.schema
    .createIndex("reservations_member")
    .on("reservations")
    .columns(["member_id", "starts_at"])
    .execute();
  await db.schema.createIndex("reservations_pc").on("reservations").columns(["pc_id", "starts_at"]).execute();

  await syncedColumns(db, db.schema.createTable("reservation_slots"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("reservation_id", t.id, (c) => c.notNull().references("reservations.id"))
    .addColumn("pc_id", t.id, (c) => c.notNull().references("pcs.id"))
    .addColumn("slot_start", t.ts, (c) => c.notNull())
    .execute();
  await liveUniqueIndex(db, "reservation_slots", ["pc_id", "slot_start"]);

  await syncedColumns(db, db.schema.createTable("queue_tickets"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("day", t.text, (c) => c.notNull()) // YYYY-MM-DD, centre time
    .addColumn("number", t.int, (c) => c.notNull())
    .addColumn("member_id", t.id, (c) => c.references("members.id"))
    .addColumn("status", t.text, (c) => c.notNull()) // waiting | called | claimed | expired | cancelled
    .addColumn("pc_id", t.id, (c) => c.references("pcs.id"))
    .addColumn("called_at", t.ts)
    .addColumn("claimed_at", t.ts)
    .addColumn("category_code", t.text)
    .addColumn("age_group", t.text)
    .addColumn("gender", t.text)
    .execute();
  await liveUniqueIndex(db, "queue_tickets", ["centre_id", "day", "number"]);

  await syncedColumns(db, db.schema.createTable("pc_messages"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("pc_id", t.id, (c) => c.notNull().references("pcs.id"))
    .addColumn("text", t.text, (c) => c.notNull())
    .addColumn("sent_by", t.id)
    .addColumn("seen_at", t.ts)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "pc_messages",
    "queue_tickets",
    "reservation_slots",
    "reservations",
    "pc_sessions",
    "bans",
    "guest_passes",
    "access_rules",
    "pcs",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
