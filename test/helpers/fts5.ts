import assert from "node:assert/strict";
import { sql } from "kysely";
import type { Executor } from "../../src/db/connect.ts";

/**
 * How many segments an FTS5 index has, from its structure record (row 10 of its `_data` table):
 * a 4-byte cookie, an optional 4-byte version marker, then the number of levels and of segments
 * as varints (one byte each below 128, all a test's small index needs).
 */
export function fts5Segments(structure: Uint8Array): number {
  let at = 4;
  const v2 = structure[at] === 0xff && structure[at + 1] === 0 && structure[at + 2] === 0;
  if (v2 && structure[at + 3] === 1) at += 4;
  const levels = structure[at]!;
  const segments = structure[at + 1]!;
  assert.ok(levels < 128 && segments < 128, "small counts, one byte each");
  return segments;
}

/** FTS5's automerge setting of the two search tables (stored in their config tables once set). */
export async function fts5Automerge(db: Executor): Promise<number[]> {
  const out: number[] = [];
  for (const table of ["search_fts_config", "search_head_fts_config"]) {
    const r = await sql<{ v: number }>`select v from ${sql.table(table)} where k = 'automerge'`.execute(db);
    out.push(Number(r.rows[0]?.v ?? 4));
  }
  return out;
}
