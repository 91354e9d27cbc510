// HTTP bench: the real server, started as a centre starts it, loaded on loopback with autocannon.
// For each database (SQLite in a temp folder, PostgreSQL in a scratch database) it measures a tiny
// JSON endpoint (/healthz) and the Urdu home page (/ur, compressed as a browser would ask).
import http from "node:http";
import autocannon from "autocannon";
import type { Result } from "autocannon";
import { withTimeout } from "./lib/cleanup.ts";
import { createScratchDatabase, PG_ADMIN_URL } from "./lib/postgres.ts";
import { formatTable, gitInfo, machineInfo, writeResults } from "./lib/results.ts";
import { startServer } from "./lib/server.ts";
import type { RunningServer } from "./lib/server.ts";
import { makeTempDir } from "./lib/tempdir.ts";

const DATABASES = {
  sqlite: "SQLite",
  postgres: "PostgreSQL",
} as const;
type Database = keyof typeof DATABASES;

export interface Target {
  /** Shown in the table (an article's path is long). */
  label: string;
  path: string;
  headers: Record<string, string>;
}

/** Finds the paths to load once the server is up (some, like an article's, are only known then). */
export type TargetResolver = (baseUrl: string) => Promise<Target[]>;

const HTTP_TARGETS: Target[] = [
  { label: "/healthz", path: "/healthz", headers: {} },
  { label: "/ur", path: "/ur", headers: { "accept-encoding": "br, gzip" } },
];

interface Settings {
  databases: Database[];
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

interface PathResult {
  path: string;
  requestHeaders: Record<string, string>;
  /** From one request before the load: status, Content-Encoding and body size as sent. */
  probe?: Probe;
  requestsPerSecond?: number;
  latencyP50Ms?: number;
  latencyP99Ms?: number;
  latencyMeanMs?: number;
  latencyMaxMs?: number;
  /** Bytes received per 2xx response, headers included. */
  bytesPerResponse?: number;
  totalRequests?: number;
  /** Length of the measured run as autocannon timed it, and its number of one-second samples. */
  measuredSeconds?: number;
  samples?: number;
  responses2xx?: number;
  non2xx?: number;
  errors?: number;
  timeouts?: number;
  statusCodes?: Record<string, number>;
  /** Server VmRSS right after the measured run, MiB. */
  rssMiB?: number | null;
  /** Server VmHWM (peak RSS of its lifetime so far) right after the measured run, MiB. */
  hwmMiB?: number | null;
  error?: string;
}

interface DatabaseResult {
  database: Database;
  label: string;
  startupMs?: number;
  /** Memory when /readyz first answered, before any load. */
  idleRssMiB?: number | null;
  stopped?: string;
  paths: PathResult[];
  error?: string;
}

interface Probe {
  status: number;
  contentType: string | null;
  contentEncoding: string | null;
  bodyBytes: number;
}

function parseArgs(args: string[]): Settings {
  const settings: Settings = {
    databases: ["sqlite", "postgres"],
    connections: 10,
    warmupSeconds: 3,
    durationSeconds: 10,
  };
  const seconds = (value: string, name: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 120) throw new Error(`${name} must be a whole number 1–120`);
    return n;
  };
  for (const arg of args) {
    const [key, value = ""] = arg.split("=", 2);
    if (key === "--db") {
      const chosen = value.split(",").filter(Boolean);
      const unknown = chosen.filter((d) => !(d in DATABASES));
      if (chosen.length === 0 || unknown.length > 0)
        throw new Error(`--db takes ${Object.keys(DATABASES).join(",")}; got "${value}"`);
      settings.databases = chosen as Database[];
    } else if (key === "--duration") settings.durationSeconds = seconds(value, "--duration");
    else if (key === "--warmup") settings.warmupSeconds = seconds(value, "--warmup");
    else throw new Error(`unknown option ${arg} (http takes --db=sqlite,postgres --duration=N --warmup=N)`);
  }
  return settings;
}

/** One GET without decompression, to see what goes on the wire. */
function probe(url: string, headers: Record<string, string>): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false, timeout: 10_000 }, (response) => {
      let bodyBytes = 0;
      response.on("data", (chunk: Buffer) => (bodyBytes += chunk.length));
      response.once("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers["content-type"] ?? null,
          contentEncoding: response.headers["content-encoding"] ?? null,
          bodyBytes,
        }),
      );
      response.once("error", reject);
    });
    request.once("timeout", () => request.destroy(new Error(`GET ${url} timed out`)));
    request.once("error", reject);
  });
}

async function load(
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<Result> {
  const instance = autocannon({ url, headers, connections, duration: seconds, timeout: 10 });
  try {
    // autocannon stops itself after `duration`; the margin covers requests still in flight.
    return await withTimeout(instance, (seconds + 30) * 1000, `autocannon on ${url} did not finish`);
  } catch (error) {
    instance.stop();
    throw error;
  }
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function measurePath(server: RunningServer, target: Target, settings: Settings): Promise<PathResult> {
  const url = `${server.baseUrl}${target.path}`;
  const result: PathResult = { path: target.label, requestHeaders: target.headers };
  try {
    result.probe = await probe(url, target.headers);
    if (result.probe.status !== 200) throw new Error(`GET ${target.path} answered ${result.probe.status}`);
    await load(url, target.headers, settings.connections, settings.warmupSeconds);
    const run = await load(url, target.headers, settings.connections, settings.durationSeconds);
    const memory = server.memory();
    Object.assign(result, {
      requestsPerSecond: round(run.requests.mean),
      latencyP50Ms: run.latency.p50,
      latencyP99Ms: run.latency.p99,
      latencyMeanMs: round(run.latency.mean, 2),
      latencyMaxMs: run.latency.max,
      bytesPerResponse: run["2xx"] > 0 ? Math.round(run.throughput.total / run["2xx"]) : 0,
      totalRequests: run.requests.total,
      measuredSeconds: run.duration,
      samples: run.samples,
      responses2xx: run["2xx"],
      non2xx: run.non2xx,
      errors: run.errors,
      timeouts: run.timeouts,
      statusCodes: Object.fromEntries(Object.entries(run.statusCodeStats).map(([k, v]) => [k, v.count])),
      rssMiB: memory?.rssMiB ?? null,
      hwmMiB: memory?.hwmMiB ?? null,
    } satisfies Partial<PathResult>);
  } catch (error) {
    result.error = (error as Error).message;
  }
  return result;
}

async function benchDatabase(
  database: Database,
  settings: Settings,
  resolve: TargetResolver,
): Promise<DatabaseResult> {
  const result: DatabaseResult = { database, label: DATABASES[database], paths: [] };
  const log = (message: string) => console.error(`[${database}] ${message}`);
  const temp = makeTempDir(`rasai-bench-${database}`);
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  try {
    if (database === "postgres") {
      scratch = await createScratchDatabase();
      log(`created database ${scratch.name}`);
    }
    log("starting server (first start migrates and seeds the demo centre)");
    const server = await startServer({ dataDir: temp.dir, databaseUrl: scratch?.url });
    result.startupMs = server.startupMs;
    result.idleRssMiB = server.memory()?.rssMiB ?? null;
    log(`ready in ${server.startupMs} ms on ${server.baseUrl} (pid ${server.pid})`);
    try {
      for (const target of await resolve(server.baseUrl)) {
        log(
          `${target.path}: ${settings.warmupSeconds} s warm-up, ${settings.durationSeconds} s measured, ${settings.connections} connections`,
        );
        const measured = await measurePath(server, target, settings);
        if (measured.error) log(`${target.path} failed: ${measured.error}`);
        result.paths.push(measured);
      }
    } finally {
      result.stopped = await server.stop();
      log(`server stopped (${result.stopped})`);
      if (result.stopped !== "exit code 0") log(`server output:\n${server.output()}`);
    }
  } catch (error) {
    result.error = (error as Error).message;
    log(`failed: ${result.error}`);
  } finally {
    for (const [what, undo] of [
      ["drop database", scratch?.drop],
      ["remove temp folder", temp.remove],
    ] as const) {
      try {
        await undo?.();
      } catch (error) {
        log(`${what} failed: ${(error as Error).message}`);
        result.error ??= `${what} failed: ${(error as Error).message}`;
      }
    }
  }
  return result;
}

const show = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: digits });

function printTable(results: DatabaseResult[], labels: string[]): void {
  const columns = ["req/s", "p50 ms", "p99 ms", "B/resp", "RSS MiB", "HWM MiB"];
  const header = ["path", ...results.flatMap(() => columns)];
  const rows = labels.map((path) => [
    path,
    ...results.flatMap((db) => {
      const r = db.paths.find((p) => p.path === path);
      if (!r || r.error) return columns.map((_c, i) => (i === 0 ? "failed" : "–"));
      return [
        show(r.requestsPerSecond),
        show(r.latencyP50Ms, 2),
        show(r.latencyP99Ms, 2),
        show(r.bytesPerResponse, 0),
        show(r.rssMiB),
        show(r.hwmMiB),
      ];
    }),
  ]);
  const groups = [
    { label: "", span: 1 },
    ...results.map((db) => ({ label: db.label, span: columns.length })),
  ];
  console.log(formatTable(header, rows, groups));

  const notes: string[] = [];
  for (const db of results) {
    const parts = [
      db.startupMs !== undefined ? `ready in ${db.startupMs} ms` : null,
      db.idleRssMiB != null ? `idle RSS ${show(db.idleRssMiB)} MiB` : null,
      ...db.paths
        .filter((p) => p.probe)
        .map(
          (p) =>
            `${p.path} ${p.probe!.contentEncoding ?? "identity"} body ${p.probe!.bodyBytes} B` +
            (p.totalRequests !== undefined
              ? `, ${p.totalRequests.toLocaleString("en-US")} requests in ${p.measuredSeconds} s`
              : ""),
        ),
    ].filter(Boolean);
    notes.push(`${db.label}: ${parts.length > 0 ? parts.join("; ") : "no results"}`);
    for (const p of db.paths) {
      if (p.error) notes.push(`  ${p.path} FAILED: ${p.error}`);
      else if (p.non2xx || p.errors || p.timeouts)
        notes.push(
          `  ${p.path} WARNING: ${p.non2xx} non-2xx, ${p.errors} errors, ${p.timeouts} timeouts ` +
            `(status codes ${JSON.stringify(p.statusCodes)})`,
        );
    }
    if (db.error) notes.push(`  FAILED: ${db.error.split("\n").join("\n  ")}`);
  }
  console.log(`\n${notes.join("\n")}`);
}

export async function run(args: string[]): Promise<void> {
  await runPathsBench("http", "HTTP", args, async () => HTTP_TARGETS);
}

/** The shared load run: each database in turn, the resolved paths, one table side by side. */
export async function runPathsBench(
  name: string,
  title: string,
  args: string[],
  resolve: TargetResolver,
  extra?: (baseUrls: Record<string, string>) => Promise<Record<string, unknown>>,
): Promise<void> {
  const settings = parseArgs(args);
  const date = new Date();
  const results: DatabaseResult[] = [];
  const extras: Record<string, unknown> = {};
  for (const database of settings.databases) {
    results.push(
      await benchDatabase(database, settings, async (baseUrl) => {
        if (extra && database === settings.databases[0])
          Object.assign(extras, await extra({ [database]: baseUrl }));
        return resolve(baseUrl);
      }),
    );
  }
  const labels = [...new Set(results.flatMap((r) => r.paths.map((p) => p.path)))];

  console.log(
    `\nRasai ${title} bench — ${date.toISOString()} — ${settings.connections} connections, ` +
      `${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s per path, loopback\n`,
  );
  printTable(results, labels);
  if (typeof extras.report === "string") console.log(`\n${extras.report}`);

  const files = writeResults(name, date, {
    bench: name,
    extra: extras,
    date: date.toISOString(),
    machine: machineInfo(),
    git: gitInfo(),
    settings: {
      ...settings,
      host: "127.0.0.1",
      postgres: settings.databases.includes("postgres") ? PG_ADMIN_URL : undefined,
      serverEnv: { RASAI_LOG_LEVEL: "warn", RASAI_BACKUP_HOUR: "off" },
    },
    units: {
      requestsPerSecond: "mean of per-second samples",
      latency: "ms (autocannon, 2xx responses)",
      bytesPerResponse: "bytes received per 2xx response, headers included",
      memory: "MiB from /proc/<pid>/status of the server, read right after the measured run",
    },
    results,
  });
  console.log(`\nwrote ${files.join(" and ")}`);
  if (results.some((db) => db.error || db.paths.some((p) => p.error))) process.exitCode = 1;
}
