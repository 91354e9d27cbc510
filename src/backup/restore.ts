import SQLite from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { ConfigError } from "../config.ts";

export function pidFile(dataDir: string): string {
  return path.join(dataDir, "rasai.pid");
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function runningServerPid(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(dataDir), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Puts a backup back in place of the database file. Refuses while a server runs on this
 * data folder; checks the backup (gzip, SQLite integrity, Rasai tables) before touching
 * anything; keeps the replaced file beside it.
 */
export async function restoreSqlite(
  archive: string,
  dbFile: string,
  dataDir: string,
): Promise<{ previous: string | null }> {
  const pid = runningServerPid(dataDir);
  if (pid)
    throw new ConfigError(
      `A Rasai server (pid ${pid}) is running on ${dataDir}: stop it first, then restore.`,
    );
  if (!fs.existsSync(archive)) throw new ConfigError(`No backup file at ${archive}.`);
  const tmp = `${dbFile}.restore-${process.pid}.tmp`;
  try {
    try {
      await pipeline(
        fs.createReadStream(archive),
        archive.endsWith(".gz") ? zlib.createGunzip() : new (await import("node:stream")).PassThrough(),
        fs.createWriteStream(tmp),
      );
    } catch {
      throw new ConfigError(`${archive} is not a readable backup (damaged or not gzip).`);
    }
    let check: SQLite.Database | undefined;
    try {
      check = new SQLite(tmp, { readonly: true, fileMustExist: true });
      const integrity = check.pragma("integrity_check", { simple: true });
      if (integrity !== "ok")
        throw new ConfigError(`${archive} failed the integrity check: ${String(integrity)}.`);
      const hasMigrations = check
        .prepare("select 1 from sqlite_master where type = 'table' and name = 'rasai_migrations'")
        .get();
      if (!hasMigrations) throw new ConfigError(`${archive} is an SQLite file but not a Rasai database.`);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`${archive} is not an SQLite database.`);
    } finally {
      check?.close();
    }
    let previous: string | null = null;
    if (fs.existsSync(dbFile)) {
      previous = `${dbFile}.before-restore-${new Date().toISOString().replace(/[-:.]/g, "")}`;
      fs.renameSync(dbFile, previous);
      // The old file's write-ahead log goes with it, so the kept copy stays whole.
      if (fs.existsSync(`${dbFile}-wal`)) fs.renameSync(`${dbFile}-wal`, `${previous}-wal`);
    }
    for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${dbFile}${suffix}`, { force: true });
    fs.renameSync(tmp, dbFile);
    return { previous };
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
