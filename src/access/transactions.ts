// Transaction plumbing shared by the reservation and queue use cases: one transaction per use
// case (joined when the caller already runs one), row locks so racing requests take turns on
// PostgreSQL, and recognising a unique index's refusal on either database.

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
