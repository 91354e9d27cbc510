import { Migrator, type Migration, type MigrationResult } from "kysely";
import type { Db } from "./connect.ts";
import * as m0001 from "./migrations/0001_foundation.ts";
import * as m0002 from "./migrations/0002_portal.ts";

/** Every migration, in order. Names sort; each runs once, on either dialect. */
export const migrations: Record<string, Migration> = {
  "0001_foundation": m0001,
  "0002_portal": m0002,
};

export class MigrationFailed extends Error {
  override name = "MigrationFailed";
}

export async function migrateToLatest(db: Db): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
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
