import type { ColumnDataType, CreateTableBuilder, Kysely } from "kysely";
import { sql } from "kysely";
import { isPostgres } from "../connect.ts";

/**
 * Column types that read the same on both dialects. Migrations use these instead of
 * naming types directly, so one migration set runs on SQLite and PostgreSQL.
 */
export function columnTypes(db: Kysely<unknown>) {
  const pg = isPostgres(db);
  return {
    id: (pg ? "uuid" : "text") as ColumnDataType,
    ts: (pg ? "timestamptz" : "text") as ColumnDataType,
    text: "text" as ColumnDataType,
    int: "integer" as ColumnDataType,
    bigint: (pg ? "bigint" : "integer") as ColumnDataType,
  };
}

/** id, created_at, updated_at, deleted_at: the columns every synced row has. */
export function syncedColumns<T extends string, C extends string>(
  db: Kysely<unknown>,
  table: CreateTableBuilder<T, C>,
): CreateTableBuilder<T, C | "id" | "created_at" | "updated_at" | "deleted_at"> {
  const t = columnTypes(db);
  return table
    .addColumn("id", t.id, (c) => c.primaryKey())
    .addColumn("created_at", t.ts, (c) => c.notNull())
    .addColumn("updated_at", t.ts, (c) => c.notNull())
    .addColumn("deleted_at", t.ts);
}

/** A unique index that ignores tombstoned rows, so a deleted code can be used again. */
export async function liveUniqueIndex(db: Kysely<unknown>, table: string, columns: string[]): Promise<void> {
  await db.schema
    .createIndex(`${table}_${columns.join("_")}_live_unique`)
    .on(table)
    .columns(columns)
    .unique()
    .where(sql.ref("deleted_at"), "is", null)
    .execute();
}
