import { ConfigError, ensureDataDir, loadConfig, type Config } from "../config.ts";
import { checkConnection, createDb, type Db } from "../db/connect.ts";
import { migrateToLatest } from "../db/migrate.ts";

/** Loads configuration, opens and migrates the database: the start of most commands. */
export async function openRuntime(options: { migrate?: boolean } = {}): Promise<{ config: Config; db: Db }> {
  const config = loadConfig();
  ensureDataDir(config.dataDir);
  const db = createDb(config.database);
  try {
    await checkConnection(db, config.database);
    if (options.migrate !== false) await migrateToLatest(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  return { config, db };
}

export class UsageError extends ConfigError {
  override name = "UsageError";
}
