import SQLite from "better-sqlite3";
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import fs from "node:fs";
import path from "node:path";
import type { DatabaseConfig } from "../config.ts";
import { ConfigError } from "../config.ts";
import type { Database } from "./schema.ts";

export type Db = Kysely<Database>;

/** Everything that runs queries: the database itself or a transaction. */
export type Executor = Kysely<Database>;

const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Parse PostgreSQL values into the same JS shapes SQLite gives. */
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === TIMESTAMPTZ_OID) return (v: string) => new Date(v).toISOString();
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

/**
 * A statement whose SQL starts with this comment runs on PostgreSQL as a named prepared
 * statement (see keepPrepared). Search's statements carry it.
 */
export const PREPARED_MARK = "/* prepared */";
/** Up to this many distinct statements are kept prepared per connection. */
export const PREPARED_PER_CONNECTION = 200;

/**
 * Marked statements (PREPARED_MARK) are parsed and planned once per connection and then only
 * bound and run: search's statements are large (a walk with its fallback, the term places), and
 * parsing and planning them took a third of their time (a walk: 1.46 → 1.04 ms). The first
 * PREPARED_PER_CONNECTION distinct texts of a connection are kept; others run unprepared, so a
 * server process holds a bounded number of plans. (Named statements need a session of their own:
 * not for a transaction-pooling proxy.)
 */
function keepPrepared(client: pg.PoolClient): void {
  const names = new Map<string, string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text === "string" && text.startsWith(PREPARED_MARK) && Array.isArray(values)) {
      let name = names.get(text);
      if (name === undefined && names.size < PREPARED_PER_CONNECTION) {
        name = `rasai_${names.size + 1}`;
        names.set(text, name);
      }
      if (name !== undefined) return query({ name, text, values }, callback);
    }
    return query(text, values, callback);
  }) as typeof client.query;
}

const SQLITE_MMAP_BYTES = 1024 * 1024 * 1024;

/**
 * PostgreSQL: how much a GIN index may gather in its pending list before the writer that passes
 * it merges the list into the index. Every search reads the whole list, and at the default (4 MB:
 * ~1,200 documents in search_vectors, ~3,000 in the title index) a server taking documents one by
 * one (publishing, sync from the centres) searches slower and slower until autovacuum empties it,
 * which at 100k documents waits for ~20k inserts. Measured at 100k documents, 3,000 documents
 * indexed one per transaction, searches timed every 500: at 4 MB one-word searches took up to
 * 3.5 ms and four-word up to 6.8 ms (2.1 and 4.0 once vacuumed), rare words up to 3.3 (1.3), and
 * one publish waited 242 ms for a merge; at 64 kB (the least allowed) they stayed where a vacuumed
 * index puts them, and indexing a document took 4.1 ms p50 (3.7), 28 ms p99, 49 ms at most. A
 * bulk load sets its own, larger limit (search/maintenance.ts, setBulkBatch).
 */
export const GIN_PENDING_LIMIT = "64kB";

/**
 * A PostgreSQL URL without its `options` parameter, and that parameter. pg reads the URL's
 * parameters over the pool's own settings, so a URL with `options` (a schema's search_path, say)
 * would otherwise replace Rasai's instead of adding to them.
 */
export function withoutOptions(raw: string): { url: string; options: string | null } {
  const url = new URL(raw);
  const options = url.searchParams.get("options");
  if (options === null) return { url: raw, options: null };
  url.searchParams.delete("options");
  return { url: url.toString(), options };
}

export function createDb(config: DatabaseConfig): Db {
  if (config.dialect === "sqlite") {
    fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const database = new SQLite(config.file);
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma("foreign_keys = ON");
    database.pragma("busy_timeout = 5000");
    // Reads through a memory map instead of a read() call per page outside SQLite's 2 MB cache:
    // searches read FTS5 segments and documents all over the file (100k documents, mixed queries:
    // p50 3–13% lower). Address space only; the pages are the OS's cache either way.
    database.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`);
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  }
  const { url, options: fromUrl } = withoutOptions(config.url);
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    // A new backend starts cold: its catalogue caches are empty and each shared buffer it first
    // touches costs a page fault (a GIN match over 4,500 pages: 75 ms on a new connection, 10 ms
    // after). pg's default closes a connection idle for 10 s; keep them for the working day.
    idleTimeoutMillis: 30 * 60_000,
    types: pgTypes as unknown as pg.CustomTypesConfig,
    // JIT compiles a plan whose estimated cost passes jit_above_cost: tens of ms that Rasai's
    // short queries never win back (a GIN match over a million documents crosses it).
    // GIN_PENDING_LIMIT: see above. The URL's own options come after these (the last -c of a
    // setting wins), so a deployment can still set any of them.
    options: [
      "-c jit=off",
      `-c gin_pending_list_limit=${GIN_PENDING_LIMIT}`,
      ...(fromUrl ? [fromUrl] : []),
      ...(config.schema ? [`-c search_path=${config.schema}`] : []),
    ].join(" "),
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on("error", () => {});
  pool.on("connect", keepPrepared);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Kysely prepares every query anew; preparing costs more than running a small query on
 * SQLite. Statements are reusable, so keep the recent ones by their SQL text.
 */
function withStatementCache(database: SQLite.Database, max = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (sqlText: string) => {
    let statement = cache.get(sqlText);
    if (statement) {
      cache.delete(sqlText);
    } else {
      statement = database.prepare(sqlText);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(sqlText, statement);
    return statement;
  };
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property === "prepare") return prepare;
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function isPostgres(db: { getExecutor(): { adapter: unknown } }): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Checks the database answers; turns connection failures into one actionable line. */
export async function checkConnection(db: Db, config: DatabaseConfig): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    throw describeConnectionError(error, config);
  }
}

export function describeConnectionError(error: unknown, config: DatabaseConfig): ConfigError {
  const err = error as NodeJS.ErrnoException & { code?: string };
  if (config.dialect === "sqlite") {
    return new ConfigError(
      `Cannot open the SQLite file ${config.file} (${err.code ?? err.message}): check RASAI_DATA_DIR.`,
    );
  }
  let where = "the PostgreSQL server";
  try {
    const u = new URL(config.url);
    where = `PostgreSQL at ${u.hostname}:${u.port || 5432}/${u.pathname.slice(1)}`;
  } catch {
    /* keep the generic name */
  }
  const reasons: Record<string, string> = {
    ECONNREFUSED: "connection refused — is the server running?",
    ENOTFOUND: "host not found — check the host name in DATABASE_URL",
    ETIMEDOUT: "timed out — check the host and firewall",
    "3D000": "that database does not exist — create it or fix DATABASE_URL",
    "28P01": "password authentication failed — check the user and password in DATABASE_URL",
    "28000": "the server refused this user — check DATABASE_URL and pg_hba.conf",
  };
  const reason = (err.code && reasons[err.code]) || err.message?.split("\n")[0] || "unknown error";
  return new ConfigError(`Cannot connect to ${where}: ${reason}.`);
}
