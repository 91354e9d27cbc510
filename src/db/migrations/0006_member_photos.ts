import { type ColumnDataType, type Kysely } from "kysely";
import { isPostgres } from "../connect.ts";
import { columnTypes, liveUniqueIndex, syncedColumns } from "./columns.ts";

/**
 * Members' photos, kept in the database rather than on disk: a photo is personal data, so it
 * travels with the member's rows (Sync, backups, erasure) and is never a file a web server could
 * hand out. One live row per member; replacing or removing a photo tombstones its row and clears
 * the bytes, so an old photo is not kept. `bytes` is the JPEG encrypted with AES-256-GCM under the
 * centre's data key (`key_id` names it), like `members.cnic_enc`. `members.photo_path` (there from
 * the start, never used until now) holds the id of the live row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const blob = (isPostgres(db) ? "bytea" : "blob") as ColumnDataType;

  await syncedColumns(db, db.schema.createTable("member_photos"))
    .addColumn("centre_id", t.id, (c) => c.notNull().references("centres.id"))
    .addColumn("member_id", t.id, (c) => c.notNull().references("members.id"))
    .addColumn("content_type", t.text, (c) => c.notNull())
    .addColumn("width", t.int, (c) => c.notNull())
    .addColumn("height", t.int, (c) => c.notNull())
    // Size of the JPEG itself (the stored ciphertext is 28 bytes longer).
    .addColumn("byte_size", t.int, (c) => c.notNull())
    // Null once the row is tombstoned: nothing of a removed or erased photo is kept.
    .addColumn("key_id", t.text)
    .addColumn("bytes", blob)
    .execute();
  await liveUniqueIndex(db, "member_photos", ["member_id"]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("member_photos").execute();
}
