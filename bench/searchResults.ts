// The search bench's results: what one database at one size measured (SizeResult), the settings
// and targets it ran against, and the small helpers the run and its report share.
import type { ReferenceResult } from "./searchReference.ts";
import { type CorpusStats } from "./searchCorpus.ts";
import { COMMON_WORD, ROMAN_QUERY, STOP_WORD } from "./searchWords.ts";

export const DATABASES = { sqlite: "SQLite", postgres: "PostgreSQL" } as const;
export type Database = keyof typeof DATABASES;

export const TARGETS = {
  indexDocsPerSecond: 2000,
  /** Up to and including 100k documents. */
  small: { p50Ms: 5, p99Ms: 25 },
  /** 1M documents. */
  large: { p50Ms: null, p99Ms: 100 },
} as const;

export const QUERY_TYPES = [
  { key: "oneWord", label: "1 word" },
  { key: "twoWords", label: "2 words (one doc's)" },
  { key: "fourWords", label: "4 words (one doc's)" },
  { key: "fuzzy", label: "fuzzy (one typo)" },
  { key: "common", label: `common word ${COMMON_WORD}` },
  { key: "stop", label: `stop word ${STOP_WORD}` },
  { key: "rare", label: "rare word" },
  { key: "roman", label: `Roman Urdu "${ROMAN_QUERY}"` },
] as const;
export type QueryKey = (typeof QUERY_TYPES)[number]["key"];

export interface Settings {
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
  /** Also time the yardstick: a plain engine index ranking the common word. */
  reference: boolean;
  /** Words in a generated body, least and most (searchCorpus.ts, BODY_WORDS). */
  bodyWords: readonly [number, number];
}

export interface IndexSizes {
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

export interface QueryResult {
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

export interface SizeResult {
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
  /** With --reference: the plain-index query, timed on this machine. */
  reference?: ReferenceResult;
  error?: string;
}

export const sizeName = (n: number) =>
  n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n);

export function timedQueries(settings: Settings, size: number): number {
  if (settings.queries !== null) return settings.queries;
  return size <= 10_000 ? 1000 : size <= 100_000 ? 500 : 200;
}

export function fmtSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** Rounded to `digits` decimals. */
export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
/** Bytes as MiB, for the report. */
export const mib = (bytes: number) =>
  (bytes / 1024 / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 });
