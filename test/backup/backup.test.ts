import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, it } from "node:test";
import { backupSqlite, pruneBackups, BACKUP_PATTERN } from "../../src/backup/backup.ts";
import { pidFile, restoreSqlite } from "../../src/backup/restore.ts";
import { ConfigError } from "../../src/config.ts";
import { createDb } from "../../src/db/connect.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { manualClock, systemClock } from "../../src/db/clock.ts";
import { newId } from "../../src/db/ids.ts";
import { seedDemo } from "../../src/demo/seedDemo.ts";
import { buildApp } from "../../src/server/app.ts";
import { loadConfig } from "../../src/config.ts";
import { runCli, startServer } from "../helpers/cli.ts";
import { tempDir } from "../helpers/db.ts";

describe("backup and restore (SQLite)", () => {
  it("takes a consistent copy while writes go on, and that copy restores to a working server", async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, "rasai.sqlite");
    const db = createDb({ dialect: "sqlite", file });
    await migrateToLatest(db);
    await seedDemo(db, dataDir, systemClock);

    // A writer that keeps inserting audit rows, as a busy centre would, during the backup.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await db
          .insertInto("audit_log")
          .values({
            id: newId(),
            centre_id: null,
            actor_kind: "system",
            actor_id: null,
            actor_name: "load",
            action: "load.write",
            entity: "test",
            entity_id: null,
            details: "{}",
            ip: null,
            created_at: new Date().toISOString(),
          })
          .execute();
        written++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    const backups = path.join(dataDir, "backups");
    const result = await backupSqlite(file, backups, manualClock("2026-11-25T02:00:00Z"));
    await new Promise((r) => setTimeout(r, 50));
    writing = false;
    await writer;
    await db.destroy();
    assert.ok(written > 10, `writes went on during the backup (${written})`);
    assert.match(path.basename(result.file), BACKUP_PATTERN);
    assert.equal(path.basename(result.file), "rasai-20261125-020000Z.sqlite.gz");
    assert.ok(zlib.gunzipSync(fs.readFileSync(result.file)).subarray(0, 15).toString() === "SQLite format 3");

    // Restore into a fresh data folder and boot a real app on it.
    const target = tempDir();
    const restoredFile = path.join(target, "rasai.sqlite");
    await restoreSqlite(result.file, restoredFile, target);
    const restored = createDb({ dialect: "sqlite", file: restoredFile });
    try {
      const rows = await restored
        .selectFrom("audit_log")
        .select("id")
        .where("action", "=", "load.write")
        .execute();
      assert.ok(rows.length > 0 && rows.length <= written, `restored ${rows.length} of ${written} rows`);
      const app = await buildApp(
        {
          config: { ...loadConfig({ RASAI_DATA_DIR: target }), logLevel: "silent" },
          db: restored,
          clock: systemClock,
          secret: "x".repeat(40),
        },
        { logger: false },
      );
      const home = await app.inject({ method: "GET", url: "/ur" });
      assert.equal(home.statusCode, 200);
      assert.ok(home.body.includes("جنوبی کوریا کا پاکستان میں انفارمیشن ایکسیس سنٹر کے قیام کا عندیہ"));
      await app.close();
    } finally {
      await restored.destroy();
    }
  });

  it("keeps only the newest N backups", () => {
    const dir = tempDir();
    for (const day of ["20261120", "20261121", "20261122", "20261123"])
      fs.writeFileSync(path.join(dir, `rasai-${day}-020000Z.sqlite.gz`), "");
    fs.writeFileSync(path.join(dir, "unrelated.txt"), "");
    const removed = pruneBackups(dir, 2);
    assert.deepEqual(removed, ["rasai-20261120-020000Z.sqlite.gz", "rasai-20261121-020000Z.sqlite.gz"]);
    assert.deepEqual(fs.readdirSync(dir).sort(), [
      "rasai-20261122-020000Z.sqlite.gz",
      "rasai-20261123-020000Z.sqlite.gz",
      "unrelated.txt",
    ]);
  });

  it("refuses a damaged file or a non-Rasai database, and leaves the current one alone", async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, "rasai.sqlite");
    fs.writeFileSync(file, "current");
    const junk = path.join(dataDir, "junk.sqlite.gz");
    fs.writeFileSync(junk, zlib.gzipSync("not a database at all, just text"));
    await assert.rejects(restoreSqlite(junk, file, dataDir), ConfigError);
    const notGzip = path.join(dataDir, "x.sqlite.gz");
    fs.writeFileSync(notGzip, "plain");
    await assert.rejects(restoreSqlite(notGzip, file, dataDir), /not a readable backup/);
    assert.equal(fs.readFileSync(file, "utf8"), "current");
  });

  it("refuses to restore while a server runs on the data folder", async () => {
    const dataDir = tempDir();
    const server = await startServer({ RASAI_DATA_DIR: dataDir });
    try {
      assert.ok(fs.existsSync(pidFile(dataDir)));
      const backup = runCli(["backup"], { RASAI_DATA_DIR: dataDir });
      assert.equal(backup.status, 0, backup.stderr);
      const archive = /Backup written: (\S+)/.exec(backup.stdout)![1]!;
      const refused = runCli(["restore", archive], { RASAI_DATA_DIR: dataDir });
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /is running on .*stop it first/);
      assert.equal(await server.stop(), 0);
      const ok = runCli(["restore", archive], { RASAI_DATA_DIR: dataDir });
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /Restored/);
      const again = await startServer({ RASAI_DATA_DIR: dataDir });
      assert.equal((await fetch(`${again.url}/readyz`)).status, 200);
      await again.stop();
    } finally {
      await server.stop();
    }
  });

  it("tells a PostgreSQL user to use pg_dump", () => {
    const r = runCli(["backup"], {
      RASAI_DATA_DIR: tempDir(),
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test",
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /pg_dump/);
  });
});
