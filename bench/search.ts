// Search bench: a synthetic corpus (searchCorpus.ts: Urdu script, English and Roman Urdu in
// 70/20/10 proportions, Zipf-like word frequencies) indexed in-process through indexInBulk (the
// pipeline `rasai search reindex` uses: analysis on a worker thread beside the writes) at
// 10k, 100k and 1M documents, on SQLite (a file in a temp folder, WAL as createDb sets it) and on
// PostgreSQL (a scratch database). Reports indexing rate, index size on disk, and latency of
// search() for several kinds of query, against the targets.
//
//   npm run bench -- search [--sizes 10k,100k,1m] [--db sqlite|postgres|both]
//                           [--queries N] [--warmup N] [--budget S] [--batch N] [--seed N] [--keep]
//                           [--reference] [--body-words MIN-MAX]
//
// --queries: timed queries per row (default 1,000 at 10k, 500 at 100k, 200 at 1m), after --warmup
// (50), the rows' queries interleaved; a row that takes more than --budget seconds (180) stops
// early and says so. --keep leaves the SQLite file and the PostgreSQL database in place (their
// names are printed) for EXPLAIN. --reference also times the yardstick (searchReference.ts).
// --body-words sets the words in a body (250-430 unless given, an article's length; the seed
// article's body has 341; 80-200 was the default before 2026-12-06).
import type { Db } from "../src/db/connect.ts";
import { systemClock } from "../src/db/clock.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { indexInBulk } from "../src/search/bulkIndex.ts";
import type { SearchSource } from "../src/search/indexer.ts";
import { PG_ADMIN_URL } from "./lib/postgres.ts";
import { cpuSpeedProbe, speedProbeLine, gitInfo, machineInfo, writeResults } from "./lib/results.ts";
import { measurePlainRanking } from "./searchReference.ts";
import { BODY_WORDS, Corpus } from "./searchCorpus.ts";
import { COMMON_WORD, WORD_LISTS } from "./searchWords.ts";
import { finishLoad, hostLoad, indexSizes, open, type Opened } from "./searchDatabases.ts";
import { roundTrip, runQueries } from "./searchQueries.ts";
import { printCorpus, printIndexing, printLatency, printReference } from "./searchReport.ts";
import {
  DATABASES,
  fmtSeconds,
  mib,
  QUERY_TYPES,
  round,
  sizeName,
  TARGETS,
  type Database,
  type Settings,
  type SizeResult,
} from "./searchResults.ts";

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
    bodyWords: BODY_WORDS,
  };
  const whole = (value: string, name: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${name} must be a whole number ${min}–${max}`);
    return n;
  };
  const usage =
    "search takes --sizes 10k,100k,1m --db sqlite|postgres|both --queries N --warmup N --budget S --batch N --seed N --keep --reference --body-words MIN-MAX";
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
    else if (key === "--body-words") {
      const m = /^(\d+)-(\d+)$/.exec(value);
      const bad = () => new Error(`--body-words takes MIN-MAX, as 250-430; got "${value}"`);
      if (!m) throw bad();
      const [min, max] = [whole(m[1]!, key, 1, 20_000), whole(m[2]!, key, 1, 20_000)];
      if (min > max) throw bad();
      settings.bodyWords = [min, max];
    } else throw new Error(`unknown option ${arg} (${usage})`);
  }
  if (settings.sizes.length === 0) throw new Error("--sizes names no size");
  return settings;
}

// ---- loading --------------------------------------------------------------------------------

async function load(
  db: Db,
  size: number,
  settings: Settings,
  log: (message: string) => void,
): Promise<{
  corpus: Corpus;
  indexSeconds: number;
  generateSeconds: number;
  samples: string[];
  /** A load into an empty index's word counts, for the finish to write. */
  wordCounts?: Map<string, number>;
}> {
  const corpus = new Corpus(size, settings.seed, settings.bodyWords);
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
  let wordCounts: Map<string, number> | undefined;
  await indexInBulk(db, batches(), systemClock, {
    // Written by the finish, beside its other work, as `rasai search reindex` does.
    onWordCounts: (counts) => (wordCounts = counts),
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
  return { corpus, indexSeconds: indexMs / 1000, generateSeconds: generateMs / 1000, samples, wordCounts };
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
    await finishLoad(db, loaded.wordCounts);
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
    log(`finished in ${fmtSeconds(analyseSeconds)}; measuring size on disk`);
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
  console.log(speedProbeLine(speedBefore, speedAfter));

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
