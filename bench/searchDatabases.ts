// The search bench's databases: a scratch SQLite file or PostgreSQL database per size, their
// statistics and sizes on disk, and the host's load while they are measured.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { createDb, isPostgres, type Db } from "../src/db/connect.ts";
import { finishRebuild } from "../src/search/maintenance.ts";
import { createScratchDatabase } from "./lib/postgres.ts";
import { makeTempDir } from "./lib/tempdir.ts";
import { round, type Database, type IndexSizes } from "./searchResults.ts";
export interface Opened {
  db: Db;
  /** SQLite file, or null on PostgreSQL. */
  file: string | null;
  where: string;
  close: () => Promise<void>;
}

export async function open(database: Database, keep: boolean, tag: string): Promise<Opened> {
  if (database === "sqlite") {
    const temp = keep
      ? { dir: fs.mkdtempSync(path.join(os.tmpdir(), `rasai-bench-search-${tag}-`)), remove: async () => {} }
      : makeTempDir(`rasai-bench-search-${tag}`);
    const file = path.join(temp.dir, "rasai.sqlite");
    const db = createDb({ dialect: "sqlite", file });
    return {
      db,
      file,
      where: file,
      close: async () => {
        await db.destroy();
        await temp.remove();
      },
    };
  }
  // Kept: named for the size, left in place for EXPLAIN sessions after the bench.
  const scratch = await createScratchDatabase(
    keep ? { keptAs: `rasai_bench_search_${tag}_${Date.now().toString(36)}` } : {},
  );
  const db = createDb({ dialect: "postgres", url: scratch.url });
  return {
    db,
    file: null,
    where: scratch.url,
    close: async () => {
      await db.destroy();
      await scratch.drop();
    },
  };
}

/** What follows a load in `rasai search reindex`: the word counts written, and finishRebuild. */
export async function finishLoad(db: Db, wordCounts?: ReadonlyMap<string, number>): Promise<void> {
  await finishRebuild(db, { wordCounts });
}

/**
 * Bytes of the search tables, grouped by what they hold. Grouped by name, so a change to the
 * search schema (another FTS table, another vocabulary table) is still counted.
 */
export async function indexSizes(db: Db, file: string | null): Promise<IndexSizes> {
  const detail: Record<string, number> = {};
  let documentsBytes = 0;
  let textIndexBytes = 0;
  let vocabBytes = 0;
  let fileBytes: number;
  if (isPostgres(db)) {
    // Tables with their TOAST, and each index on its own (GIN indexes are the text index).
    const r = await sql<{ name: string; tbl: string; kind: string; am: string | null; bytes: number }>`
      select c.relname as name, coalesce(t.relname, c.relname) as tbl, c.relkind as kind, am.amname as am,
        case when c.relkind = 'r' then pg_table_size(c.oid) else pg_relation_size(c.oid) end as bytes
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_index i on i.indexrelid = c.oid
      left join pg_class t on t.oid = i.indrelid
      left join pg_am am on am.oid = c.relam and c.relkind = 'i'
      where n.nspname = current_schema() and c.relkind in ('r', 'i')
        and coalesce(t.relname, c.relname) like 'search\_%' and coalesce(t.relname, c.relname) <> 'search_queries'`.execute(
      db,
    );
    for (const row of r.rows) {
      const bytes = Number(row.bytes);
      detail[row.name] = bytes;
      if (row.am === "gin" || row.tbl === "search_vectors" || row.tbl === "search_head_vectors")
        textIndexBytes += bytes;
      else if (row.tbl === "search_documents") documentsBytes += bytes;
      else vocabBytes += bytes;
    }
    const d = await sql<{ bytes: number }>`select pg_database_size(current_database()) as bytes`.execute(db);
    fileBytes = Number(d.rows[0]?.bytes ?? 0);
  } else {
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
    const r = await sql<{ name: string; tbl: string; bytes: number }>`
      select s.name as name, m.tbl_name as tbl, sum(s.pgsize) as bytes
      from dbstat s join sqlite_schema m on m.name = s.name group by s.name`.execute(db);
    const fts = new Set(
      (
        await sql<{
          name: string;
        }>`select name from sqlite_schema where sql like 'create virtual table%fts5%'`.execute(db)
      ).rows.map((x) => x.name),
    );
    for (const row of r.rows) {
      if (!row.tbl.startsWith("search_") || row.tbl === "search_queries") continue;
      const bytes = Number(row.bytes);
      detail[row.name] = bytes;
      // FTS5 keeps its index in shadow tables named <table>_data, _idx, _docsize, _config.
      if ([...fts].some((t) => row.tbl.startsWith(`${t}_`))) textIndexBytes += bytes;
      else if (row.tbl === "search_documents") documentsBytes += bytes;
      else vocabBytes += bytes;
    }
    const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
    fileBytes = size(file!) + size(`${file}-wal`);
  }
  return {
    documentsBytes,
    textIndexBytes,
    vocabBytes,
    searchBytes: documentsBytes + textIndexBytes + vocabBytes,
    fileBytes,
    detail,
  };
}

/**
 * The host's 1-minute load average, sampled at most every 5 s. Ticked from the loading and query
 * loops rather than by a timer: better-sqlite3 is synchronous and would starve the timer.
 */
export class LoadSampler {
  phase: "loading" | "queries" = "loading";
  private samples = { loading: [] as number[], queries: [] as number[] };
  private last = 0;

  reset(): void {
    this.phase = "loading";
    this.samples = { loading: [], queries: [] };
    this.tick(true);
  }

  tick(force = false): void {
    const now = performance.now();
    if (!force && now - this.last < 5000) return;
    this.samples[this.phase].push(os.loadavg()[0]!);
    this.last = now;
  }

  summary(): Record<"loading" | "queries", { mean: number; max: number } | null> {
    const of = (xs: number[]) =>
      xs.length === 0
        ? null
        : { mean: round(xs.reduce((a, b) => a + b, 0) / xs.length, 2), max: round(Math.max(...xs), 2) };
    return { loading: of(this.samples.loading), queries: of(this.samples.queries) };
  }
}

export const hostLoad = new LoadSampler();
