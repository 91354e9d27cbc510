import { Migrator, sql, type Migration, type MigrationResult } from "kysely";
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
    db,
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
