import { sql, type Kysely } from "kysely";
import { columnTypes, liveUniqueIndex, syncedColumns } from "./columns.ts";

/**
 * Members. A member is national: the id (UUIDv7) and the member number (home centre code +
 * sequence) are unique across the country, so rows from every centre can meet at headquarters.
 * The CNIC is never stored in clear: an AES-256-GCM ciphertext under the centre's data key, a
 * keyed hash (national key) for duplicates, a copy sealed to headquarters' public key, and the
 * masked form the UI shows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await syncedColumns(db, db.schema.createTable("member_categories"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("code", t.text, (c) => c.notNull())
    .addColumn("name_ur", t.text, (c) => c.notNull())
    .addColumn("name_en", t.text, (c) => c.notNull())
    .addColumn("sort_order", t.int, (c) => c.notNull().defaultTo(0))
    .addColumn("active", t.int, (c) => c.notNull().defaultTo(1))
    .execute();
  await liveUniqueIndex(db, "member_categories", ["centre_id", "code"]);

  await syncedColumns(db, db.schema.createTable("members"))
    // The registering (home) centre; members are visible at every centre once Sync exists.
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("member_no", t.text, (c) => c.notNull())
    .addColumn("status", t.text, (c) => c.notNull()) // pending | active | erased
    .addColumn("full_name_ur", t.text)
    .addColumn("full_name_en", t.text)
    .addColumn("id_kind", t.text, (c) => c.notNull()) // cnic | bform
    .addColumn("cnic_enc", t.text)
    .addColumn("cnic_hash", t.text)
    .addColumn("cnic_sealed", t.text)
    .addColumn("cnic_masked", t.text)
    .addColumn("phone_e164", t.text)
    .addColumn("date_of_birth", t.text)
    .addColumn("gender", t.text)
    .addColumn("district", t.text)
    .addColumn("education", t.text)
    .addColumn("disability", t.text)
    .addColumn("category_id", t.id, (c) => c.references("member_categories.id"))
    .addColumn("photo_path", t.text)
    .addColumn("consent_version", t.text)
    .addColumn("consent_at", t.ts)
    .addColumn("confirmed_at", t.ts)
    .addColumn("confirmed_by", t.id)
    .addColumn("pin_hash", t.text)
    .addColumn("pin_failures", t.int, (c) => c.notNull().defaultTo(0))
    .addColumn("pin_locked_until", t.ts)
    .addColumn("card_serial", t.int, (c) => c.notNull().defaultTo(0))
    .addColumn("last_seen_at", t.ts)
    .addColumn("erased_at", t.ts)
    .execute();
  await liveUniqueIndex(db, "members", ["member_no"]);
  await db.schema
    .createIndex("members_cnic_hash_live_unique")
    .on("members")
    .column("cnic_hash")
    .unique()
    .where(sql.ref("deleted_at"), "is", null)
    .execute();
  await db.schema
    .createIndex("members_centre_status")
    .on("members")
    .columns(["centre_id", "status"])
    .execute();
  await db.schema.createIndex("members_phone").on("members").column("phone_e164").execute();
  await db.schema
    .createIndex("members_name_dob")
    .on("members")
    .columns(["date_of_birth", "full_name_en"])
    .execute();

  // Every card printed; reprinting or reporting a card lost revokes the previous one.
  await syncedColumns(db, db.schema.createTable("member_cards"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("member_id", t.id, (c) => c.notNull().references("members.id"))
    .addColumn("serial", t.int, (c) => c.notNull())
    .addColumn("issued_at", t.ts, (c) => c.notNull())
    .addColumn("revoked_at", t.ts)
    .addColumn("revoked_reason", t.text)
    .execute();
  await liveUniqueIndex(db, "member_cards", ["member_id", "serial"]);

  // Per-centre counter for member numbers, bumped inside the registering transaction.
  await db.schema
    .createTable("member_number_seq")
    .addColumn("centre_id", t.id, (c) => c.primaryKey().references("centres.id"))
    .addColumn("last", t.int, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("member_number_seq").execute();
  await db.schema.dropTable("member_cards").execute();
  await db.schema.dropTable("members").execute();
  await db.schema.dropTable("member_categories").execute();
}
