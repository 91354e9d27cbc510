import fs from "node:fs";
import { backupDir, backupSqlite, pruneBackups } from "../backup/backup.ts";
import { pidFile } from "../backup/restore.ts";
import { ConfigError } from "../config.ts";
import { systemClock } from "../db/clock.ts";
import { seedDemo } from "../demo/seedDemo.ts";
import { purgeExpiredSessions } from "../identity/sessions.ts";
import { publishDueArticles } from "../portal/articles/workflow.ts";
import { systemActor } from "../audit/actor.ts";
import { buildApp } from "../server/app.ts";
import { loadOrCreateSecret } from "../server/secrets.ts";
import { listCentres } from "../centres/queries.ts";
import { countStaffUsers } from "../identity/queries.ts";
import { openRuntime } from "./runtime.ts";
import { eraseLapsedMembers } from "../members/privacy.ts";
import { tickSessions } from "../access/sessions.ts";
import { accessSweep } from "../access/queue.ts";
import { rebuildSearchIndex, RebuildStopped } from "./searchCommand.ts";
import { indexNeedsBuilding, markEmptyIndexCurrent } from "../search/reindex.ts";
import { mergeIndex, restoreAutomerge } from "../search/maintenance.ts";
import { everyNight, type Nightly } from "../server/nightly.ts";

export async function serve(options: { demo: boolean }): Promise<void> {
  const { config, db } = await openRuntime();
  const secret = loadOrCreateSecret(config.dataDir, config.secret);
  const clock = systemClock;

  // Documents indexed into an empty index from now on are analysed as this version does.
  await markEmptyIndexCurrent(db, clock);
  // A fresh install (no centre, no staff) gets the demo centre, so there is something to see.
  if (options.demo && (await listCentres(db)).length === 0 && (await countStaffUsers(db)) === 0) {
    const report = await seedDemo(db, config.dataDir, clock, systemActor);
    if (report.admin) {
      process.stdout.write(
        `\n  Rasai demo centre created. Staff sign-in (shown once, change it after signing in):\n` +
          `    username: ${report.admin.username}\n    password: ${report.admin.password}\n\n`,
      );
    }
  }

  // An upgrade that brings search to a database with content builds the index once, a first
  // build that was cut short is done again, and so is an index an older analysis built. A load
  // killed outright left FTS5's merging off.
  if (await restoreAutomerge(db))
    process.stderr.write(
      "Search: a bulk load had been stopped by force; the index merges its segments again.\n",
    );
  // Built while the server serves (below): at 100k documents it takes a minute or two, and
  // searches go on meanwhile, finding more as each batch is committed.
  const buildIndex = await indexNeedsBuilding(db);

  const app = await buildApp({ config, db, clock, secret });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close().catch(() => {});
    await db.destroy().catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new ConfigError(
        `Port ${config.port} is already in use: stop the other server or set PORT to a free port.`,
      );
    if (code === "EACCES")
      throw new ConfigError(`Port ${config.port} needs more privileges: set PORT to 1024 or above.`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
      throw new ConfigError(
        `HOST=${config.host} is not an address of this machine: use 0.0.0.0 or 127.0.0.1.`,
      );
    throw error;
  }
  fs.writeFileSync(pidFile(config.dataDir), String(process.pid));
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const shown = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  process.stdout.write(
    `Rasai is serving http://${shown}:${port} (${config.mode} mode, ${config.database.dialect === "sqlite" ? `SQLite ${config.database.file}` : "PostgreSQL"})\n`,
  );

  let stopping = false;
  let building: Promise<void> = Promise.resolve();
  if (buildIndex) {
    process.stderr.write(
      "Search: building the index from the content (a first build, one cut short, or one an older Rasai made); searches find more as it goes.\n",
    );
    building = rebuildSearchIndex(db, process.stderr, { stopped: () => stopping }).then(
      (indexed) => void process.stderr.write(`Search: the index is built (${indexed} documents).\n`),
      (error: unknown) => {
        // Stopped, or failed: the index is marked as needing it still, and the next start builds it.
        if (error instanceof RebuildStopped)
          process.stderr.write(
            "Search: the index build stopped with the server; the next start builds it again.\n",
          );
        else app.log.error({ err: error }, "search index build failed; the next start builds it again");
      },
    );
  }

  const timers: NodeJS.Timeout[] = [];
  // Scheduled articles go live within a minute of their time.
  timers.push(
    setInterval(
      () =>
        void db
          .transaction()
          .execute((trx) => publishDueArticles(trx, clock))
          .then((done) => done.length && app.log.info({ count: done.length }, "scheduled articles published"))
          .catch((e) => app.log.warn({ err: e }, "scheduled publishing failed")),
      30_000,
    ),
  );
  timers.push(
    setInterval(
      () =>
        void purgeExpiredSessions(db, clock).catch((e) => app.log.warn({ err: e }, "session purge failed")),
      60 * 60 * 1000,
    ),
  );
  // Sessions end on time (and auto-extend when nobody waits) even if a kiosk agent is offline.
  timers.push(
    setInterval(
      () =>
        void db
          .transaction()
          .execute(async (trx) => {
            await tickSessions(trx, clock);
            // No-shows are released and unclaimed queue calls lapse even with no desk page open.
            for (const centre of await listCentres(trx)) await accessSweep(trx, centre.id, clock);
          })
          .catch((e) => app.log.warn({ err: e }, "session tick failed")),
      15_000,
    ),
  );
  // Members not seen for their centre's retention period are erased, once a day.
  const eraseLapsed = async () => {
    for (const centre of await listCentres(db)) {
      const n = await db.transaction().execute((trx) => eraseLapsedMembers(trx, centre.id, clock));
      if (n) app.log.info({ centre: centre.code, count: n }, "lapsed members erased");
    }
  };
  timers.push(
    setInterval(
      () => void eraseLapsed().catch((e) => app.log.warn({ err: e }, "retention run failed")),
      24 * 60 * 60 * 1000,
    ),
  );
  const nightlies: Nightly[] = [];
  const nightly = (hour: number, what: string, task: () => Promise<void>) =>
    nightlies.push(
      everyNight(hour, task, (error) => app.log.error({ err: error }, `nightly ${what} failed`)),
    );
  if (config.database.dialect === "sqlite" && config.backupHour >= 0) {
    const dbFile = config.database.file;
    nightly(config.backupHour, "backup", async () => {
      const result = await backupSqlite(dbFile, backupDir(config.dataDir), clock);
      const removed = pruneBackups(backupDir(config.dataDir), config.backupKeep);
      app.log.info(
        { file: result.file, bytes: result.bytes, removed: removed.length },
        "nightly backup done",
      );
    });
  }
  // The day's publications put back in one piece (search/maintenance.ts, mergeIndex).
  if (config.maintenanceHour >= 0) {
    nightly(config.maintenanceHour, "search index merge", async () => {
      const started = Date.now();
      const { work } = await mergeIndex(db);
      app.log.info({ work, ms: Date.now() - started }, "nightly search index merge done");
    });
  }
  for (const t of timers) t.unref();

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down: finishing requests in flight");
    app.lifecycle.shuttingDown = true;
    for (const t of timers) clearTimeout(t);
    for (const n of nightlies) n.stop();
    const force = setTimeout(() => {
      app.log.error("shutdown took over 15 s; exiting");
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await app.close();
      // A build under way ends after the batch it is writing.
      await building;
      await db.destroy();
    } finally {
      fs.rmSync(pidFile(config.dataDir), { force: true });
    }
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
