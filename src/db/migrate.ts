import {
  Migrator,
  sql,
  type DatabaseIntrospector,
  type Migration,
  type MigrationResult,
  type TableMetadata,
} from "kysely";
import { isPostgres } from "./connect.ts";
import type { Db } from "./connect.ts";
import * as m0001 from "./migrations/0001_foundation.ts";
import * as m0002 from "./migrations/0002_portal.ts";
import * as m0003 from "./migrations/0003_search.ts";
import * as m0004 from "./migrations/0004_members.ts";
import * as m0005 from "./migrations/0005_access.ts";
import * as m0006 from "./migrations/0006_member_photos.ts";
import * as m0007 from "./migrations/0007_search_engines.ts";
import * as m0008 from "./migrations/0008_search_vectors_narrow.ts";
import * as m0009 from "./migrations/0009_search_vocab_bytewise.ts";
import * as m0010 from "./migrations/0010_search_newest_plans.ts";
import * as m0011 from "./migrations/0011_search_recent_window.ts";
import * as m0012 from "./migrations/0012_search_snippet_bits.ts";

/** Every migration, in order. Names sort; each runs once, on either dialect. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_portal": m0002,
  "0003_search": m0003,
  "0004_members": m0004,
  "0005_access": m0005,
  "0006_member_photos": m0006,
  "0007_search_engines": m0007,
  "0008_search_vectors_narrow": m0008,
  "0009_search_vocab_bytewise": m0009,
  "0010_search_newest_plans": m0010,
  "0011_search_recent_window": m0011,
  "0012_search_snippet_bits": m0012,
};

export class MigrationFailed extends Error {
  override name = "MigrationFailed";
}

export async function migrateToLatest(db: Db): Promise<MigrationResult[]> {
  // Name the schema the tables live in, so another schema's migration tables never count.
  const schema = isPostgres(db)
    ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s
    : undefined;
  const migrator = new Migrator({
    db: schema ? withOwnSchemaIntrospection(db, schema) : db,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: { getMigrations: async () => migrations },
    migrationTableName: "rasai_migrations",
    migrationLockTableName: "rasai_migrations_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new MigrationFailed(
      `Migration ${failed?.migrationName ?? "?"} failed: ${(error as Error).message ?? String(error)}`,
    );
  }
  return results ?? [];
}

/**
 * Kysely's PostgreSQL introspection lists every table of every schema and names each schema as it
 * goes (has_schema_privilege, pg_get_serial_sequence); a schema another client drops meanwhile
 * fails the listing with "schema … does not exist" (tests run in several processes, each making
 * and dropping its own schemas). The migrator only asks whether our schema and its two tables
 * exist, so it is answered from our schema alone.
 */
function withOwnSchemaIntrospection(db: Db, schema: string): Db {
  const getTables = async (): Promise<TableMetadata[]> => {
    const r = await sql<{
      name: string;
      is_view: boolean;
    }>`select c.relname as name, c.relkind = 'v' as is_view
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v')`.execute(db);
    return r.rows.map((t) => ({ name: t.name, schema, isView: t.is_view, columns: [] }));
  };
  const introspection: DatabaseIntrospector = {
    getSchemas: async () =>
      (
        await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace
          where nspname = ${schema}`.execute(db)
      ).rows,
    getTables,
    getMetadata: async () => ({ tables: await getTables() }),
  };
  // Kysely keeps its state in private fields: everything else is called on the handle itself.
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "introspection") return introspection;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
