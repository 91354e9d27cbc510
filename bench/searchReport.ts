// The search bench's report: the tables it prints from the measured results (searchResults.ts).
import { formatTable, machineInfo } from "./lib/results.ts";
import { ISSUE_REFERENCE } from "./searchReference.ts";
import { COMMON_WORD, STOP_WORD } from "./searchWords.ts";
import {
  DATABASES,
  mib,
  QUERY_TYPES,
  sizeName,
  TARGETS,
  timedQueries,
  type Settings,
  type SizeResult,
} from "./searchResults.ts";

const show = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || Number.isNaN(n)
    ? "–"
    : n.toLocaleString("en-US", { maximumFractionDigits: digits });

function latencyTarget(size: number): { p50Ms: number | null; p99Ms: number } {
  return size > 100_000 ? TARGETS.large : TARGETS.small;
}

export function printIndexing(results: SizeResult[], settings: Settings): void {
  const columns = [
    "docs/s",
    "index s",
    "finish s",
    "with it",
    "docs MiB",
    "text idx MiB",
    "vocab MiB",
    "search MiB",
    "file MiB",
  ];
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
        show(r.indexing.analyseSeconds, 1),
        show(r.documents / (r.indexing.indexSeconds + r.indexing.analyseSeconds), 0),
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
    "\ndocs/s: documents / wall time of the bulk indexing pipeline (reindex's: analysis on a worker beside the writes), generation excluded;" +
      "\nfinish: what follows a rebuild (the word counts written; statistics; SQLite: FTS5 segments merged; PostgreSQL: VACUUM, GIN" +
      "\npending lists, the recent indexes); with it: documents / (index s + finish s). docs: search_documents" +
      "\nwith its B-tree indexes (stored title, strap, body, terms); text idx: FTS5 shadow tables / GIN indexes;" +
      "\nvocab: search_vocab (and any other search_ table); file: SQLite file after a WAL checkpoint / pg_database_size.",
  );
}

export function printLatency(results: SizeResult[], settings: Settings, size: number): void {
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

export function printReference(results: SizeResult[]): void {
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

export function printCorpus(results: SizeResult[], settings: Settings): void {
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
