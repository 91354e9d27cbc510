// Bench runner: `npm run bench -- <name> [options]`. Each bench is a module exporting
// `run(args)`; add one by adding a line to `benches` below.
import { cleanupAll } from "./lib/cleanup.ts";

export interface BenchModule {
  /** Runs the bench, prints its report and writes bench/results/<name>-*.json; sets process.exitCode on failure. */
  run(args: string[]): Promise<void>;
}

const benches: Record<string, { description: string; load: () => Promise<BenchModule> }> = {
  http: {
    description: "real server on SQLite and PostgreSQL: /healthz and /ur under autocannon load",
    load: () => import("./http.ts"),
  },
  portal: {
    description: "seed article and home page on SQLite and PostgreSQL, plus the page-weight budget",
    load: () => import("./portal.ts"),
  },
  search: {
    description: "Urdu, English and Roman Urdu corpus, 10k–1M docs: indexing rate, index size, query p50/p99",
    load: () => import("./search.ts"),
  },
  "search-reindex": {
    description: "`rasai search reindex` over article rows: into an empty index and over a full one, docs/s",
    load: () => import("./searchReindex.ts"),
  },
  "search-recall": { description: "recall@1/3/10 vs plain match", load: () => import("./searchRecall.ts") },
  "search-costs": {
    description:
      "PostgreSQL match shapes on a kept search database (--url): chosen vs fastest measured, --fit for costs",
    load: () => import("./searchCosts.ts"),
  },
  access: {
    description:
      "200 kiosks polling, 3 live desk grids, sessions starting and ending: change-to-grid p50/p99, server CPU/RSS; reservation contention",
    load: () => import("./access.ts"),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(benches).map((n) => n.length));
  const list = Object.entries(benches)
    .map(([name, b]) => `  ${name.padEnd(width)}  ${b.description}`)
    .join("\n");
  return `usage: npm run bench -- <name> [options]\n\nbenches:\n${list}`;
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: give up on cleanup
    interrupted = true;
    console.error(`\n${signal}: stopping servers and removing temp data…`);
    void cleanupAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}

const [name, ...args] = process.argv.slice(2);
const bench = name === undefined ? undefined : benches[name];
if (!bench) {
  if (name !== undefined) console.error(`unknown bench "${name}"\n`);
  console.error(usage());
  process.exit(2);
}

try {
  const loaded = await bench.load();
  await loaded.run(args);
} catch (error) {
  console.error(`bench ${name} failed: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
// Load-testing clients may leave sockets or timers behind; the report is written, so leave now.
process.exit(process.exitCode ?? 0);
