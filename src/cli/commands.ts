import path from "node:path";
import { cliActor } from "../audit/actor.ts";
import { backupDir, backupSqlite, pruneBackups } from "../backup/backup.ts";
import { restoreSqlite } from "../backup/restore.ts";
import { setCurrentCentre } from "../centres/currentCentre.ts";
import { findCentreByCode, listCentres } from "../centres/queries.ts";
import { createCentre, updateCentre } from "../centres/saveCentre.ts";
import { ConfigError, ensureDataDir, loadConfig } from "../config.ts";
import { systemClock } from "../db/clock.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { seedDemo } from "../demo/seedDemo.ts";
import { createStaffUser } from "../identity/createStaffUser.ts";
import { generatePassword } from "../identity/passwords.ts";
import { isStaffRole } from "../identity/policy.ts";
import { resetStaffPassword } from "../identity/resetStaffPassword.ts";
import { importArticles } from "../portal/import/importArticles.ts";
import { importWordpress } from "../portal/import/importWordpress.ts";
import { mergeIndex } from "../search/maintenance.ts";
import type { ImportEvent, ImportReport } from "../portal/import/report.ts";
import { openRuntime, UsageError } from "./runtime.ts";

type Flags = Record<string, string | boolean | undefined>;
const ctx = () => ({ actor: cliActor(), clock: systemClock });

function str(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === "string" ? v : undefined;
}

export async function migrateCommand(): Promise<void> {
  const { db } = await openRuntime({ migrate: false });
  try {
    const results = await migrateToLatest(db);
    if (results.length === 0) console.log("Database is up to date.");
    for (const r of results) console.log(`applied ${r.migrationName}`);
  } finally {
    await db.destroy();
  }
}

export async function seedCommand(flags: Flags): Promise<void> {
  if (!flags.demo) throw new UsageError("rasai seed needs --demo (the only seed there is).");
  const { config, db } = await openRuntime();
  try {
    const report = await seedDemo(db, config.dataDir, systemClock);
    console.log(
      report.centreCreated ? "Demo centre created." : "Demo centre already there (or other centres exist).",
    );
    console.log(
      report.articlesAdded
        ? `Added ${report.articlesAdded} demo article(s).`
        : "Demo articles already there.",
    );
    if (report.membersAdded)
      console.log(`Added 6 demo PCs and ${report.membersAdded} demo members (PIN 2580).`);
    if (report.admin)
      console.log(
        `Staff sign-in (shown once): username ${report.admin.username}, password ${report.admin.password}`,
      );
  } finally {
    await db.destroy();
  }
}

const CENTRE_FLAGS: Record<string, string> = {
  "name-ur": "name_ur",
  "name-en": "name_en",
  district: "district",
  province: "province",
  address: "address",
  "time-zone": "time_zone",
  phone: "phone",
  email: "email",
};

function centreFields(flags: Flags): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [flag, field] of Object.entries(CENTRE_FLAGS)) {
    const v = str(flags, flag);
    if (v !== undefined) out[field] = v;
  }
  return out;
}

export async function centreCommand(action: string | undefined, args: string[], flags: Flags): Promise<void> {
  const { db } = await openRuntime();
  try {
    if (action === "list") {
      const centres = await listCentres(db);
      if (flags.json) {
        console.log(JSON.stringify(centres, null, 2));
        return;
      }
      if (centres.length === 0) console.log("No centres yet. Create one with: rasai centre create --help");
      for (const c of centres)
        console.log(`${c.code}\t${c.name_en}\t${c.name_ur}\t${c.district}, ${c.province}`);
      return;
    }
    if (action === "create") {
      const code = str(flags, "code");
      const centre = await db.transaction().execute(async (trx) => {
        const created = await createCentre(trx, { code, ...centreFields(flags) }, ctx());
        if (flags.current) await setCurrentCentre(trx, created.id, systemClock.now().toISOString());
        return created;
      });
      console.log(`Created centre ${centre.code} (${centre.name_en}).`);
      return;
    }
    if (action === "set") {
      const code = args[0];
      if (!code)
        throw new UsageError("rasai centre set needs the centre code: rasai centre set ISB-01 --phone ...");
      await db.transaction().execute(async (trx) => {
        const fields = centreFields(flags);
        if (Object.keys(fields).length) await updateCentre(trx, code, fields, ctx());
        if (flags.current) {
          const centre = await findCentreByCode(trx, code);
          if (!centre) throw new ConfigError(`No centre with code ${code}.`);
          await setCurrentCentre(trx, centre.id, systemClock.now().toISOString());
        }
      });
      console.log(`Updated centre ${code}.`);
      return;
    }
    throw new UsageError(`rasai centre needs create, list or set. See rasai centre --help.`);
  } finally {
    await db.destroy();
  }
}

export async function userCommand(action: string | undefined, args: string[], flags: Flags): Promise<void> {
  const { db } = await openRuntime();
  try {
    if (action === "create") {
      const username = str(flags, "username") ?? args[0];
      const role = str(flags, "role");
      if (!username) throw new UsageError("rasai user create needs --username.");
      if (!isStaffRole(role))
        throw new UsageError("--role must be one of hq_admin, centre_manager, staff, instructor.");
      const centreCode = str(flags, "centre");
      let centreId: string | null = null;
      if (role !== "hq_admin") {
        if (!centreCode) throw new UsageError(`--centre CODE is needed for the role ${role}.`);
        const centre = await findCentreByCode(db, centreCode);
        if (!centre) throw new UsageError(`No centre with code ${centreCode}: see rasai centre list.`);
        centreId = centre.id;
      }
      const given = str(flags, "password");
      const password = given ?? generatePassword();
      await db.transaction().execute((trx) =>
        createStaffUser(
          trx,
          {
            username,
            displayName: str(flags, "name") ?? username,
            role,
            centreId,
            password,
            locale: str(flags, "locale") === "en" ? "en" : "ur",
          },
          ctx(),
        ),
      );
      console.log(`Created ${role} ${username}${centreCode ? ` at ${centreCode}` : ""}.`);
      if (!given) console.log(`Password (shown once): ${password}`);
      return;
    }
    if (action === "reset-password") {
      const username = args[0] ?? str(flags, "username");
      if (!username) throw new UsageError("rasai user reset-password needs the username.");
      const given = str(flags, "password");
      const password = given ?? generatePassword();
      await db
        .transaction()
        .execute((trx) => resetStaffPassword(trx, { username, newPassword: password }, ctx()));
      console.log(`Password reset for ${username}; the account is unlocked and signed out everywhere.`);
      if (!given) console.log(`New password (shown once): ${password}`);
      return;
    }
    throw new UsageError("rasai user needs create or reset-password. See rasai user --help.");
  } finally {
    await db.destroy();
  }
}

export async function backupCommand(flags: Flags): Promise<void> {
  const config = loadConfig();
  if (config.database.dialect !== "sqlite") {
    throw new ConfigError(
      "rasai backup copies the SQLite file; on PostgreSQL use pg_dump (see the README, 'Backups').",
    );
  }
  ensureDataDir(config.dataDir);
  const dest = str(flags, "out") ? path.resolve(str(flags, "out")!) : backupDir(config.dataDir);
  const result = await backupSqlite(config.database.file, dest, systemClock);
  const keepRaw = str(flags, "keep");
  const keep = keepRaw ? Number(keepRaw) : config.backupKeep;
  if (!Number.isInteger(keep) || keep < 1)
    throw new UsageError("--keep must be a whole number of 1 or more.");
  const removed = pruneBackups(dest, keep);
  console.log(
    `Backup written: ${result.file} (${(result.bytes / 1024).toFixed(1)} KiB)${removed.length ? `; removed ${removed.length} old` : ""}.`,
  );
}

export async function restoreCommand(args: string[]): Promise<void> {
  const file = args[0];
  if (!file)
    throw new UsageError(
      "rasai restore needs the backup file: rasai restore data/backups/rasai-....sqlite.gz",
    );
  const config = loadConfig();
  if (config.database.dialect !== "sqlite") {
    throw new ConfigError(
      "rasai restore puts back an SQLite file; on PostgreSQL use pg_restore (see the README, 'Backups').",
    );
  }
  ensureDataDir(config.dataDir);
  const { previous } = await restoreSqlite(path.resolve(file), config.database.file, config.dataDir);
  console.log(
    `Restored ${file} to ${config.database.file}.${previous ? ` The replaced file was kept as ${previous}.` : ""}`,
  );
}

/** Progress on stderr: one line rewritten in place on a terminal, a plain line every few seconds otherwise. */
function importProgress(stream: NodeJS.WriteStream) {
  const tty = stream.isTTY === true;
  const every = tty ? 100 : 5000;
  // A terminal shows progress at once; a log gets its first line after a while, so short runs stay quiet.
  let last = tty ? 0 : Date.now();
  let latest = "";
  let showing = false;
  const draw = () => {
    stream.write(`\r  ${latest}\x1b[K`);
    showing = true;
  };
  const clear = () => {
    if (showing) stream.write("\r\x1b[K");
    showing = false;
  };
  const show = (text: string) => {
    latest = text;
    const now = Date.now();
    if (now - last < every) return;
    last = now;
    if (tty) draw();
    else stream.write(`  ${text}\n`);
  };
  return {
    onProgress(event: ImportEvent) {
      if (event.type === "scanning") show(`reading the file: ${event.items} items`);
      else if (event.type === "progress") {
        const of = event.total !== null ? `/${event.total}` : "";
        show(`${event.items}${of} item${event.items === 1 && !of ? "" : "s"}, ${event.rejected} rejected`);
      } else {
        clear();
        if (event.type === "rejected") {
          stream.write(`  rejected ${event.rejection.item}: ${event.rejection.reason}\n`);
        } else {
          const where = event.warning.item ? `${event.warning.item}: ` : "";
          stream.write(`  warning: ${where}${event.warning.message}\n`);
        }
        if (tty && latest) draw();
      }
    },
    /** On a terminal the last state stays on screen; a log already has its lines. */
    done() {
      if (tty && latest) {
        draw();
        stream.write("\n");
      }
      latest = "";
      showing = false;
    },
  };
}

function printImportSummary(report: ImportReport, withComments: boolean): void {
  console.log(
    `Import finished: ${report.added} added, ${report.existing} already there, ${report.rejected.length} rejected.`,
  );
  if (withComments) {
    const c = report.comments;
    console.log(
      `  comments: ${c.added} added, ${c.existing} already there${c.skipped ? `, ${c.skipped} skipped (pingbacks, empty)` : ""}`,
    );
    if (report.categoriesAdded) console.log(`  categories: ${report.categoriesAdded} added`);
  }
  if (report.warnings.length) console.log(`  warnings: ${report.warnings.length} (listed above)`);
}

export async function importCommand(action: string | undefined, args: string[], flags: Flags): Promise<void> {
  if (action !== "wordpress" && action !== "articles") {
    throw new UsageError("rasai import needs wordpress or articles. See rasai import --help.");
  }
  const file = args[0];
  if (!file || args.length > 1) {
    throw new UsageError(
      action === "wordpress"
        ? "rasai import wordpress needs one export file: rasai import wordpress export.xml --uploads wp-content/uploads"
        : "rasai import articles needs one file: rasai import articles articles.jsonl",
    );
  }
  const lang = str(flags, "lang");
  if (lang !== undefined && (action !== "wordpress" || (lang !== "ur" && lang !== "en"))) {
    throw new UsageError(
      action === "wordpress" ? "--lang must be ur or en." : "--lang is for rasai import wordpress only.",
    );
  }
  if (str(flags, "uploads") !== undefined && action !== "wordpress") {
    throw new UsageError("--uploads is for rasai import wordpress only.");
  }
  const { config, db } = await openRuntime();
  const progress = importProgress(process.stderr);
  try {
    const ictx = { ...ctx(), dataDir: config.dataDir, onProgress: progress.onProgress };
    const centre = str(flags, "centre") ?? null;
    const report =
      action === "wordpress"
        ? await importWordpress(
            db,
            {
              file,
              uploadsDir: str(flags, "uploads") ?? null,
              centre,
              lang: (lang as "ur" | "en" | undefined) ?? null,
            },
            ictx,
          )
        : await importArticles(db, { file, centre }, ictx);
    // Each article came in its own transaction, a search-index segment each on SQLite: merged
    // now rather than at night (search/maintenance.ts, mergeIndex).
    await mergeIndex(db);
    progress.done();
    printImportSummary(report, action === "wordpress");
  } finally {
    progress.done();
    await db.destroy();
  }
}
