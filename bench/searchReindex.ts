// Reindex bench: `rasai search reindex` (reindexAll) over real article rows, where the search bench
// times the bulk pipeline alone on generated documents. Here the articles are read from their
// table, their Markdown turned into words, each batch checked against the articles as they are
// when it is written, and the rebuild finished (word counts, FTS5 merge / VACUUM ANALYZE): all of
// what a centre waits for. Two rebuilds per database: into an empty index (a first build, or after
// an upgrade), then over the full index it made (a rebuild).
//
//   npm run bench -- search-reindex [--articles 20k] [--db sqlite|postgres|both]
//                                   [--body-words MIN-MAX] [--seed N]
//
// The articles are the search bench's generated documents (searchCorpus.ts) written as article
// rows, bodies in paragraphs, 250–430 words unless --body-words says otherwise (the seed article's
// body has 341). Writing them is timed apart and not part of any rate.
import { systemClock } from "../src/db/clock.ts";
import type { Db } from "../src/db/connect.ts";
import type { ArticleTable } from "../src/db/schema.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { countIndexed } from "../src/search/queries.ts";
import { reindexAll } from "../src/search/reindex.ts";
import type { SearchSource } from "../src/search/indexer.ts";
import {
  cpuSpeedProbe,
  speedProbeLine,
  formatTable,
  gitInfo,
  machineInfo,
  writeResults,
} from "./lib/results.ts";
import { Corpus } from "./searchCorpus.ts";
import { open, type Opened } from "./searchDatabases.ts";
import { DATABASES, fmtSeconds, round, TARGETS, type Database } from "./searchResults.ts";

interface Settings {
  articles: number;
  databases: Database[];
  bodyWords: readonly [number, number];
  seed: number;
}

interface Rebuild {
  /** Wall time of reindexAll, from its first count to its return. */
  seconds: number;
  docsPerSecond: number;
  /** Until the last batch was written (the rest is the finish). */
  batchSeconds: number;
  batchDocsPerSecond: number;
  finishSeconds: number;
}

interface DatabaseResult {
  database: Database;
  articles: number;
  wordsPerArticle?: number;
  writeSeconds?: number;
  empty?: Rebuild;
  full?: Rebuild;
  error?: string;
}

const WRITE_BATCH = 500;
/** Words per paragraph of a generated body, so markdownWords has paragraphs to join. */
const PARAGRAPH_WORDS = 60;

function parseArgs(args: string[]): Settings {
  const settings: Settings = {
    articles: 20_000,
    databases: ["sqlite", "postgres"],
    bodyWords: [250, 430],
    seed: 1,
  };
  const usage = "search-reindex takes --articles N --db sqlite|postgres|both --body-words MIN-MAX --seed N";
  for (let i = 0; i < args.length; i++) {
    const [key, inline] = args[i]!.split("=", 2) as [string, string | undefined];
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`${key} needs a value (${usage})`);
    if (key === "--articles") {
      const m = /^(\d+)(k?)$/i.exec(value);
      const n = m ? Number(m[1]) * (m[2] ? 1000 : 1) : NaN;
      if (!Number.isInteger(n) || n < 100 || n > 1_000_000)
        throw new Error(`--articles takes 100 to 1000k, as 20k; got "${value}"`);
      settings.articles = n;
    } else if (key === "--db") {
      if (value === "both") settings.databases = ["sqlite", "postgres"];
      else if (value in DATABASES) settings.databases = [value as Database];
      else throw new Error(`--db takes sqlite, postgres or both; got "${value}"`);
    } else if (key === "--body-words") {
      const m = /^(\d+)-(\d+)$/.exec(value);
      const [min, max] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
      if (!(min >= 1 && max >= min && max <= 20_000))
        throw new Error(`--body-words takes MIN-MAX, as 250-430; got "${value}"`);
      settings.bodyWords = [min, max];
    } else if (key === "--seed") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--seed takes a whole number; got "${value}"`);
      settings.seed = n;
    } else throw new Error(`unknown option ${key} (${usage})`);
  }
  return settings;
}

/** A generated document as the article row a newsroom would have published. */
function articleOf(doc: SearchSource, index: number): ArticleTable {
  const words = doc.body_text.split(" ");
  const paragraphs: string[] = [];
  for (let i = 0; i < words.length; i += PARAGRAPH_WORDS)
    paragraphs.push(words.slice(i, i + PARAGRAPH_WORDS).join(" "));
  return {
    id: doc.id,
    created_at: doc.published_at,
    updated_at: doc.published_at,
    deleted_at: null,
    centre_id: null,
    short_id: index.toString(36).padStart(7, "0"),
    lang: doc.lang as ArticleTable["lang"],
    kind: doc.kind as ArticleTable["kind"],
    status: "published",
    slug: `article-${index}`,
    title: doc.title,
    strap: doc.strap,
    body_md: paragraphs.join("\n\n"),
    body_html: paragraphs.map((p) => `<p>${p}</p>`).join("\n"),
    image_path: null,
    image_alt: null,
    image_caption: null,
    image_width: null,
    image_height: null,
    image_variants: "[]",
    byline: null,
    view_count: 0,
    published_at: doc.published_at,
    scheduled_at: null,
    expires_at: doc.expires_at,
    content_updated_at: null,
    category_id: null,
    tags: "[]",
    also_read: "[]",
    also_read_after: 0,
    translation_group: null,
    author_id: null,
    source_key: null,
    comments_open: 1,
  };
}

async function writeArticles(db: Db, settings: Settings, log: (m: string) => void): Promise<Corpus> {
  const corpus = new Corpus(settings.articles, settings.seed, settings.bodyWords);
  let written = 0;
  let lastLog = performance.now();
  for (;;) {
    const batch = corpus.next(WRITE_BATCH);
    if (batch.length === 0) break;
    const rows = batch.map((d, i) => articleOf(d, written + i));
    await db.transaction().execute(async (trx) => {
      // In slices: SQLite allows 32,766 parameters to a statement, and a row has 34.
      for (let i = 0; i < rows.length; i += 100)
        await trx
          .insertInto("articles")
          .values(rows.slice(i, i + 100))
          .execute();
    });
    written += batch.length;
    if (performance.now() - lastLog > 5000 || written === settings.articles) {
      log(
        `writing articles: ${written.toLocaleString("en-US")}/${settings.articles.toLocaleString("en-US")}`,
      );
      lastLog = performance.now();
    }
  }
  return corpus;
}

async function rebuild(db: Db, label: string, log: (m: string) => void): Promise<Rebuild> {
  const started = performance.now();
  let batchesDone = started;
  let lastLog = started;
  const { indexed } = await reindexAll(db, systemClock, ({ done, total }) => {
    const now = performance.now();
    if (done === total) batchesDone = now;
    if (now - lastLog > 5000 || done === total) {
      const rate = done / ((now - started) / 1000);
      log(
        `${label}: ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} ` +
          `(${Math.floor((done / Math.max(1, total)) * 100)}%), ${Math.round(rate).toLocaleString("en-US")} docs/s`,
      );
      lastLog = now;
    }
  });
  const ended = performance.now();
  const seconds = (ended - started) / 1000;
  const batchSeconds = (batchesDone - started) / 1000;
  log(`${label}: ${indexed.toLocaleString("en-US")} indexed in ${fmtSeconds(seconds)}`);
  return {
    seconds: round(seconds, 2),
    docsPerSecond: Math.round(indexed / seconds),
    batchSeconds: round(batchSeconds, 2),
    batchDocsPerSecond: Math.round(indexed / batchSeconds),
    finishSeconds: round(seconds - batchSeconds, 2),
  };
}

async function benchDatabase(database: Database, settings: Settings): Promise<DatabaseResult> {
  const log = (m: string) => console.error(`[${database}] ${m}`);
  const result: DatabaseResult = { database, articles: settings.articles };
  let opened: Opened | undefined;
  try {
    opened = await open(database, false, "reindex");
    const { db } = opened;
    await migrateToLatest(db);
    const w = performance.now();
    const corpus = await writeArticles(db, settings, log);
    result.writeSeconds = round((performance.now() - w) / 1000, 2);
    result.wordsPerArticle = Math.round(corpus.stats.words / corpus.stats.documents);
    result.empty = await rebuild(db, "into an empty index", log);
    result.full = await rebuild(db, "over the full index", log);
    const indexed = await countIndexed(db);
    if (indexed !== settings.articles)
      throw new Error(`${indexed} documents indexed, ${settings.articles} articles written`);
  } catch (error) {
    result.error = (error as Error).stack ?? String(error);
    log(`failed: ${result.error}`);
  } finally {
    await opened?.close().catch((error: Error) => log(`cleanup failed: ${error.message}`));
  }
  return result;
}

function printResults(results: readonly DatabaseResult[], settings: Settings): void {
  const target = TARGETS.indexDocsPerSecond;
  const mark = (n: number) => `${n.toLocaleString("en-US")}${n < target ? " !" : ""}`;
  const cells = (r: Rebuild | undefined) =>
    r
      ? [
          mark(r.docsPerSecond),
          fmtSeconds(r.seconds),
          mark(r.batchDocsPerSecond),
          fmtSeconds(r.finishSeconds),
        ]
      : ["–", "–", "–", "–"];
  const rows = results.map((r) => [
    DATABASES[r.database],
    r.error ? "failed" : (r.wordsPerArticle?.toString() ?? "–"),
    ...cells(r.empty),
    ...cells(r.full),
  ]);
  const header = ["database", "words/article", "docs/s", "in all", "batches docs/s", "finish"];
  console.log(
    formatTable([...header, ...header.slice(2)], rows, [
      { label: "", span: 2 },
      { label: "into an empty index", span: 4 },
      { label: "over the full index", span: 4 },
    ]),
  );
  console.log(
    `\ndocs/s: articles / wall time of reindexAll (target ≥ ${target.toLocaleString("en-US")}; ! = below it); ` +
      `batches: until the last batch is written;\nfinish: word counts, then FTS5's merge (SQLite) or VACUUM ANALYZE ` +
      `and the recent indexes (PostgreSQL). ${settings.articles.toLocaleString("en-US")} articles, ` +
      `bodies of ${settings.bodyWords[0]}–${settings.bodyWords[1]} words in paragraphs.`,
  );
}

export async function run(args: string[]): Promise<void> {
  const settings = parseArgs(args);
  const date = new Date();
  const speedBefore = cpuSpeedProbe();
  const results: DatabaseResult[] = [];
  for (const database of settings.databases) results.push(await benchDatabase(database, settings));
  const speedAfter = cpuSpeedProbe();
  console.log(`\nRasai search reindex bench — ${date.toISOString()} — reindexAll over article rows\n`);
  printResults(results, settings);
  console.log(speedProbeLine(speedBefore, speedAfter));
  const files = writeResults("search-reindex", date, {
    bench: "search-reindex",
    date: date.toISOString(),
    git: gitInfo(),
    machine: machineInfo(),
    speedProbeMs: { before: speedBefore, after: speedAfter },
    settings,
    results,
  });
  console.log(`\nwrote ${files.join(" and ")}`);
  if (results.some((r) => r.error)) process.exitCode = 1;
}
