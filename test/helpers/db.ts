import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { after, before, describe } from "node:test";
import pg from "pg";
import type { DatabaseConfig } from "../../src/config.ts";
import { createDb, type Db } from "../../src/db/connect.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";

export type Dialect = "sqlite" | "postgres";
export const DIALECTS: Dialect[] = ["sqlite", "postgres"];

/** The PostgreSQL server tests use; CI and the README's set-up provide it. */
export const PG_URL = process.env.RASAI_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  dialect: Dialect;
  db: Db;
  config: DatabaseConfig;
  dataDir: string;
  drop(): Promise<void>;
}

const madeDirs: string[] = [];
// Removed when the test file's process ends (each test file runs in a process of its own), so a
// run leaves nothing in the temp folder; RASAI_KEEP_TEST_DIRS=1 keeps them to look into.
process.on("exit", () => {
  if (process.env.RASAI_KEEP_TEST_DIRS) return;
  for (const dir of madeDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new folder in the temp folder, removed when this test file's process ends. */
export function tempDir(prefix = "rasai-test-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

/**
 * A fresh, migrated database: a new SQLite file, or a new schema in the test PostgreSQL
 * database. PostgreSQL must be reachable: a test never skips for want of it.
 */
export async function freshDatabase(
  dialect: Dialect,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const dataDir = tempDir();
  let config: DatabaseConfig;
  let cleanup: () => Promise<void>;
  if (dialect === "sqlite") {
    config = { dialect: "sqlite", file: path.join(dataDir, "rasai.sqlite") };
    cleanup = async () => {};
  } else {
    const schema = `t_${crypto.randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query(`create schema ${schema}`);
    } finally {
      await admin.end();
    }
    config = { dialect: "postgres", url: PG_URL, schema };
    cleanup = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await c.end();
      }
    };
  }
  const db = createDb(config);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(db);
    } catch (error) {
      await db.destroy();
      await cleanup();
      throw error;
    }
  }
  return {
    dialect,
    db,
    config,
    dataDir,
    async drop() {
      await db.destroy();
      await cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a suite once per dialect. `get()` inside tests returns that dialect's fresh database,
 * made before the suite's tests and dropped after them.
 */
export function onBothDatabases(
  name: string,
  body: (get: () => TestDatabase, dialect: Dialect) => void,
): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      let tdb: TestDatabase | undefined;
      before(async () => {
        tdb = await freshDatabase(dialect);
      });
      after(async () => {
        await tdb?.drop();
      });
      body(() => {
        if (!tdb) throw new Error("database not ready");
        return tdb;
      }, dialect);
    });
  }
}

/** A connection of its own to a PostgreSQL test database's schema (its own session). */
export async function withOwnConnection<T>(
  tdb: TestDatabase,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const config = tdb.config as Extract<DatabaseConfig, { dialect: "postgres" }>;
  const client = new pg.Client({ connectionString: config.url, options: `-c search_path=${config.schema}` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * withOwnConnection, with auto_explain reporting to it the plan of every statement it runs,
 * nested ones (inside functions) too: `plans` gathers them as they come.
 */
export async function withPlansReported<T>(
  tdb: TestDatabase,
  work: (client: pg.Client, plans: string[]) => Promise<T>,
): Promise<T> {
  return withOwnConnection(tdb, async (client) => {
    const plans: string[] = [];
    client.on("notice", (n) => plans.push(n.message ?? ""));
    await client.query(`load 'auto_explain'`);
    await client.query(`set auto_explain.log_min_duration = 0`);
    await client.query(`set auto_explain.log_nested_statements = on`);
    await client.query(`set auto_explain.log_level = notice`);
    return work(client, plans);
  });
}
