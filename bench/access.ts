// Access bench: public PCs under a centre's load, SQLite and PostgreSQL side by side.
//
// For each database it prepares a centre (open 00:00–23:59 every day), a desk staff user with
// sessions made in the database, 200 PCs and ~300 members, then starts the real server
// (`bin/rasai.js serve`) on that data folder and database and loads it over HTTP on loopback:
//   - N simulated kiosk agents poll GET /api/v1/kiosk/<PC>/state every 2 s with their bearer
//     token, each from its own loopback address (127.0.0.x, as separate PCs would be), since the
//     agent API is rate-limited per address;
//   - 3 desk screens hold the grid's event stream (/staff/pcs/events) and on each `change` fetch
//     /staff/pcs/grid, coalescing as the browser script (pcs.js) does;
//   - a driver starts sessions on free PCs and ends running ones, about 4 changes a second, by the
//     desk's own form posts.
// It reports the time from just before each POST to the first grid each screen fetched that shows
// the PC in its new state (p50/p99/max over changes × screens), the same to the PC's own kiosk
// poll, kiosk poll latency, errors, and the server's CPU and memory.
//
// Then, with the server stopped, reservation contention in-process against the same database
// (bookForMember, not over HTTP): 50 concurrent bookings for each of 20 (PC, slot) targets, each
// in its own transaction, repeated for a few seconds; requests/s, successes, conflicts, and a SQL
// check that no (PC, slot) holds more than one live row.
//
// The parts: accessFixture.ts prepares the centre, accessLoad.ts runs the load phase with the
// clients in accessClients.ts (sharing accessLoadState.ts), accessBooking.ts the reservation
// contention, accessReport.ts prints the report; accessHttp.ts and accessMeasures.ts are their
// HTTP client and counting helpers. This file reads the options and runs each database in turn.
import path from "node:path";
import type { DatabaseConfig } from "../src/config.ts";
import { createDb } from "../src/db/connect.ts";
import { DomainError } from "../src/server/errors.ts";
import {
  BOOKING_CONCURRENCY,
  BOOKING_TARGETS,
  bookingContention,
  type BookingResult,
} from "./accessBooking.ts";
import { DESK_SCREENS, MEMBERS, prepare, SERVER_ENV } from "./accessFixture.ts";
import { loadPhase, type LoadResult } from "./accessLoad.ts";
import { CHANGE_TIMEOUT_MS, POLL_MS, WARMUP_MS } from "./accessLoadState.ts";
import { printReport } from "./accessReport.ts";
import { deferCleanup } from "./lib/cleanup.ts";
import { createScratchDatabase, PG_ADMIN_URL } from "./lib/postgres.ts";
import { gitInfo, machineInfo, writeResults } from "./lib/results.ts";
import { startServer } from "./lib/server.ts";
import { makeTempDir } from "./lib/tempdir.ts";

const DATABASES = { sqlite: "SQLite", postgres: "PostgreSQL" } as const;
type Database = keyof typeof DATABASES;

export interface Settings {
  databases: Database[];
  seconds: number;
  kiosks: number;
  changesPerSecond: number;
  bookingSeconds: number;
  /** All kiosks from 127.0.0.1, to show the agent route's per-address limit (off by default). */
  sameAddress: boolean;
}

function parseArgs(args: string[]): Settings {
  const settings: Settings = {
    databases: ["sqlite", "postgres"],
    seconds: 30,
    kiosks: 200,
    changesPerSecond: 4,
    bookingSeconds: 5,
    sameAddress: false,
  };
  const usage =
    "access takes --db sqlite|postgres|both --seconds N --kiosks N --rate N --booking-seconds N --same-address";
  const whole = (value: string, name: string, min: number, max: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${name} must be a whole number ${min}–${max}`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--same-address") {
      settings.sameAddress = true;
      continue;
    }
    const [key, inline] = arg.split("=", 2) as [string, string | undefined];
    let value = inline;
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new Error(`${key} needs a value (${usage})`);
    }
    if (key === "--db") {
      if (value === "both") settings.databases = ["sqlite", "postgres"];
      else if (value in DATABASES) settings.databases = [value as Database];
      else throw new Error(`--db takes sqlite, postgres or both; got "${value}"`);
    } else if (key === "--seconds") settings.seconds = whole(value, key, 5, 600);
    else if (key === "--kiosks") settings.kiosks = whole(value, key, 1, 250);
    else if (key === "--rate") settings.changesPerSecond = whole(value, key, 1, 50);
    else if (key === "--booking-seconds") settings.bookingSeconds = whole(value, key, 1, 120);
    else throw new Error(`unknown option ${arg} (${usage})`);
  }
  return settings;
}

// ---- one database -------------------------------------------------------------------------------

export interface DatabaseResult {
  database: Database;
  label: string;
  timeZone?: string;
  prepareMs?: number;
  startupMs?: number;
  idleRssMiB?: number | null;
  load?: LoadResult;
  bookings?: BookingResult;
  stopped?: string;
  error?: string;
}

async function benchDatabase(database: Database, settings: Settings): Promise<DatabaseResult> {
  const result: DatabaseResult = { database, label: DATABASES[database] };
  const log = (message: string) => console.error(`[${database}] ${message}`);
  const temp = makeTempDir(`rasai-bench-access-${database}`);
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  let closeDb: (() => Promise<void>) | undefined;
  try {
    if (database === "postgres") {
      scratch = await createScratchDatabase();
      log(`created database ${scratch.name}`);
    }
    const config: DatabaseConfig = scratch
      ? { dialect: "postgres", url: scratch.url }
      : { dialect: "sqlite", file: path.join(temp.dir, "rasai.sqlite") };
    const db = createDb(config);
    closeDb = deferCleanup(`bench connection to ${database}`, () => db.destroy());
    const pcCount = Math.max(200, settings.kiosks);
    log(`preparing: migrate, centre, desk user, ${pcCount} PCs, ${MEMBERS} members`);
    const fixture = await prepare(db, temp.dir, pcCount);
    result.timeZone = fixture.timeZone;
    result.prepareMs = fixture.prepareMs;
    log(`prepared in ${fixture.prepareMs} ms (centre time zone ${fixture.timeZone}); starting server`);

    const server = await startServer({ dataDir: temp.dir, databaseUrl: scratch?.url, extraEnv: SERVER_ENV });
    result.startupMs = server.startupMs;
    result.idleRssMiB = server.memory()?.rssMiB ?? null;
    log(`ready in ${server.startupMs} ms on ${server.baseUrl} (pid ${server.pid})`);
    try {
      result.load = await loadPhase(server, fixture, settings, log);
    } finally {
      result.stopped = await server.stop();
      log(`server stopped (${result.stopped})`);
      if (result.stopped !== "exit code 0") log(`server output:\n${server.output()}`);
    }
    result.bookings = await bookingContention(db, fixture, settings.bookingSeconds, log);
  } catch (error) {
    const fields = error instanceof DomainError ? ` ${JSON.stringify(error.fields)}` : "";
    result.error = `${(error as Error).stack ?? (error as Error).message}${fields}`;
    log(`failed: ${result.error}`);
  } finally {
    for (const [what, undo] of [
      ["close connection", closeDb],
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

export async function run(args: string[]): Promise<void> {
  const settings = parseArgs(args);
  const date = new Date();
  const results: DatabaseResult[] = [];
  for (const database of settings.databases) results.push(await benchDatabase(database, settings));

  console.log(
    `\nRasai access bench — ${date.toISOString()} — ${settings.kiosks} kiosks every ${POLL_MS / 1000} s, ` +
      `${DESK_SCREENS} desk screens, ${settings.changesPerSecond} session changes/s for ${settings.seconds} s; ` +
      `reservations ${BOOKING_TARGETS} targets × ${BOOKING_CONCURRENCY} concurrent for ${settings.bookingSeconds} s ` +
      `(in-process bookForMember, server stopped); loopback, ${machineInfo().cpus} CPUs shared by server and clients\n`,
  );
  printReport(results);

  const files = writeResults("access", date, {
    bench: "access",
    date: date.toISOString(),
    machine: machineInfo(),
    git: gitInfo(),
    settings: {
      ...settings,
      pollIntervalMs: POLL_MS,
      deskScreens: DESK_SCREENS,
      members: MEMBERS,
      warmupMs: WARMUP_MS,
      changeTimeoutMs: CHANGE_TIMEOUT_MS,
      bookingTargets: BOOKING_TARGETS,
      bookingConcurrency: BOOKING_CONCURRENCY,
      host: "127.0.0.1",
      postgres: settings.databases.includes("postgres") ? PG_ADMIN_URL : undefined,
      serverEnv: {
        ...SERVER_ENV,
        RASAI_SECRET: "(fixed bench secret)",
        RASAI_LOG_LEVEL: "warn",
        RASAI_BACKUP_HOUR: "off",
      },
    },
    units: {
      latency: "ms; p50/p99 nearest rank",
      changeToGridMs:
        "from just before the desk POST to receipt of the first /staff/pcs/grid each screen fetched showing the PC in its new state (screens refetch on each SSE change, coalescing like pcs.js)",
      changeToKioskMs:
        "from just before the desk POST to the PC's first kiosk poll answer showing the new state",
      serverCpuPercent: "utime+stime of the server process over the measured window, % of one core",
      memory: "MiB; RSS from /proc/<pid>/status at the end, peak of 500 ms samples, VmHWM",
      requestsPerSecond:
        "reservation attempts / time spent in rounds (cancelling between rounds not counted)",
    },
    results,
  });
  console.log(`\nwrote ${files.join(" and ")}`);
  if (results.some((r) => r.error || (r.bookings && !r.bookings.check.ok))) process.exitCode = 1;
}
