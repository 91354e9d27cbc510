// Search recall bench (`npm run bench -- search-recall`): the relevance suite's corpus and queries
// (test/search/fixtures/relevance-*.json) run through Rasai's search on SQLite and PostgreSQL,
// reporting recall@1, @3 and @10 per query form and overall, next to a "plain matching" baseline
// computed here in JS: the raw query tokens lower-cased and matched literally against the raw
// document tokens (no folding, variants, stemming, phonetic keys or typo correction), every word
// required, ranked by where the words are (title 3, strap 2, body 1), newest first on ties.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { manualClock } from "../src/db/clock.ts";
import { createDb, type Db } from "../src/db/connect.ts";
import { newId } from "../src/db/ids.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { indexDocuments, type SearchKind, type SearchSource } from "../src/search/indexer.ts";
import { tokenize } from "../src/search/normalise.ts";
import { search, type SearchOutcome } from "../src/search/search.ts";
import { createScratchDatabase, PG_ADMIN_URL } from "./lib/postgres.ts";
import { formatTable, gitInfo, machineInfo, writeResults } from "./lib/results.ts";
import { REPO_ROOT } from "./lib/server.ts";
import { makeTempDir } from "./lib/tempdir.ts";

const FIXTURES = path.join(REPO_ROOT, "test", "search", "fixtures");
const NOW = "2024-06-01T00:00:00.000Z";
const PATH_PREFIX = "/articles/";
const TOP = 10;
const KS = [1, 3, 10] as const;

const DATABASES = { sqlite: "SQLite", postgres: "PostgreSQL" } as const;
type Database = keyof typeof DATABASES;
type System = Database | "plain";

interface CorpusDoc {
  key: string;
  kind: SearchKind;
  lang: "ur" | "en";
  title: string;
  strap: string;
  body: string;
  published_at: string;
}

interface QueryRow {
  query: string;
  expect: string;
  form: string;
  known_gap?: string;
}

interface QueryResult {
  query: string;
  form: string;
  expect: string;
  knownGap: string | null;
  /** 1-based rank of the expected document in the top 10; 0 when it is not there. */
  ranks: Partial<Record<System, number>>;
  /** The top 10 as "key (score)", per system. */
  top: Partial<Record<System, string[]>>;
  correctedQuery: Partial<Record<Database, string | null>>;
}

interface DatabaseRun {
  database: Database;
  label: string;
  indexMs?: number;
  queryMsMean?: number;
  queryMsP50?: number;
  queryMsMax?: number;
  error?: string;
}

function parseArgs(args: string[]): { databases: Database[] } {
  let databases: Database[] = ["sqlite", "postgres"];
  for (const arg of args) {
    const [key, value = ""] = arg.split("=", 2);
    if (key === "--db") {
      const chosen = value.split(",").filter(Boolean);
      const unknown = chosen.filter((d) => !(d in DATABASES));
      if (chosen.length === 0 || unknown.length > 0)
        throw new Error(`--db takes ${Object.keys(DATABASES).join(",")}; got "${value}"`);
      databases = chosen as Database[];
    } else throw new Error(`unknown option ${arg} (search-recall takes --db=sqlite,postgres)`);
  }
  return { databases };
}

function readFixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as T;
}

function sources(corpus: readonly CorpusDoc[], ids: ReadonlyMap<string, string>): SearchSource[] {
  return corpus.map((d) => ({
    id: ids.get(d.key)!,
    source: "article",
    centre_id: null,
    kind: d.kind,
    lang: d.lang,
    title: d.title,
    strap: d.strap,
    body_text: d.body,
    path: `${PATH_PREFIX}${d.key}`,
    published_at: d.published_at,
    expires_at: null,
  }));
}

async function openDatabase(database: Database): Promise<{ db: Db; close: () => Promise<void> }> {
  if (database === "sqlite") {
    const temp = makeTempDir("rasai-search-recall");
    const db = createDb({ dialect: "sqlite", file: path.join(temp.dir, "rasai.sqlite") });
    return {
      db,
      close: async () => {
        await db.destroy();
        await temp.remove();
      },
    };
  }
  const scratch = await createScratchDatabase();
  const db = createDb({ dialect: "postgres", url: scratch.url });
  return {
    db,
    close: async () => {
      await db.destroy();
      await scratch.drop();
    },
  };
}

const keyOf = (p: string): string => p.slice(PATH_PREFIX.length);

function rankIn(keys: readonly string[], expect: string): number {
  return keys.indexOf(expect) + 1;
}

/** Score groups of a top 10, for comparing databases: order may differ only among equal scores. */
function groupedTop(out: SearchOutcome): string {
  const groups = new Map<number, string[]>();
  for (const r of out.results) groups.set(r.score, [...(groups.get(r.score) ?? []), keyOf(r.path)]);
  return JSON.stringify([...groups.entries()].sort(([a], [b]) => b - a).map(([s, k]) => [s, k.sort()]));
}

// ---- plain matching baseline ------------------------------------------------------------------

interface PlainDoc {
  key: string;
  published_at: string;
  title: Set<string>;
  strap: Set<string>;
  body: Set<string>;
}

const rawTokens = (text: string): string[] => tokenize(text).map((t) => t.toLowerCase());

function plainIndex(corpus: readonly CorpusDoc[]): PlainDoc[] {
  return corpus.map((d) => ({
    key: d.key,
    published_at: d.published_at,
    title: new Set(rawTokens(d.title)),
    strap: new Set(rawTokens(d.strap)),
    body: new Set(rawTokens(d.body)),
  }));
}

/** The top 10 keys under plain matching: every raw query token, literally, somewhere in the document. */
function plainSearch(docs: readonly PlainDoc[], q: string): { key: string; score: number }[] {
  const words = [...new Set(rawTokens(q))];
  if (words.length === 0) return [];
  const hits: { key: string; score: number; published_at: string }[] = [];
  for (const d of docs) {
    let score = 0;
    let all = true;
    for (const w of words) {
      const s = d.title.has(w) ? 3 : d.strap.has(w) ? 2 : d.body.has(w) ? 1 : 0;
      if (s === 0) {
        all = false;
        break;
      }
      score += s;
    }
    if (all) hits.push({ key: d.key, score, published_at: d.published_at });
  }
  hits.sort((a, b) => b.score - a.score || (a.published_at < b.published_at ? 1 : -1));
  return hits.slice(0, TOP);
}

// ---- report -----------------------------------------------------------------------------------

type Recall = Record<`r${(typeof KS)[number]}`, number>;

function recall(rows: readonly QueryResult[], system: System): Recall {
  const at = (k: number) => {
    const found = rows.filter((r) => {
      const rank = r.ranks[system] ?? 0;
      return rank >= 1 && rank <= k;
    }).length;
    return rows.length === 0 ? 0 : found / rows.length;
  };
  return { r1: at(1), r3: at(3), r10: at(10) };
}

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;

export async function run(args: string[]): Promise<void> {
  const settings = parseArgs(args);
  const date = new Date();
  const corpus = readFixture<CorpusDoc[]>("relevance-corpus.json");
  const queries = readFixture<QueryRow[]>("relevance-queries.json");
  // The same data on every database: the same ids give the same document keys.
  const ids = new Map(corpus.map((d) => [d.key, newId()]));
  const docs = sources(corpus, ids);
  const clock = manualClock(NOW);

  const results: QueryResult[] = queries.map((q) => ({
    query: q.query,
    form: q.form,
    expect: q.expect,
    knownGap: q.known_gap ?? null,
    ranks: {},
    top: {},
    correctedQuery: {},
  }));
  const topGroups = new Map<Database, string[]>();
  const runs: DatabaseRun[] = [];

  for (const database of settings.databases) {
    const info: DatabaseRun = { database, label: DATABASES[database] };
    runs.push(info);
    console.error(
      `[search-recall] ${info.label}: indexing ${docs.length} documents, running ${queries.length} queries`,
    );
    let opened: Awaited<ReturnType<typeof openDatabase>> | undefined;
    try {
      opened = await openDatabase(database);
      const { db } = opened;
      await migrateToLatest(db);
      const t0 = performance.now();
      await db.transaction().execute((trx) => indexDocuments(trx, docs, clock));
      info.indexMs = Math.round(performance.now() - t0);
      const times: number[] = [];
      const groups: string[] = [];
      for (const [i, q] of queries.entries()) {
        const start = performance.now();
        const out = await search(db, { q: q.query, limit: TOP, offset: 0 }, clock);
        times.push(performance.now() - start);
        const keys = out.results.map((r) => keyOf(r.path));
        const row = results[i]!;
        row.ranks[database] = rankIn(keys, q.expect);
        row.top[database] = out.results.map((r) => `${keyOf(r.path)} (${r.score})`);
        row.correctedQuery[database] = out.correctedQuery;
        groups.push(groupedTop(out));
      }
      topGroups.set(database, groups);
      times.sort((a, b) => a - b);
      const round = (x: number) => Math.round(x * 100) / 100;
      info.queryMsMean = round(times.reduce((a, b) => a + b, 0) / times.length);
      info.queryMsP50 = round(times[Math.floor(times.length / 2)]!);
      info.queryMsMax = round(times.at(-1)!);
    } catch (error) {
      info.error = (error as Error).stack ?? String(error);
      console.error(`[search-recall] ${info.label} failed: ${info.error}`);
    } finally {
      await opened?.close();
    }
  }

  const plainDocs = plainIndex(corpus);
  for (const [i, q] of queries.entries()) {
    const top = plainSearch(plainDocs, q.query);
    const row = results[i]!;
    row.ranks.plain = rankIn(
      top.map((h) => h.key),
      q.expect,
    );
    row.top.plain = top.map((h) => `${h.key} (${h.score})`);
  }

  const systems: System[] = [...runs.filter((r) => !r.error).map((r) => r.database), "plain"];
  const forms = [...new Set(queries.map((q) => q.form))];
  const table: { form: string; n: number; recall: Partial<Record<System, Recall>> }[] = [];
  for (const form of [...forms, "all"]) {
    const rows = form === "all" ? results : results.filter((r) => r.form === form);
    table.push({
      form,
      n: rows.length,
      recall: Object.fromEntries(systems.map((s) => [s, recall(rows, s)])),
    });
  }

  // Both databases must put the same documents in the top 10 (score-grouped).
  const disagreements: { query: string; sqlite: string[]; postgres: string[] }[] = [];
  const sqliteGroups = topGroups.get("sqlite");
  const postgresGroups = topGroups.get("postgres");
  if (sqliteGroups && postgresGroups) {
    for (const [i, row] of results.entries()) {
      if (sqliteGroups[i] !== postgresGroups[i])
        disagreements.push({
          query: row.query,
          sqlite: row.top.sqlite ?? [],
          postgres: row.top.postgres ?? [],
        });
    }
  }

  console.log(
    `\nRasai search recall — ${date.toISOString()} — ${corpus.length} documents ` +
      `(${corpus.filter((d) => d.lang === "en").length} English), ${queries.length} queries in ${forms.length} forms\n`,
  );
  const header = ["form", "n", ...systems.flatMap(() => KS.map((k) => `R@${k}`))];
  const body = table.map((t) => [
    t.form,
    String(t.n),
    ...systems.flatMap((s) => {
      const r = t.recall[s]!;
      return [pct(r.r1), pct(r.r3), pct(r.r10)];
    }),
  ]);
  const groupsRow = [
    { label: "", span: 2 },
    ...systems.map((s) => ({ label: s === "plain" ? "plain matching" : DATABASES[s], span: KS.length })),
  ];
  console.log(formatTable(header, body, groupsRow));

  const all = table.at(-1)!;
  const gains = systems
    .filter((s): s is Database => s !== "plain")
    .map((s) => {
      const d = all.recall[s]!;
      const p = all.recall.plain!;
      return `${DATABASES[s]} R@3 ${pct(d.r3)} vs plain ${pct(p.r3)} (+${((d.r3 - p.r3) * 100).toFixed(0)} points)`;
    });
  if (gains.length > 0) console.log(`\nGain over plain matching: ${gains.join("; ")}`);
  for (const r of runs)
    if (!r.error)
      console.log(
        `${r.label}: indexed in ${r.indexMs} ms; query mean ${r.queryMsMean} ms, p50 ${r.queryMsP50} ms, max ${r.queryMsMax} ms`,
      );

  const misses = results.filter((r) =>
    systems.some((s) => s !== "plain" && !((r.ranks[s] ?? 0) >= 1 && (r.ranks[s] ?? 0) <= 3)),
  );
  if (misses.length > 0) {
    console.log(`\nExpected document not in the top 3 (${misses.length}):`);
    for (const m of misses) {
      console.log(
        `  [${m.form}] ${JSON.stringify(m.query)} → ${m.expect}${m.knownGap ? " (known gap)" : ""}`,
      );
      for (const s of systems)
        if (s !== "plain")
          console.log(`    ${DATABASES[s]}: ${m.top[s]?.slice(0, 3).join(", ") || "nothing"}`);
    }
  }
  if (sqliteGroups && postgresGroups) {
    console.log(
      disagreements.length === 0
        ? `\nSQLite and PostgreSQL: the same top 10 (score-grouped) for all ${queries.length} queries`
        : `\nSQLite and PostgreSQL DISAGREE on the top 10 for ${disagreements.length} queries: ${disagreements
            .map((d) => JSON.stringify(d.query))
            .join(", ")}`,
    );
  }

  const files = writeResults("search-recall", date, {
    bench: "search-recall",
    date: date.toISOString(),
    machine: machineInfo(),
    git: gitInfo(),
    settings: {
      databases: settings.databases,
      postgres: settings.databases.includes("postgres") ? PG_ADMIN_URL : undefined,
      corpus: path.relative(REPO_ROOT, path.join(FIXTURES, "relevance-corpus.json")),
      queries: path.relative(REPO_ROOT, path.join(FIXTURES, "relevance-queries.json")),
      documents: corpus.length,
      queryCount: queries.length,
      limit: TOP,
      clock: NOW,
      baseline:
        "plain matching: raw tokens lower-cased, every query token literally in title, strap or body; " +
        "score title 3 / strap 2 / body 1 per token; ties newest first",
    },
    units: { recall: "share of queries whose expected document is within the top k (0–1)", time: "ms" },
    databases: runs,
    recall: table,
    agreement: sqliteGroups && postgresGroups ? { disagreements } : null,
    queries: results,
  });
  console.log(`\nwrote ${files.join(" and ")}`);
  if (runs.some((r) => r.error) || disagreements.length > 0) process.exitCode = 1;
}
