import crypto from "node:crypto";
import pg from "pg";
import { deferCleanup } from "./cleanup.ts";

/** The local PostgreSQL the benches borrow; only scratch databases are created in it. */
export const PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/test";

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: PG_ADMIN_URL,
    connectionTimeoutMillis: 5000,
    query_timeout: 30_000,
  });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `cannot reach PostgreSQL at ${PG_ADMIN_URL} (${(error as Error).message}); start it with ` +
        "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`",
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Creates an empty database `rasai_bench_<random>`; `drop()` removes it, even with clients still
 * connected. With `keptAs`, the database has that name and outlives the bench (for EXPLAIN
 * sessions): it is not registered for cleanup, and `drop()` leaves it.
 */
export async function createScratchDatabase(options: { keptAs?: string } = {}): Promise<{
  name: string;
  url: string;
  drop: () => Promise<void>;
}> {
  const name = options.keptAs ?? `rasai_bench_${crypto.randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`create database ${name}`));
  const drop =
    options.keptAs === undefined
      ? deferCleanup(`PostgreSQL database ${name}`, () =>
          admin((client) => client.query(`drop database if exists ${name} with (force)`)),
        )
      : async () => {};
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop };
}
