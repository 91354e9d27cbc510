// Transaction plumbing shared by the reservation and queue use cases: one transaction per use
// case (joined when the caller already runs one), row locks so racing requests take turns on
// PostgreSQL, and a unique index's refusal recognised (and survived) on either database.

import { sql } from "kysely";
import type { Executor } from "../db/connect.ts";
import { isPostgres } from "../db/connect.ts";

/** A unique index refused the row: SQLite's SQLITE_CONSTRAINT_UNIQUE or PostgreSQL's 23505. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505";
}

/** Runs `fn` in the caller's transaction, or in a new one when given the database itself. */
export function inTransaction<T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * Holds a row lock until the transaction ends, so two requests for the same member (or centre)
 * take turns on PostgreSQL. SQLite runs one write transaction at a time already.
 */
export async function lockRow(db: Executor, table: "members" | "centres", id: string): Promise<void> {
  if (!isPostgres(db)) return;
  await db.selectFrom(table).select("id").where("id", "=", id).forUpdate().execute();
}

/**
 * Runs `write` under a savepoint. When a unique index refuses it, the write is undone and the
 * answer is false: the transaction goes on (on PostgreSQL too) and can read who holds the key.
 * Any other error is thrown.
 */
export async function unlessTaken(db: Executor, write: () => Promise<void>): Promise<boolean> {
  await sql`savepoint unless_taken`.execute(db);
  try {
    await write();
    await sql`release savepoint unless_taken`.execute(db);
    return true;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await sql`rollback to savepoint unless_taken`.execute(db);
    await sql`release savepoint unless_taken`.execute(db);
    return false;
  }
}
