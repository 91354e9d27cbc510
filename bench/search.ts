// Search bench: a synthetic corpus (searchCorpus.ts: Urdu script, English and Roman Urdu in
// 70/20/10 proportions, Zipf-like word frequencies) indexed in-process through indexInBulk (the
// pipeline `rasai search reindex` uses: analysis on a worker thread beside the writes) at
// 10k, 100k and 1M documents, on SQLite (a file in a temp folder, WAL as createDb sets it) and on
// PostgreSQL (a scratch database). Reports indexing rate, index size on disk, and latency of
// search() for several kinds of query, against the issue's targets.
//
//   npm run bench -- search [--sizes 10k,100k,1m] [--db sqlite|postgres|both]
//                           [--queries N] [--warmup N] [--budget S] [--batch N] [--seed N] [--keep]
//
// --queries: timed queries per row (default 1,000 at 10k, 500 at 100k, 200 at 1m), after --warmup
// (50), the rows' queries interleaved; a row that takes more than --budget seconds (180) stops
// early and says so. --keep leaves the SQLite file and the PostgreSQL database in place (their
// names are printed) for EXPLAIN.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { createDb, isPostgres, type Db } from "../src/db/connect.ts";
import { systemClock } from "../src/db/clock.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { indexInBulk } from "../src/search/bulkIndex.ts";
import { finishRebuild } from "../src/search/maintenance.ts";
import type { SearchSource } from "../src/search/indexer.ts";
import { search, type SearchOutcome } from "../src/search/search.ts";
import { createScratchDatabase, PG_ADMIN_URL } from "./lib/postgres.ts";
import { cpuSpeedProbe, formatTable, gitInfo, machineInfo, percentile, writeResults } from "./lib/results.ts";
import { makeTempDir } from "./lib/tempdir.ts";
import { ISSUE_REFERENCE, measurePlainRanking, type ReferenceResult } from "./searchReference.ts";
import {
  COMMON_WORD,
  Corpus,
  prng,
  queryFromText,
  queryPools,
  ROMAN_QUERY,
  STOP_WORD,
  WORD_LISTS,
  type CorpusStats,
} from "./searchCorpus.ts";

const DATABASES = { sqlite: "SQLite", postgres: "PostgreSQL" } as const;
type Database = keyof typeof DATABASES;

const TARGETS = {
  indexDocsPerSecond: 2000,
  /** Up to and including 100k documents. */
  small: { p50Ms: 5, p99Ms: 25 },
  /** 1M documents. */
  large: { p50Ms: null, p99Ms: 100 },
} as const;

const QUERY_TYPES = [
  { key: "oneWord", label: "1 word" },
  { key: "twoWords", label: "2 words (one doc's)" },
  { key: "fourWords", label: "4 words (one doc's)" },
  { key: "fuzzy", label: "fuzzy (one typo)" },
  { key: "common", label: `common word ${COMMON_WORD}` },
  { key: "stop", label: `stop word ${STOP_WORD}` },
  { key: "rare", label: "rare word" },
  { key: "roman", label: `Roman Urdu "${ROMAN_QUERY}"` },
] as const;
type QueryKey = (typeof QUERY_TYPES)[number]["key"];

interface Settings {
  sizes: number[];
  databases: Database[];
  batch: number;
  seed: number;
  /** Timed queries per type; null: by size (1,000 at ≤10k, 500 at ≤100k, 200 above). */
  queries: number | null;
  warmup: number;
  /** Seconds per row (warm-up included) after which a row stops with fewer timed queries. */
  budgetSeconds: number;
  keep: boolean;
  /** Also time the issue's yardstick: a plain engine index ranking the common word. */
  reference: boolean;
}

interface IndexSizes {
  /** search_documents with its B-tree indexes (and TOAST on PostgreSQL), without the text index. */
  documentsBytes: number;
  /** FTS5 shadow tables (SQLite) or the GIN indexes (PostgreSQL). */
  textIndexBytes: number;
  /** search_vocab and any other search_ table (typo-correction vocabulary). */
  vocabBytes: number;
  /** The three above. */
  searchBytes: number;
  /** SQLite: the database file after a WAL checkpoint. PostgreSQL: pg_database_size. */
  fileBytes: number;
  /** Bytes per table or index as the database reports them. */
  detail: Record<string, number>;
}

interface QueryResult {
  label: string;
  /** Distinct queries cycled through. */
  pool: number;
  warmup: number;
  /** Timed queries asked for, and timed (fewer when the row ran out of its time budget). */
  asked: number;
  timed: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  /** Median SearchOutcome.total (candidates ranked, at most two windows of 200). */
  medianResults: number;
  /** Share of timed queries with outcome.more (more matches than the window holds). */
  moreShare: number;
  /** Share of timed queries that came back with a corrected query. */
  correctedShare: number;
  /** Share of timed queries with no results at all. */
  emptyShare: number;
  examples: string[];
  /** Fuzzy only: typo candidates tried before enough were found that search corrects. */
  candidatesTried?: number;
}

interface SizeResult {
  database: Database;
  label: string;
  documents: number;
  corpus?: CorpusStats;
  indexing?: {
    /** Wall time of the bulk pipeline, generation excluded. */
    indexSeconds: number;
    /** Time spent generating documents (not counted in docsPerSecond). */
    generateSeconds: number;
    docsPerSecond: number;
    /** After loading: ANALYZE + PRAGMA optimize + FTS5 optimize (SQLite), VACUUM (ANALYZE) (PostgreSQL). */
    analyseSeconds: number;
    vocabularyWords: number;
  };
  sizes?: IndexSizes;
  queries: Partial<Record<QueryKey, QueryResult>>;
  /** Where the data was left with --keep. */
  kept?: string;
  /**
   * The host's 1-minute load average, sampled every 5 s while loading and while querying: other
   * work on the machine (CPUs: machine.cpus) shows up in the figures, most in p99.
   */
  hostLoad?: Record<"loading" | "queries", { mean: number; max: number } | null>;
  /**
   * PostgreSQL only: median µs of a `select 1` round trip, before and after the queries. A search
   * makes three; on a virtual machine their cost (waking the server and being woken) has been seen
   * to double from one hour to the next while plain computation barely changed.
   */
  roundTripUs?: { before: number; after: number };
  /** With --reference: the issue's plain-index query, timed on this machine. */
  reference?: ReferenceResult;
  error?: string;
}

// ---- options --------------------------------------------------------------------------------

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`--sizes takes sizes like 10k,100k,1m; got "${text}"`);
  const n = Number(m[1]) * ({ k: 1e3, m: 1e6 }[m[2]!.toLowerCase()] ?? 1);
  if (!Number.isInteger(n) || n < 100) throw new Error(`a size must be a whole number ≥ 100; got "${text}"`);
  return n;
}

function parseArgs(args: string[]): Settings {
  const settings: Settings = {
    sizes: [10_000, 100_000, 1_000_000],
    databases: ["sqlite", "postgres"],
    batch: 500,
    seed: 1,
    queries: null,
    warmup: 50,
    budgetSeconds: 180,
    keep: false,
    reference: false,
  };
  const whole = (value: string, name: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${name} must be a whole number ${min}–${max}`);
    return n;
  };
  const usage =
    "search takes --sizes 10k,100k,1m --db sqlite|postgres|both --queries N --warmup N --budget S --batch N --seed N --keep --reference";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--keep" || arg === "--reference") {
      settings[arg === "--keep" ? "keep" : "reference"] = true;
      continue;
    }
    const [key, inline] = arg.split("=", 2) as [string, string | undefined];
    let value = inline;
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new Error(`${key} needs a value (${usage})`);
    }
    if (key === "--sizes") settings.sizes = value.split(",").filter(Boolean).map(parseSize);
    else if (key === "--db") {
      if (value === "both") settings.databases = ["sqlite", "postgres"];
      else if (value in DATABASES) settings.databases = [value as Database];
      else throw new Error(`--db takes sqlite, postgres or both; got "${value}"`);
    } else if (key === "--queries") settings.queries = whole(value, key, 10, 100_000);
    else if (key === "--warmup") settings.warmup = whole(value, key, 0, 10_000);
    else if (key === "--budget") settings.budgetSeconds = whole(value, key, 1, 86_400);
    else if (key === "--batch") settings.batch = whole(value, key, 1, 10_000);
    else if (key === "--seed") settings.seed = whole(value, key, 0, 2 ** 31 - 1);
    else throw new Error(`unknown option ${arg} (${usage})`);
  }
  if (settings.sizes.length === 0) throw new Error("--sizes names no size");
  return settings;
}

const sizeName = (n: number) =>
  n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n);

function timedQueries(settings: Settings, size: number): number {
  if (settings.queries !== null) return settings.queries;
  return size <= 10_000 ? 1000 : size <= 100_000 ? 500 : 200;
}

// ---- databases ------------------------------------------------------------------------------

interface Opened {
  db: Db;
  /** SQLite file, or null on PostgreSQL. */
  file: string | null;
  where: string;
  close: () => Promise<void>;
}

async function open(database: Database, keep: boolean, tag: string): Promise<Opened> {
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
  let scratch: { name: string; url: string; drop: () => Promise<void> };
  if (keep) {
    // Not registered for cleanup: the database outlives the bench for EXPLAIN sessions.
    const name = `rasai_bench_search_${tag}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    scratch = { name, url: url.toString(), drop: async () => {} };
  } else scratch = await createScratchDatabase();
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

async function analyse(db: Db): Promise<void> {
  if (isPostgres(db)) {
    // The scratch database holds only Rasai's tables. autovacuum may be off (it is on the bench
    // machine); VACUUM also flushes GIN's pending lists, as autovacuum would in service.
    await sql`vacuum (analyze)`.execute(db);
  } else {
    await sql`analyze`.execute(db);
    await sql`pragma optimize`.execute(db);
  }
  // What `rasai search reindex` does after a rebuild (FTS5 segments merged; statistics refreshed).
  await finishRebuild(db);
}

/**
 * Bytes of the search tables, grouped by what they hold. Grouped by name, so a change to the
 * search schema (another FTS table, another vocabulary table) is still counted.
 */
async function indexSizes(db: Db, file: string | null): Promise<IndexSizes> {
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
class LoadSampler {
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

const hostLoad = new LoadSampler();

// ---- loading --------------------------------------------------------------------------------

async function load(
  db: Db,
  size: number,
  settings: Settings,
  log: (message: string) => void,
): Promise<{ corpus: Corpus; indexSeconds: number; generateSeconds: number; samples: string[] }> {
  const corpus = new Corpus(size, settings.seed);
  // Title and strap of ~400 documents spread over the corpus, for multi-word queries.
  const samples: string[] = [];
  const step = Math.max(1, Math.floor(size / 400));
  const started = performance.now();
  let generateMs = 0;
  let done = 0;
  let lastReport = started;
  let lastDone = 0;
  let lastIndexMs = 0;
  // Generation runs on the main thread between writes; it is timed and left out of the rate.
  function* batches(): Generator<SearchSource[]> {
    for (;;) {
      const g = performance.now();
      const batch = corpus.next(settings.batch);
      generateMs += performance.now() - g;
      if (batch.length === 0) return;
      batch.forEach((d, i) => {
        if ((done + i) % step === 0) samples.push(`${d.title} ${d.strap}`);
      });
      yield batch;
    }
  }
  // The same pipeline as `rasai search reindex`: analysis on a worker thread beside the writes.
  await indexInBulk(db, batches(), systemClock, {
    onBatch: (batch) => {
      const now = performance.now();
      const indexMs = now - started - generateMs;
      done += batch.length;
      hostLoad.tick();
      if (now - lastReport >= 5000 || done === size) {
        const rate = (done / indexMs) * 1000;
        const recent = ((done - lastDone) / (indexMs - lastIndexMs)) * 1000;
        const eta =
          done < size ? `, ETA ${fmtSeconds((((size - done) / done) * (now - started)) / 1000)}` : "";
        log(
          `${done.toLocaleString("en-US")}/${size.toLocaleString("en-US")} docs (${Math.floor((done / size) * 100)}%), ` +
            `${Math.round(rate).toLocaleString("en-US")} docs/s indexing (recent ${Math.round(recent).toLocaleString("en-US")}), ` +
            `elapsed ${fmtSeconds((now - started) / 1000)} of which generating ${fmtSeconds(generateMs / 1000)}${eta}`,
        );
        lastReport = now;
        lastDone = done;
        lastIndexMs = indexMs;
      }
    },
  });
  const indexMs = performance.now() - started - generateMs;
  return { corpus, indexSeconds: indexMs / 1000, generateSeconds: generateMs / 1000, samples };
}

function fmtSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

// ---- queries --------------------------------------------------------------------------------

const runSearch = (db: Db, q: string): Promise<SearchOutcome> =>
  search(db, { q, limit: 10, offset: 0 }, systemClock);

interface Row {
  key: QueryKey;
  label: string;
  pool: readonly string[];
}

/**
 * Times every row's queries interleaved: the first query of each row, then the second of each,
 * and so on. A stretch when the machine runs slow (other work on the host) then falls on every
 * row alike instead of on whichever row was running, so the rows compare side by side. Each row
 * has its own time budget: slow rows (seconds per query) would take hours at 1M, so past it a row
 * stops early (after at least 10 timed queries).
 */
async function measureRows(
  db: Db,
  rows: readonly Row[],
  warmup: number,
  asked: number,
  budgetMs: number,
): Promise<Map<QueryKey, QueryResult>> {
  const state = rows.map((row) => ({
    row,
    spent: 0,
    warmed: 0,
    ms: [] as number[],
    totals: [] as number[],
    more: 0,
    corrected: 0,
    empty: 0,
  }));
  for (let i = 0; i < warmup; i++) {
    for (const s of state) {
      if (s.spent >= budgetMs * 0.25) continue;
      const t = performance.now();
      await runSearch(db, s.row.pool[s.warmed++ % s.row.pool.length]!);
      s.spent += performance.now() - t;
    }
  }
  for (const s of state) s.spent = 0;
  for (let i = 0; i < asked; i++) {
    const open = state.filter((s) => s.ms.length < 10 || s.spent < budgetMs);
    if (open.length === 0) break;
    for (const s of open) {
      const q = s.row.pool[i % s.row.pool.length]!;
      const t = performance.now();
      const out = await runSearch(db, q);
      const took = performance.now() - t;
      s.ms.push(took);
      s.spent += took;
      hostLoad.tick();
      s.totals.push(out.total);
      if (out.more) s.more++;
      if (out.correctedQuery !== null) s.corrected++;
      if (out.results.length === 0) s.empty++;
    }
  }
  const r2 = (n: number) => Math.round(n * 100) / 100;
  const out = new Map<QueryKey, QueryResult>();
  for (const s of state) {
    const sorted = [...s.ms].sort((a, b) => a - b);
    const timed = s.ms.length;
    out.set(s.row.key, {
      label: s.row.label,
      pool: s.row.pool.length,
      warmup: s.warmed,
      asked,
      timed,
      p50Ms: r2(percentile(sorted, 0.5)),
      p99Ms: r2(percentile(sorted, 0.99)),
      meanMs: r2(s.ms.reduce((a, b) => a + b, 0) / timed),
      maxMs: r2(sorted.at(-1)!),
      medianResults: percentile(
        [...s.totals].sort((a, b) => a - b),
        0.5,
      ),
      moreShare: r2(s.more / timed),
      correctedShare: r2(s.corrected / timed),
      emptyShare: r2(s.empty / timed),
      examples: s.row.pool.slice(0, 3),
    });
  }
  return out;
}

/** Typo candidates that search really corrects on this corpus (exact or phonetic hits are not typos). */
async function fuzzyPool(
  db: Db,
  candidates: readonly string[],
  want: number,
  budgetMs: number,
): Promise<{ pool: string[]; tried: number }> {
  const pool: string[] = [];
  let tried = 0;
  const deadline = performance.now() + budgetMs;
  for (const q of candidates) {
    if (pool.length >= want || (pool.length >= 10 && performance.now() > deadline)) break;
    tried++;
    const out = await runSearch(db, q);
    if (out.correctedQuery !== null && out.results.length > 0) pool.push(q);
  }
  return { pool, tried };
}

/** Queries of `n` words each taken from one sampled document; random list words if too few. */
function fromDocuments(samples: readonly string[], n: number, seed: number, fallback: string[]): string[] {
  const random = prng(seed + n);
  const out: string[] = [];
  for (const text of samples) {
    const q = queryFromText(text, n, random);
    if (q !== null) out.push(q);
    if (out.length === 100) break;
  }
  return out.length >= 20 ? out : fallback;
}

async function runQueries(
  db: Db,
  size: number,
  samples: readonly string[],
  settings: Settings,
  log: (message: string) => void,
): Promise<Partial<Record<QueryKey, QueryResult>>> {
  const pools = queryPools(settings.seed);
  const timed = timedQueries(settings, size);
  const fuzzy = await fuzzyPool(db, pools.fuzzyCandidates, 100, settings.budgetSeconds * 1000);
  const byKey: Record<QueryKey, string[]> = {
    oneWord: pools.oneWord,
    twoWords: fromDocuments(samples, 2, settings.seed, pools.twoWords),
    fourWords: fromDocuments(samples, 4, settings.seed, pools.fourWords),
    fuzzy: fuzzy.pool,
    common: [COMMON_WORD],
    stop: [STOP_WORD],
    rare: pools.rare,
    roman: [ROMAN_QUERY],
  };
  const rows: Row[] = [];
  for (const { key, label } of QUERY_TYPES) {
    if (byKey[key].length > 0) rows.push({ key, label, pool: byKey[key] });
    else log(`${label}: no queries (none of ${fuzzy.tried} typo candidates was corrected)`);
  }
  const started = performance.now();
  const measured = await measureRows(db, rows, settings.warmup, timed, settings.budgetSeconds * 1000);
  const out: Partial<Record<QueryKey, QueryResult>> = {};
  for (const { key, label } of rows) {
    const r = measured.get(key)!;
    if (key === "fuzzy") r.candidatesTried = fuzzy.tried;
    out[key] = r;
    log(
      `${label}: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms over ${r.timed} queries ` +
        (r.timed < timed ? `(time budget: ${timed} asked) ` : "") +
        `(${r.pool} distinct)`,
    );
  }
  log(`queries: ${fmtSeconds((performance.now() - started) / 1000)}, every row's interleaved`);
  return out;
}

/** Median µs of a trivial statement's round trip (300 in a row, after 50 unmeasured). */
async function roundTrip(db: Db): Promise<number> {
  const us: number[] = [];
  for (let i = 0; i < 350; i++) {
    const t = performance.now();
    await sql`select 1`.execute(db);
    if (i >= 50) us.push((performance.now() - t) * 1000);
  }
  return Math.round(
    percentile(
      us.sort((a, b) => a - b),
      0.5,
    ),
  );
}

// ---- one database at one size ---------------------------------------------------------------

async function benchSize(database: Database, size: number, settings: Settings): Promise<SizeResult> {
  const tag = `${database} ${sizeName(size)}`;
  const log = (message: string) => console.error(`[${tag}] ${message}`);
  const result: SizeResult = { database, label: DATABASES[database], documents: size, queries: {} };
  let opened: Opened | undefined;
  hostLoad.reset();
  try {
    opened = await open(database, settings.keep, sizeName(size));
    const { db } = opened;
    await migrateToLatest(db);
    log(
      `loading ${size.toLocaleString("en-US")} documents in batches of ${settings.batch} into ${opened.where}`,
    );
    const loaded = await load(db, size, settings, log);
    const a = performance.now();
    await analyse(db);
    const analyseSeconds = (performance.now() - a) / 1000;
    const vocab = await db
      .selectFrom("search_vocab")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    result.corpus = loaded.corpus.stats;
    result.indexing = {
      indexSeconds: round(loaded.indexSeconds, 2),
      generateSeconds: round(loaded.generateSeconds, 2),
      docsPerSecond: Math.round(size / loaded.indexSeconds),
      analyseSeconds: round(analyseSeconds, 2),
      vocabularyWords: Number(vocab.n),
    };
    log(`analysed in ${fmtSeconds(analyseSeconds)}; measuring size on disk`);
    result.sizes = await indexSizes(db, opened.file);
    log(
      `search tables ${mib(result.sizes.searchBytes)} MiB, ${database === "sqlite" ? "file" : "database"} ` +
        `${mib(result.sizes.fileBytes)} MiB; running queries`,
    );
    hostLoad.phase = "queries";
    hostLoad.tick(true);
    const tripBefore = database === "postgres" ? await roundTrip(db) : null;
    result.queries = await runQueries(db, size, loaded.samples, settings, log);
    if (tripBefore !== null) result.roundTripUs = { before: tripBefore, after: await roundTrip(db) };
    if (settings.reference) {
      log(
        `building a plain ${database === "sqlite" ? "FTS5" : "tsvector + GIN"} index for the reference query`,
      );
      result.reference = await measurePlainRanking(db, COMMON_WORD, 200, settings.budgetSeconds * 1000);
      log(`reference: p50 ${result.reference.p50Ms} ms, p99 ${result.reference.p99Ms} ms`);
    }
    if (settings.keep) {
      result.kept = opened.where;
      log(`kept ${opened.where}`);
    }
  } catch (error) {
    result.error = (error as Error).stack ?? String(error);
    log(`failed: ${result.error}`);
  } finally {
    result.hostLoad = hostLoad.summary();
    try {
      await opened?.close();
    } catch (error) {
      log(`cleanup failed: ${(error as Error).message}`);
      result.error ??= `cleanup failed: ${(error as Error).message}`;
    }
  }
  return result;
}

// ---- report ---------------------------------------------------------------------------------

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const mib = (bytes: number) => (bytes / 1024 / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 });
const show = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || Number.isNaN(n)
    ? "–"
    : n.toLocaleString("en-US", { maximumFractionDigits: digits });

function latencyTarget(size: number): { p50Ms: number | null; p99Ms: number } {
  return size > 100_000 ? TARGETS.large : TARGETS.small;
}

function printIndexing(results: SizeResult[], settings: Settings): void {
  const columns = ["docs/s", "index s", "docs MiB", "text idx MiB", "vocab MiB", "search MiB", "file MiB"];
  const header = ["size", ...settings.databases.flatMap(() => columns)];
  const rows = settings.sizes.map((size) => [
    sizeName(size),
    ...settings.databases.flatMap((database) => {
      const r = results.find((x) => x.database === database && x.documents === size);
      if (!r?.indexing || !r.sizes) return columns.map((_c, i) => (i === 0 ? "failed" : "–"));
      const slow = r.indexing.docsPerSecond < TARGETS.indexDocsPerSecond ? "!" : "";
      return [
        show(r.indexing.docsPerSecond, 0) + slow,
        show(r.indexing.indexSeconds, 1),
        mib(r.sizes.documentsBytes),
        mib(r.sizes.textIndexBytes),
        mib(r.sizes.vocabBytes),
        mib(r.sizes.searchBytes),
        mib(r.sizes.fileBytes),
      ];
    }),
  ]);
  const groups = [
    { label: "", span: 1 },
    ...settings.databases.map((d) => ({ label: DATABASES[d], span: columns.length })),
  ];
  console.log(
    `Indexing (target ≥ ${TARGETS.indexDocsPerSecond.toLocaleString("en-US")} docs/s; ! = below it)\n`,
  );
  console.log(formatTable(header, rows, groups));
  console.log(
    "\ndocs/s: documents / wall time of the bulk indexing pipeline (reindex's: analysis on a worker beside the writes), generation excluded. docs: search_documents" +
      "\nwith its B-tree indexes (stored title, strap, body, terms); text idx: FTS5 shadow tables / GIN indexes;" +
      "\nvocab: search_vocab (and any other search_ table); file: SQLite file after a WAL checkpoint / pg_database_size.",
  );
}

function printLatency(results: SizeResult[], settings: Settings, size: number): void {
  const target = latencyTarget(size);
  const columns = ["p50 ms", "p99 ms", "mean", "n", "results"];
  const header = ["query", ...settings.databases.flatMap(() => columns)];
  const mark = (value: number, limit: number | null) =>
    show(value, 2) + (limit !== null && value > limit ? "!" : "");
  const rows = QUERY_TYPES.map(({ key, label }) => [
    label,
    ...settings.databases.flatMap((database) => {
      const q = results.find((x) => x.database === database && x.documents === size)?.queries[key];
      if (!q) return columns.map((_c, i) => (i === 0 ? "–" : ""));
      return [
        mark(q.p50Ms, target.p50Ms),
        mark(q.p99Ms, target.p99Ms),
        show(q.meanMs, 2),
        String(q.timed) + (q.timed < q.asked ? "~" : ""),
        `${q.medianResults}${q.moreShare >= 0.5 ? "+" : ""}`,
      ];
    }),
  ]);
  const groups = [
    { label: "", span: 1 },
    ...settings.databases.map((d) => ({ label: DATABASES[d], span: columns.length })),
  ];
  const first = results.find((x) => x.documents === size && x.queries.oneWord);
  const timed = first?.queries.oneWord?.timed ?? timedQueries(settings, size);
  const goal = [target.p50Ms !== null ? `p50 ≤ ${target.p50Ms} ms` : null, `p99 ≤ ${target.p99Ms} ms`]
    .filter(Boolean)
    .join(", ");
  console.log(
    `\n${size.toLocaleString("en-US")} documents — ${timed} timed queries per row after ${settings.warmup} warm-up — ` +
      `target ${goal} (! = over it; n~ = stopped by the ${settings.budgetSeconds} s time budget per row)\n`,
  );
  console.log(formatTable(header, rows, groups));
}

function printReference(results: SizeResult[]): void {
  const rows = results
    .filter((r) => r.reference)
    .map((r) => {
      const ref = r.reference!;
      const issue = ISSUE_REFERENCE[r.database];
      const common = r.queries.common;
      return [
        `${r.label} ${sizeName(r.documents)}`,
        ref.label,
        `${show(issue.p50Ms, 0)} / ${show(issue.p99Ms, 0)}`,
        `${show(ref.p50Ms, 2)} / ${show(ref.p99Ms, 2)}`,
        r.documents === 100_000 ? `${show(ref.p50Ms / issue.p50Ms, 2)}×` : "–",
        common ? `${show(common.p50Ms, 2)} / ${show(common.p99Ms, 2)}` : "–",
        show(ref.matches, 0),
      ];
    });
  if (rows.length === 0) return;
  console.log(
    `\nThe issue's yardstick, timed here: ${COMMON_WORD} through a plain engine index of the same documents ` +
      "(text as written, engine ranking, top 10), against what the issue's 2-core reference machine took at 100k",
  );
  console.log(
    formatTable(
      [
        "run",
        "plain index",
        "issue p50/p99",
        "here p50/p99",
        "here ÷ issue",
        "Rasai's search p50/p99",
        "matches",
      ],
      rows,
    ),
  );
  console.log(
    "here ÷ issue: above 1 = this machine (or this corpus) is slower than the issue's reference at that query. The" +
      "\nplain index matches only the word as written (Rasai's search also finds its other spellings).",
  );
}

const loadText = (l: { mean: number; max: number } | null) => (l ? `${l.mean}/${l.max}` : "–");

function printCorpus(results: SizeResult[], settings: Settings): void {
  const lines: string[] = [];
  for (const size of settings.sizes) {
    const r = results.find((x) => x.documents === size && x.corpus);
    if (!r?.corpus) continue;
    const c = r.corpus;
    const pct = (n: number) => `${((n / c.documents) * 100).toFixed(1)}%`;
    const vocab = results
      .filter((x) => x.documents === size && x.indexing)
      .map((x) => `${x.label} ${x.indexing!.vocabularyWords.toLocaleString("en-US")}`)
      .join(", ");
    lines.push(
      `${sizeName(size)}: ${Math.round(c.words / c.documents)} words/doc; Urdu ${pct(c.byScript.urdu)}, English ` +
        `${pct(c.byScript.english)}, Roman Urdu ${pct(c.byScript.roman)}; ${COMMON_WORD} (any script) in ` +
        `${pct(c.withCommonWord)}, ${STOP_WORD} in ${pct(c.withStopWord)}, a rare word in ${pct(c.withRareWord)}; ` +
        `typo vocabulary: ${vocab}`,
    );
  }
  const fuzzy = results
    .filter((r) => r.queries.fuzzy)
    .map(
      (r) =>
        `${r.label} ${sizeName(r.documents)} ${r.queries.fuzzy!.pool}/${r.queries.fuzzy!.candidatesTried}`,
    );
  console.log(`\nCorpus (seed ${settings.seed}):\n  ${lines.join("\n  ")}`);
  if (fuzzy.length > 0)
    console.log(`  fuzzy queries kept (search corrected them) / typo candidates tried: ${fuzzy.join(", ")}`);
  console.log(
    "  queries: 1 word = a list word drawn uniformly (70% Urdu, 20% English, 10% Roman Urdu); 2 and 4 words =" +
      "\n  list words from the title and strap of one document; fuzzy = a list word of 6+ letters with one edit" +
      "\n  (kept only when search corrects it); rare = real words placed in ~0.05–0.1% of documents." +
      "\n  results: median SearchOutcome.total (distinct candidates ranked; + = most queries matched more than the window).",
  );
  const cpus = machineInfo().cpus;
  console.log(
    `  host load (1-min load average on ${cpus} CPUs, mean/max; other work on the machine shows in the figures): ` +
      results
        .filter((r) => r.hostLoad)
        .map(
          (r) =>
            `${r.label} ${sizeName(r.documents)} loading ${loadText(r.hostLoad!.loading)}, ` +
            `queries ${loadText(r.hostLoad!.queries)}`,
        )
        .join("; "),
  );
  const trips = results.filter((r) => r.roundTripUs);
  if (trips.length > 0)
    console.log(
      "  round trip (median µs of `select 1`, before/after the queries; a search makes three): " +
        trips
          .map((r) => `${r.label} ${sizeName(r.documents)} ${r.roundTripUs!.before}/${r.roundTripUs!.after}`)
          .join("; "),
    );
  for (const r of results)
    if (r.error) console.log(`\n${r.label} ${sizeName(r.documents)} FAILED: ${r.error}`);
}

export async function run(args: string[]): Promise<void> {
  const settings = parseArgs(args);
  const date = new Date();
  const speedBefore = cpuSpeedProbe();
  const results: SizeResult[] = [];
  for (const size of settings.sizes) {
    for (const database of settings.databases) results.push(await benchSize(database, size, settings));
  }
  const speedAfter = cpuSpeedProbe();

  console.log(
    `\nRasai search bench — ${date.toISOString()} — in-process search() and indexInBulk(), ` +
      `batches of ${settings.batch}, one client, limit 10\n`,
  );
  printIndexing(results, settings);
  for (const size of settings.sizes) printLatency(results, settings, size);
  if (settings.reference) printReference(results);
  printCorpus(results, settings);
  console.log(
    `  machine speed: a fixed loop took ${speedBefore} ms before and ${speedAfter} ms after (lower is faster; ` +
      `this kind of machine has run it in 340–480 ms)`,
  );

  const files = writeResults("search", date, {
    bench: "search",
    date: date.toISOString(),
    machine: { ...machineInfo(), speedProbeMs: { before: speedBefore, after: speedAfter } },
    git: gitInfo(),
    settings: {
      ...settings,
      postgres: settings.databases.includes("postgres") ? PG_ADMIN_URL : undefined,
      wordLists: WORD_LISTS,
      queryTypes: QUERY_TYPES,
    },
    targets: TARGETS,
    units: {
      latency: "ms of one awaited search() call (planning, engine queries, ranking, snippets), one client",
      docsPerSecond:
        "documents / wall seconds of indexInBulk (worker analysis beside batch transactions); generation excluded",
      bytes: "SQLite: dbstat pgsize sums; PostgreSQL: pg_total_relation_size / pg_relation_size",
    },
    results,
  });
  console.log(`\nwrote ${files.join(" and ")}`);
  if (results.some((r) => r.error)) process.exitCode = 1;
}
