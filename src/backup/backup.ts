import SQLite from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import type { Clock } from "../db/clock.ts";

export const BACKUP_PATTERN = /^rasai-\d{8}-\d{6}Z(-\d+)?\.sqlite\.gz$/;

export function backupDir(dataDir: string): string {
  return path.join(dataDir, "backups");
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace("T", "-")
    .replace(/\.\d+Z$/, "Z");
}

/**
 * A consistent online copy of the SQLite file: `VACUUM INTO` reads one snapshot while
 * writers go on (WAL), then the copy is gzipped and renamed into place, so a half-written
 * backup never carries a backup's name.
 */
export async function backupSqlite(
  dbFile: string,
  destDir: string,
  clock: Clock,
): Promise<{ file: string; bytes: number }> {
  fs.mkdirSync(destDir, { recursive: true });
  const base = `rasai-${stamp(clock.now())}`;
  let name = `${base}.sqlite.gz`;
  for (let i = 1; fs.existsSync(path.join(destDir, name)); i++) name = `${base}-${i}.sqlite.gz`;
  const rawTmp = path.join(destDir, `.${name}.sqlite.tmp`);
  const gzTmp = path.join(destDir, `.${name}.tmp`);
  try {
    const source = new SQLite(dbFile, { readonly: true, fileMustExist: true });
    try {
      source.pragma("busy_timeout = 10000");
      source.prepare("VACUUM INTO ?").run(rawTmp);
    } finally {
      source.close();
    }
    await pipeline(fs.createReadStream(rawTmp), zlib.createGzip({ level: 6 }), fs.createWriteStream(gzTmp));
    const final = path.join(destDir, name);
    fs.renameSync(gzTmp, final);
    return { file: final, bytes: fs.statSync(final).size };
  } finally {
    fs.rmSync(rawTmp, { force: true });
    fs.rmSync(gzTmp, { force: true });
  }
}

/** Keeps the newest `keep` backups; names sort by time. */
export function pruneBackups(destDir: string, keep: number): string[] {
  if (!fs.existsSync(destDir)) return [];
  const all = fs
    .readdirSync(destDir)
    .filter((f) => BACKUP_PATTERN.test(f))
    .sort();
  const remove = all.slice(0, Math.max(0, all.length - keep));
  for (const f of remove) fs.rmSync(path.join(destDir, f));
  return remove;
}
