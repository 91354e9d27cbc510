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
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { sql } from "kysely";
import { agentToken, addPc } from "../src/access/pcs.ts";
import { bookForMember, cancelReservation, localDate, localToInstant } from "../src/access/reservations.ts";
import {
  DEFAULT_RESERVATION_SETTINGS,
  saveReservationSettings,
  SETTING_LIMITS,
} from "../src/access/reservationSettings.ts";
import { startMemberSession } from "../src/access/sessions.ts";
import { cliActor, type Actor } from "../src/audit/actor.ts";
import { setCurrentCentre } from "../src/centres/currentCentre.ts";
import { createCentre } from "../src/centres/saveCentre.ts";
import type { OpeningHours } from "../src/centres/schemas.ts";
import { systemClock } from "../src/db/clock.ts";
import { createDb, type Db } from "../src/db/connect.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import type { DatabaseConfig } from "../src/config.ts";
import type { MemberTable } from "../src/db/schema.ts";
import { createStaffUser } from "../src/identity/createStaffUser.ts";
import { openSession, SESSION_COOKIES, sessionCsrfToken } from "../src/identity/sessions.ts";
import { ensureCategories } from "../src/members/categories.ts";
import { loadMemberKeys } from "../src/members/keys.ts";
import { registerMember } from "../src/members/register.ts";
import { DomainError } from "../src/server/errors.ts";
import { deferCleanup, sleep } from "./lib/cleanup.ts";
import { createScratchDatabase, PG_ADMIN_URL } from "./lib/postgres.ts";
import { formatTable, gitInfo, machineInfo, writeResults } from "./lib/results.ts";
import { readMemory, startServer, type RunningServer } from "./lib/server.ts";
import { makeTempDir } from "./lib/tempdir.ts";

const DATABASES = { sqlite: "SQLite", postgres: "PostgreSQL" } as const;
type Database = keyof typeof DATABASES;

/** A fixed server secret, so the bench can derive each PC's agent token as the server does. */
const BENCH_SECRET = "rasai-bench-access-secret-0123456789abcdef";
const SERVER_ENV = { RASAI_SECRET: BENCH_SECRET, RASAI_DEMO: "off" };
const POLL_MS = 2000;
const DESK_SCREENS = 3;
const MEMBERS = 300;
const WARMUP_MS = 3000;
/** A change nobody has seen by then counts as missed. */
const CHANGE_TIMEOUT_MS = 10_000;
const BOOKING_TARGETS = 20;
const BOOKING_CONCURRENCY = 50;
/** Each kiosk gets its own loopback address from 127.0.0.2 on; desk screens and driver use 127.0.0.1. */
const KIOSK_ADDRESS_BASE = 2;

interface Settings {
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

// ---- small helpers ------------------------------------------------------------------------------

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

interface Distribution {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1]! : null),
  };
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process in seconds, from /proc/<pid>/stat; null where /proc is absent. */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the command name: field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function httpRequest(
  url: string,
  options: {
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    agent?: http.Agent | false;
    localAddress?: string;
    timeoutMs?: number;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method ?? "GET",
        headers: options.body
          ? { ...options.headers, "content-length": String(Buffer.byteLength(options.body)) }
          : options.headers,
        agent: options.agent ?? false,
        localAddress: options.localAddress,
        timeout: options.timeoutMs ?? 15_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.once("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.once("error", reject);
      },
    );
    request.once("timeout", () =>
      request.destroy(new Error(`timeout after ${options.timeoutMs ?? 15_000} ms`)),
    );
    request.once("error", reject);
    request.end(options.body);
  });
}

const brotliDecompress = promisify(zlib.brotliDecompress);
const gunzip = promisify(zlib.gunzip);

async function decoded(answer: Answer): Promise<string> {
  const encoding = answer.headers["content-encoding"];
  if (encoding === "br") return (await brotliDecompress(answer.body)).toString("utf8");
  if (encoding === "gzip") return (await gunzip(answer.body)).toString("utf8");
  return answer.body.toString("utf8");
}

/** What an error answer says: the desk page's alert, a JSON error message, or the start of the body. */
async function problemOf(answer: Answer): Promise<string> {
  let text: string;
  try {
    text = await decoded(answer);
  } catch {
    text = answer.body.toString("utf8");
  }
  const alert = /<p class="notice bad" role="alert">([\s\S]*?)<\/p>/.exec(text)?.[1];
  if (alert) return alert.replace(/<[^>]+>/g, "").trim();
  return text.replace(/\s+/g, " ").slice(0, 200);
}

/** Counts by key, with the first example of each. */
class Tally {
  readonly counts: Record<string, number> = {};
  readonly examples: Record<string, string> = {};
  add(key: string, example = ""): void {
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    if (example && !(key in this.examples)) this.examples[key] = example.slice(0, 300);
  }
  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  toJSON() {
    return { counts: this.counts, examples: this.examples };
  }
}

// ---- preparing the database ---------------------------------------------------------------------

/** Every day 00:00–23:59; a day left out would be closed. */
const ALWAYS_OPEN: OpeningHours = Object.fromEntries(
  (["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const).map((d) => [
    d,
    [{ opens: "00:00", closes: "23:59" }],
  ]),
);

/**
 * A time zone where it is now between 01:00 and 21:59, so the centre (open until 23:59) stays open
 * for the whole run and sessions are not cut short by closing time.
 */
function benchTimeZone(now: Date): string {
  for (const tz of ["Asia/Karachi", "UTC", "America/New_York"]) {
    const hour = Number(
      new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", hourCycle: "h23" }).format(now),
    );
    if (hour >= 1 && hour <= 21) return tz;
  }
  return "UTC";
}

interface Fixture {
  centreId: string;
  timeZone: string;
  staff: { id: string; username: string };
  /** One staff session per desk screen, and one for the driver. */
  sessions: { cookie: string; csrf: string }[];
  pcs: { id: string; name: string; token: string }[];
  members: { id: string; number: string }[];
  /** Sessions started while preparing: PC id → index in `members`. */
  running: Map<string, number>;
  prepareMs: number;
}

async function prepare(db: Db, dataDir: string, pcCount: number): Promise<Fixture> {
  const started = performance.now();
  const clock = systemClock;
  const ctx = { actor: cliActor(), clock };
  await migrateToLatest(db);
  const timeZone = benchTimeZone(clock.now());
  const keys = loadMemberKeys(dataDir, {});
  const fixture = await db.transaction().execute(async (trx) => {
    const centre = await createCentre(
      trx,
      {
        code: "BEN-01",
        name_ur: "بینچ مرکز",
        name_en: "Bench Centre",
        district: "Islamabad",
        province: "ict",
        address: "Loopback",
        time_zone: timeZone,
        opening_hours: ALWAYS_OPEN,
        exceptions: [],
      },
      ctx,
    );
    await setCurrentCentre(trx, centre.id, clock.now().toISOString());
    const staff = await createStaffUser(
      trx,
      {
        username: "bench-desk",
        displayName: "Bench desk",
        role: "staff",
        centreId: centre.id,
        password: crypto.randomBytes(18).toString("base64url"),
        locale: "en",
      },
      ctx,
    );
    const pcs: Fixture["pcs"] = [];
    for (let i = 1; i <= pcCount; i++) {
      const pc = await addPc(
        trx,
        centre.id,
        { name: `PC-${String(i).padStart(3, "0")}`, room: "lounge" },
        ctx,
      );
      pcs.push({ id: pc.id, name: pc.name, token: agentToken(BENCH_SECRET, pc) });
    }
    const general = (await ensureCategories(trx, centre.id, clock)).find((c) => c.code === "general")!;
    const members: Fixture["members"] = [];
    const rows: MemberTable[] = [];
    for (let i = 1; i <= MEMBERS; i++) {
      const m = await registerMember(
        trx,
        centre.id,
        {
          full_name_en: `Bench Member ${i}`,
          cnic: `61101-${String(10_000_000 + i).slice(1)}-${i % 10}`,
          phone: `0300${String(10_000_000 + i).slice(1)}`,
          date_of_birth: "1990-05-15",
          gender: i % 2 ? "female" : "male",
          district: "Islamabad",
          education: "matric",
          category_id: general.id,
          consent: "yes",
          confirm_not_duplicate: "yes",
        },
        { ...ctx, keys },
      );
      members.push({ id: m.id, number: m.member_no });
      rows.push(m);
    }
    // A busy afternoon: half the PCs already in use, so the desk both starts and ends sessions.
    const running = new Map<string, number>();
    for (let k = 0; k < Math.floor(pcCount / 2); k++) {
      const pc = pcs[pcCount - 1 - k]!;
      await startMemberSession(trx, pc.id, rows[k]!, ctx);
      running.set(pc.id, k);
    }
    // Members may hold more bookings than the default 3, so the contention below meets only the
    // (PC, slot) rule, not a member's limit (a member tries a few targets per round).
    await saveReservationSettings(
      trx,
      centre.id,
      { ...DEFAULT_RESERVATION_SETTINGS, max_future: SETTING_LIMITS.max_future.max },
      ctx,
    );
    return { centreId: centre.id, staff: { id: staff.id, username: staff.username }, pcs, members, running };
  });
  const sessions: Fixture["sessions"] = [];
  for (let i = 0; i <= DESK_SCREENS; i++) {
    const { token, session } = await openSession(
      db,
      { kind: "staff", subjectId: fixture.staff.id, ip: "127.0.0.1", userAgent: "rasai-bench" },
      clock,
    );
    sessions.push({ cookie: `${SESSION_COOKIES.staff}=${token}`, csrf: sessionCsrfToken(session) });
  }
  return { ...fixture, timeZone, sessions, prepareMs: Math.round(performance.now() - started) };
}

// ---- the load phase -----------------------------------------------------------------------------

type GridState = "free" | "in_use" | "reserved" | "out_of_order";
interface GridRow {
  state: GridState;
  sessionId: string | null;
}

/** The grid's rows: `<tr id="pc-<id>" data-state="…">`, and the session each running PC ends with. */
function parseGrid(html: string): Map<string, GridRow> {
  const rows = new Map<string, GridRow>();
  const parts = html.split('<tr id="pc-');
  for (const part of parts.slice(1)) {
    const m = /^([0-9a-f-]{36})" data-state="([a-z_]+)"/.exec(part);
    if (!m) continue;
    const session = /\/staff\/pcs\/sessions\/([0-9a-f-]{36})\/end/.exec(part)?.[1] ?? null;
    rows.set(m[1]!, { state: m[2] as GridState, sessionId: session });
  }
  return rows;
}

interface Change {
  pcId: string;
  kind: "start" | "end";
  /** The state the grid shows after it, and the state the kiosk agent is told. */
  grid: GridState;
  kiosk: "in_use" | "locked";
  t0: number;
  /** Undefined while the POST is in flight; the status it answered. */
  status?: number;
  postMs?: number;
  seenByScreen: (number | null)[];
  seenByKiosk: number | null;
  memberIndex: number | null;
}

interface LoadResult {
  measuredSeconds: number;
  kiosks: number;
  kioskAddresses: string;
  kioskPolls: number;
  kioskPollsPerSecond: number;
  kioskPollMs: Distribution;
  kioskStatus: Record<string, number>;
  kioskErrors: ReturnType<Tally["toJSON"]>;
  /** Non-2xx answers and failed requests in the window. */
  kioskFailures: number;
  kioskBadSignatures: number;
  deskScreens: number;
  streamEvents: number;
  gridFetches: number;
  gridFetchMs: Distribution;
  gridBytesOnWire: number | null;
  gridBytesHtml: number | null;
  gridErrors: ReturnType<Tally["toJSON"]>;
  changesAttempted: number;
  changesApplied: number;
  starts: number;
  ends: number;
  changeErrors: ReturnType<Tally["toJSON"]>;
  deskPostMs: Distribution;
  /** Time from just before the POST to the first grid each screen fetched showing the new state. */
  changeToGridMs: Distribution;
  /** Screen sightings missing after CHANGE_TIMEOUT_MS. */
  changeToGridMissed: number;
  changeToKioskMs: Distribution;
  changeToKioskMissed: number;
  runningAtEnd: number;
  serverCpuPercent: number | null;
  serverRssMiB: number | null;
  serverPeakRssMiB: number | null;
  serverHwmMiB: number | null;
  benchCpuPercent: number;
  benchEventLoopDelayP99Ms: number;
  /** The machine's 1-minute load average before and after the window (others' work shows here). */
  loadAverage: [number, number];
}

async function loadPhase(
  server: RunningServer,
  fixture: Fixture,
  settings: Settings,
  log: (m: string) => void,
): Promise<LoadResult> {
  const base = server.baseUrl;
  const kioskCount = Math.min(settings.kiosks, fixture.pcs.length);
  const kioskPcs = fixture.pcs.slice(0, kioskCount);
  const agents: http.Agent[] = [];
  const streams: http.ClientRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;
  let measuring = false;
  let windowStart = 0;
  let windowEnd = Infinity;

  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  // Changes in flight, by PC: a PC is left alone until its change is seen everywhere or times out.
  const pending = new Map<string, Change>();
  const done: Change[] = [];
  const changeErrors = new Tally();

  const settle = (change: Change, force = false) => {
    if (change.status === undefined) return;
    const applied = change.status === 303;
    const seen = change.seenByScreen.every((t) => t !== null) && change.seenByKiosk !== null;
    if (!applied || seen || force) {
      pending.delete(change.pcId);
      if (applied) done.push(change);
    }
  };

  // ---- kiosks
  const kioskPollMs: number[] = [];
  const kioskStatus = new Tally();
  const kioskErrors = new Tally();
  let kioskBadSignatures = 0;
  let kioskPolls = 0;
  const kioskOfPc = new Map<string, number>();
  kioskPcs.forEach((pc, i) => kioskOfPc.set(pc.id, i));

  const pollKiosk = async (i: number) => {
    const pc = kioskPcs[i]!;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    const localAddress = settings.sameAddress ? "127.0.0.1" : `127.0.0.${KIOSK_ADDRESS_BASE + i}`;
    while (!stopping) {
      const started = performance.now();
      const inWindow = measuring && started >= windowStart && started < windowEnd;
      try {
        const answer = await httpRequest(`${base}/api/v1/kiosk/${pc.name}/state`, {
          headers: { authorization: `Bearer ${pc.token}` },
          agent,
          localAddress,
        });
        const received = performance.now();
        if (inWindow) {
          kioskPolls++;
          kioskStatus.add(String(answer.status));
        }
        if (answer.status === 200) {
          if (inWindow) kioskPollMs.push(received - started);
          const signature = crypto.createHmac("sha256", pc.token).update(answer.body).digest("hex");
          if (signature !== answer.headers["x-rasai-signature"]) kioskBadSignatures++;
          const state = (JSON.parse(answer.body.toString("utf8")) as { state: string }).state;
          const change = pending.get(pc.id);
          if (change && change.seenByKiosk === null && state === change.kiosk && received > change.t0) {
            change.seenByKiosk = received - change.t0;
            settle(change);
          }
        } else if (inWindow) {
          kioskErrors.add(
            `HTTP ${answer.status}`,
            `GET /api/v1/kiosk/${pc.name}/state → ${await problemOf(answer)}`,
          );
        }
      } catch (error) {
        if (stopping) return;
        if (inWindow) {
          kioskPolls++;
          kioskErrors.add((error as Error).message, `GET /api/v1/kiosk/${pc.name}/state`);
        }
      }
      const wait = started + POLL_MS - performance.now();
      if (wait > 0)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, wait);
          timers.add(timer);
        });
    }
  };

  // ---- desk screens
  let latestRows = new Map<string, GridRow>();
  let latestRowsAt = -1;
  const gridFetchMs: number[] = [];
  const gridErrors = new Tally();
  let gridFetches = 0;
  let gridBytesOnWire = 0;
  let gridBytesHtml = 0;
  let streamEvents = 0;
  const screensReady: boolean[] = new Array(DESK_SCREENS).fill(false);

  const screen = (s: number) => {
    const session = fixture.sessions[s]!;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    agents.push(agent);
    let busy = false;
    let again = false;
    const reload = () => {
      if (stopping) return;
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      const started = performance.now();
      httpRequest(`${base}/staff/pcs/grid`, {
        headers: { cookie: session.cookie, "accept-encoding": "br, gzip" },
        agent,
      })
        .then(async (answer) => {
          const received = performance.now();
          if (answer.status !== 200) {
            gridErrors.add(`HTTP ${answer.status}`, `GET /staff/pcs/grid → ${await problemOf(answer)}`);
            return;
          }
          const html = await decoded(answer);
          const rows = parseGrid(html);
          screensReady[s] = true;
          if (measuring) {
            gridFetches++;
            gridFetchMs.push(received - started);
            gridBytesOnWire += answer.body.length;
            gridBytesHtml += Buffer.byteLength(html);
          }
          if (started > latestRowsAt) {
            latestRows = rows;
            latestRowsAt = started;
          }
          for (const change of [...pending.values()]) {
            if (change.seenByScreen[s] !== null || received <= change.t0) continue;
            if (rows.get(change.pcId)?.state === change.grid) {
              change.seenByScreen[s] = received - change.t0;
              settle(change);
            }
          }
        })
        .catch((error: Error) => {
          if (!stopping) gridErrors.add(error.message, "GET /staff/pcs/grid");
        })
        .finally(() => {
          busy = false;
          if (again && !stopping) {
            again = false;
            // As pcs.js: a notice that came during a fetch is followed up 200 ms after it.
            const timer = setTimeout(() => {
              timers.delete(timer);
              reload();
            }, 200);
            timers.add(timer);
          }
        });
    };

    const request = http.get(`${base}/staff/pcs/events`, {
      headers: { cookie: session.cookie, accept: "text/event-stream" },
      agent: false,
    });
    streams.push(request);
    request.on("response", (response) => {
      if (response.statusCode !== 200) {
        gridErrors.add(`events HTTP ${response.statusCode}`, "GET /staff/pcs/events");
        response.resume();
        return;
      }
      response.setEncoding("utf8");
      let buffer = "";
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: change$/m.test(block)) {
            if (measuring) streamEvents++;
            reload();
          }
        }
      });
      response.on("error", () => {});
    });
    request.on("error", (error) => {
      if (!stopping) gridErrors.add(`events: ${error.message}`, "GET /staff/pcs/events");
    });
  };

  // ---- the driver: desk form posts that start and end sessions
  const driver = fixture.sessions[DESK_SCREENS]!;
  const driverAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  agents.push(driverAgent);
  const memberOnPc = new Map(fixture.running);
  const freeMembers = new Set(
    fixture.members.map((_m, i) => i).filter((i) => ![...fixture.running.values()].includes(i)),
  );
  const deskPostMs: number[] = [];
  let changesAttempted = 0;
  let starts = 0;
  let ends = 0;
  const pickRandom = <T>(items: T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

  const driveOne = async () => {
    const freePcs: string[] = [];
    const runningPcs: { pcId: string; sessionId: string }[] = [];
    for (const pc of fixture.pcs) {
      if (pending.has(pc.id)) continue;
      const row = latestRows.get(pc.id);
      if (row?.state === "free") freePcs.push(pc.id);
      else if (row?.state === "in_use" && row.sessionId && memberOnPc.has(pc.id))
        runningPcs.push({ pcId: pc.id, sessionId: row.sessionId });
    }
    const total = freePcs.length + runningPcs.length;
    if (total === 0) return;
    const start = Math.random() < freePcs.length / total && freeMembers.size > 0;
    let change: Change;
    let url: string;
    let body: string;
    if (start) {
      const pcId = pickRandom(freePcs)!;
      const memberIndex = pickRandom([...freeMembers])!;
      freeMembers.delete(memberIndex);
      url = `${base}/staff/pcs/${pcId}/start`;
      body = new URLSearchParams({
        _csrf: driver.csrf,
        who: fixture.members[memberIndex]!.number,
      }).toString();
      change = {
        pcId,
        kind: "start",
        grid: "in_use",
        kiosk: "in_use",
        t0: 0,
        seenByScreen: [],
        seenByKiosk: null,
        memberIndex,
      };
    } else {
      const target = pickRandom(runningPcs)!;
      url = `${base}/staff/pcs/sessions/${target.sessionId}/end`;
      body = new URLSearchParams({ _csrf: driver.csrf }).toString();
      change = {
        pcId: target.pcId,
        kind: "end",
        grid: "free",
        kiosk: "locked",
        t0: 0,
        seenByScreen: [],
        seenByKiosk: null,
        memberIndex: memberOnPc.get(target.pcId) ?? null,
      };
    }
    change.seenByScreen = new Array<number | null>(DESK_SCREENS).fill(null);
    // A PC without a kiosk in this run: nothing to wait for there.
    if (!kioskOfPc.has(change.pcId)) change.seenByKiosk = -1;
    pending.set(change.pcId, change);
    changesAttempted++;
    change.t0 = performance.now();
    try {
      const answer = await httpRequest(url, {
        method: "POST",
        headers: {
          cookie: driver.cookie,
          origin: base,
          "content-type": "application/x-www-form-urlencoded",
        },
        body,
        agent: driverAgent,
      });
      change.postMs = performance.now() - change.t0;
      change.status = answer.status;
      if (answer.status === 303) {
        deskPostMs.push(change.postMs);
        if (change.kind === "start") {
          starts++;
          memberOnPc.set(change.pcId, change.memberIndex!);
        } else {
          ends++;
          memberOnPc.delete(change.pcId);
          if (change.memberIndex !== null) freeMembers.add(change.memberIndex);
        }
      } else {
        changeErrors.add(
          `${change.kind} HTTP ${answer.status}`,
          `POST ${new URL(url).pathname} → ${await problemOf(answer)}`,
        );
        if (change.kind === "start" && change.memberIndex !== null) freeMembers.add(change.memberIndex);
      }
    } catch (error) {
      change.status = 0;
      changeErrors.add(`${change.kind}: ${(error as Error).message}`, `POST ${new URL(url).pathname}`);
      if (change.kind === "start" && change.memberIndex !== null) freeMembers.add(change.memberIndex);
    }
    settle(change);
  };

  const memory = { peak: 0 };
  const sampleMemory = () => {
    const m = readMemory(server.pid);
    if (m && m.rssMiB > memory.peak) memory.peak = m.rssMiB;
  };
  const memoryTimer = setInterval(sampleMemory, 500);

  try {
    // Desk screens first, then kiosks spread over one poll interval.
    for (let s = 0; s < DESK_SCREENS; s++) screen(s);
    const kioskLoops: Promise<void>[] = [];
    for (let i = 0; i < kioskCount; i++) {
      const delay = (i / kioskCount) * POLL_MS;
      kioskLoops.push(sleep(delay).then(() => pollKiosk(i)));
    }
    log(
      `${kioskCount} kiosks polling, ${DESK_SCREENS} desk screens on the event stream; ${WARMUP_MS} ms warm-up`,
    );
    await sleep(WARMUP_MS);
    const deadlineReady = performance.now() + 10_000;
    while (!screensReady.every(Boolean)) {
      if (performance.now() > deadlineReady)
        throw new Error(`desk screens got no grid within 10 s: ${JSON.stringify(gridErrors.toJSON())}`);
      await sleep(100);
    }

    const loadBefore = os.loadavg()[0]!;
    const cpuBefore = cpuSeconds(server.pid);
    const benchCpuBefore = process.cpuUsage();
    loopDelay.reset();
    windowStart = performance.now();
    measuring = true;
    log(`measuring ${settings.seconds} s at ${settings.changesPerSecond} changes/s`);
    const interval = 1000 / settings.changesPerSecond;
    const drives: Promise<void>[] = [];
    windowEnd = windowStart + settings.seconds * 1000;
    for (let next = windowStart; next < windowEnd; next += interval) {
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      drives.push(driveOne());
      // Changes nobody saw in time stop holding their PC.
      for (const change of [...pending.values()])
        if (change.status !== undefined && performance.now() - change.t0 > CHANGE_TIMEOUT_MS)
          settle(change, true);
    }
    const windowMs = performance.now() - windowStart;
    const cpuAfter = cpuSeconds(server.pid);
    const loadAfter = os.loadavg()[0]!;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    sampleMemory();
    const memoryEnd = readMemory(server.pid);
    await Promise.all(drives);
    // Let the last changes reach the screens and kiosks.
    const settleBy = performance.now() + CHANGE_TIMEOUT_MS;
    while (pending.size > 0 && performance.now() < settleBy) await sleep(100);
    for (const change of [...pending.values()]) settle(change, true);
    measuring = false;
    loopDelay.disable();

    const toGrid = done.flatMap((c) => c.seenByScreen.filter((t): t is number => t !== null));
    const toKiosk = done.map((c) => c.seenByKiosk).filter((t): t is number => t !== null && t >= 0);
    const seconds = windowMs / 1000;
    return {
      measuredSeconds: Math.round(seconds * 10) / 10,
      kiosks: kioskCount,
      kioskAddresses: settings.sameAddress
        ? "127.0.0.1 (all)"
        : `127.0.0.${KIOSK_ADDRESS_BASE}–127.0.0.${KIOSK_ADDRESS_BASE + kioskCount - 1}`,
      kioskPolls,
      kioskPollsPerSecond: Math.round((kioskPolls / seconds) * 10) / 10,
      kioskPollMs: distribution(kioskPollMs),
      kioskStatus: kioskStatus.counts,
      kioskErrors: kioskErrors.toJSON(),
      kioskFailures: kioskErrors.total,
      kioskBadSignatures,
      deskScreens: DESK_SCREENS,
      streamEvents,
      gridFetches,
      gridFetchMs: distribution(gridFetchMs),
      gridBytesOnWire: gridFetches ? Math.round(gridBytesOnWire / gridFetches) : null,
      gridBytesHtml: gridFetches ? Math.round(gridBytesHtml / gridFetches) : null,
      gridErrors: gridErrors.toJSON(),
      changesAttempted,
      changesApplied: done.length,
      starts,
      ends,
      changeErrors: changeErrors.toJSON(),
      deskPostMs: distribution(deskPostMs),
      changeToGridMs: distribution(toGrid),
      changeToGridMissed: done.length * DESK_SCREENS - toGrid.length,
      changeToKioskMs: distribution(toKiosk),
      changeToKioskMissed: done.filter((c) => c.seenByKiosk === null).length,
      runningAtEnd: memberOnPc.size,
      serverCpuPercent:
        cpuBefore !== null && cpuAfter !== null
          ? Math.round(((cpuAfter - cpuBefore) / seconds) * 1000) / 10
          : null,
      serverRssMiB: memoryEnd?.rssMiB ?? null,
      serverPeakRssMiB: memory.peak || null,
      serverHwmMiB: memoryEnd?.hwmMiB ?? null,
      benchCpuPercent: Math.round(((benchCpu.user + benchCpu.system) / 1e6 / seconds) * 1000) / 10,
      benchEventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e4) / 100,
      loadAverage: [Math.round(loadBefore * 100) / 100, Math.round(loadAfter * 100) / 100],
    };
  } finally {
    stopping = true;
    clearInterval(memoryTimer);
    for (const timer of timers) clearTimeout(timer);
    for (const request of streams) request.destroy();
    for (const agent of agents) agent.destroy();
  }
}

// ---- reservation contention ---------------------------------------------------------------------

interface BookingResult {
  over: "in-process bookForMember calls on the bench's own connection (not HTTP)";
  targets: number;
  concurrencyPerTarget: number;
  rounds: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  successes: number;
  slotConflicts: number;
  otherRefusals: Record<string, number>;
  errors: ReturnType<Tally["toJSON"]>;
  /** Rounds × targets that ended with exactly one booking. */
  targetsWithOneWinner: number;
  targetsWithoutWinner: number;
  targetsWithSeveralWinners: number;
  latencyMs: Distribution;
  check: { sql: string; rows: number; liveTargetSlots: number; ok: boolean };
}

const DOUBLE_BOOKING_SQL =
  "select pc_id, slot_start, count(*) as n from reservation_slots where deleted_at is null group by pc_id, slot_start having count(*) > 1";

async function bookingContention(
  db: Db,
  fixture: Fixture,
  seconds: number,
  log: (m: string) => void,
): Promise<BookingResult> {
  const clock = systemClock;
  const actor: Actor = {
    kind: "staff",
    id: fixture.staff.id,
    name: fixture.staff.username,
    role: "staff",
    centreId: fixture.centreId,
    ip: null,
  };
  const ctx = { actor, clock };
  // Tomorrow in the centre's zone, one slot per target from 10:00 on, each on its own PC.
  const day = localDate(new Date(clock.now().getTime() + 86_400_000), fixture.timeZone);
  const targets = Array.from({ length: BOOKING_TARGETS }, (_x, i) => {
    const minutes = 10 * 60 + i * 30;
    const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
    const start = localToInstant(day, time, fixture.timeZone);
    if (!start) throw new Error(`no instant for ${day} ${time}`);
    return { pcId: fixture.pcs[i]!.id, start };
  });
  const otherRefusals = new Tally();
  const errors = new Tally();
  const latencies: number[] = [];
  let requests = 0;
  let successes = 0;
  let slotConflicts = 0;
  let one = 0;
  let none = 0;
  let several = 0;
  let rounds = 0;
  let busyMs = 0;
  const M = fixture.members.length;
  log(`reservations: ${BOOKING_TARGETS} targets × ${BOOKING_CONCURRENCY} concurrent bookings, ${seconds} s`);
  const until = performance.now() + seconds * 1000;
  for (;;) {
    const winners: string[][] = targets.map(() => []);
    const calls: Promise<void>[] = [];
    const started = performance.now();
    // Interleaved, so the requests in flight together are spread over all targets.
    for (let j = 0; j < BOOKING_CONCURRENCY; j++) {
      targets.forEach((target, i) => {
        // 50 different members per target; a member also tries a few other targets (other times).
        const member = fixture.members[(i * BOOKING_CONCURRENCY + j + rounds * 7) % M]!;
        const t = performance.now();
        requests++;
        calls.push(
          bookForMember(
            db,
            { pcId: target.pcId, memberId: member.id, startsAt: target.start, minutes: 15 },
            ctx,
          )
            .then((row) => {
              successes++;
              winners[i]!.push(row.id);
            })
            .catch((error: unknown) => {
              if (error instanceof DomainError && error.code === "slot_taken") slotConflicts++;
              else if (error instanceof DomainError)
                otherRefusals.add(`${error.code}${error.fields[0] ? `/${error.fields[0].code}` : ""}`);
              else errors.add(String((error as Error).message ?? error).split("\n")[0]!);
            })
            .finally(() => latencies.push(performance.now() - t)),
        );
      });
    }
    await Promise.all(calls);
    busyMs += performance.now() - started;
    rounds++;
    for (const w of winners) {
      if (w.length === 1) one++;
      else if (w.length === 0) none++;
      else several++;
    }
    // The last round's bookings stay for the check; otherwise free the slots for the next round
    // (not timed): cancelled slots are tombstoned, so the same (PC, slot) targets are booked again.
    if (performance.now() >= until) break;
    for (const id of winners.flat()) await cancelReservation(db, id, ctx);
  }
  const found = await sql<{
    pc_id: string;
    slot_start: string;
    n: number;
  }>`${sql.raw(DOUBLE_BOOKING_SQL)}`.execute(db);
  const live = await db
    .selectFrom("reservation_slots")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("deleted_at", "is", null)
    .where(
      "pc_id",
      "in",
      targets.map((t) => t.pcId),
    )
    .executeTakeFirstOrThrow();
  const liveTargetSlots = Number(live.n);
  const busySeconds = busyMs / 1000;
  return {
    over: "in-process bookForMember calls on the bench's own connection (not HTTP)",
    targets: BOOKING_TARGETS,
    concurrencyPerTarget: BOOKING_CONCURRENCY,
    rounds,
    requests,
    seconds: Math.round(busySeconds * 100) / 100,
    requestsPerSecond: Math.round(requests / busySeconds),
    successes,
    slotConflicts,
    otherRefusals: otherRefusals.counts,
    errors: errors.toJSON(),
    targetsWithOneWinner: one,
    targetsWithoutWinner: none,
    targetsWithSeveralWinners: several,
    latencyMs: distribution(latencies),
    check: {
      sql: DOUBLE_BOOKING_SQL,
      rows: found.rows.length,
      liveTargetSlots,
      ok: found.rows.length === 0 && several === 0 && liveTargetSlots <= BOOKING_TARGETS,
    },
  };
}

// ---- one database -------------------------------------------------------------------------------

interface DatabaseResult {
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

// ---- the report ---------------------------------------------------------------------------------

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

const show = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: digits });

function printReport(results: DatabaseResult[]): void {
  type Row = [string, (r: DatabaseResult) => string];
  const L = (f: (l: LoadResult) => string) => (r: DatabaseResult) => (r.load ? f(r.load) : "–");
  const B = (f: (b: BookingResult) => string) => (r: DatabaseResult) => (r.bookings ? f(r.bookings) : "–");
  const d3 = (d: Distribution) => `${show(d.p50)} / ${show(d.p99)} / ${show(d.max)}`;
  const rows: Row[] = [
    ["kiosks polling every 2 s", L((l) => `${l.kiosks}`)],
    ["kiosk polls/s", L((l) => show(l.kioskPollsPerSecond))],
    ["kiosk poll p50 / p99 / max ms", L((l) => d3(l.kioskPollMs))],
    ["kiosk errors (non-2xx, network)", L((l) => show(l.kioskFailures, 0))],
    ["desk screens on the event stream", L((l) => `${l.deskScreens}`)],
    ["session starts + ends applied", L((l) => `${l.starts} + ${l.ends}`)],
    ["desk POST p50 / p99 / max ms", L((l) => d3(l.deskPostMs))],
    ["change → desk grid p50 / p99 / max ms", L((l) => d3(l.changeToGridMs))],
    [
      "  sightings (changes × screens), missed",
      L((l) => `${l.changeToGridMs.count}, ${l.changeToGridMissed}`),
    ],
    ["change → kiosk poll p50 / p99 / max ms", L((l) => d3(l.changeToKioskMs))],
    [
      "grid fetches, p50 / p99 ms",
      L((l) => `${l.gridFetches}, ${show(l.gridFetchMs.p50)} / ${show(l.gridFetchMs.p99)}`),
    ],
    [
      "grid KB on wire (br) / HTML",
      L((l) => `${show((l.gridBytesOnWire ?? 0) / 1024)} / ${show((l.gridBytesHtml ?? 0) / 1024)}`),
    ],
    ["desk/grid errors", L((l) => show(sum(l.changeErrors.counts) + sum(l.gridErrors.counts), 0))],
    ["server CPU % of one core", L((l) => show(l.serverCpuPercent))],
    ["server RSS end / peak MiB", L((l) => `${show(l.serverRssMiB)} / ${show(l.serverPeakRssMiB)}`)],
    [
      "bench client CPU %, loop delay p99 ms",
      L((l) => `${show(l.benchCpuPercent)}, ${show(l.benchEventLoopDelayP99Ms)}`),
    ],
    ["reservations: requests/s", B((b) => show(b.requestsPerSecond, 0))],
    ["  requests (rounds × 20 × 50)", B((b) => `${b.requests} (${b.rounds})`)],
    [
      "  successes / slot_taken / other / errors",
      B((b) => `${b.successes} / ${b.slotConflicts} / ${sum(b.otherRefusals)} / ${sum(b.errors.counts)}`),
    ],
    ["  booking p50 / p99 ms", B((b) => `${show(b.latencyMs.p50)} / ${show(b.latencyMs.p99)}`)],
    ["  double bookings (SQL check)", B((b) => `${b.check.rows} (${b.check.ok ? "OK" : "FAILED"})`)],
  ];
  console.log(
    formatTable(
      ["", ...results.map((r) => r.label)],
      rows.map(([label, f]) => [label, ...results.map((r) => (r.error && !r.load ? "failed" : f(r)))]),
    ),
  );

  const notes: string[] = [];
  for (const r of results) {
    const parts = [
      r.prepareMs !== undefined ? `prepared in ${r.prepareMs} ms` : null,
      r.startupMs !== undefined ? `server ready in ${r.startupMs} ms` : null,
      r.idleRssMiB != null ? `idle RSS ${show(r.idleRssMiB)} MiB` : null,
      r.timeZone ? `centre time zone ${r.timeZone}` : null,
      r.load
        ? `${r.load.measuredSeconds} s measured, ${r.load.kioskPolls} kiosk polls, ${r.load.streamEvents} stream events, ` +
          `${r.load.runningAtEnd} sessions running at the end; machine load average ${r.load.loadAverage.join(" → ")}`
        : null,
    ].filter(Boolean);
    notes.push(`${r.label}: ${parts.join("; ")}`);
    if (r.load) {
      const l = r.load;
      if (Object.keys(l.kioskErrors.counts).length)
        notes.push(
          `  kiosk errors: ${JSON.stringify(l.kioskErrors.counts)}; e.g. ${JSON.stringify(l.kioskErrors.examples)}`,
        );
      if (l.kioskBadSignatures) notes.push(`  kiosk answers with a bad signature: ${l.kioskBadSignatures}`);
      if (sum(l.changeErrors.counts))
        notes.push(
          `  desk action errors: ${JSON.stringify(l.changeErrors.counts)}; e.g. ${JSON.stringify(l.changeErrors.examples)}`,
        );
      if (Object.keys(l.gridErrors.counts).length)
        notes.push(
          `  grid errors: ${JSON.stringify(l.gridErrors.counts)}; e.g. ${JSON.stringify(l.gridErrors.examples)}`,
        );
    }
    if (r.bookings) {
      const b = r.bookings;
      notes.push(
        `  double-booking check: \`${b.check.sql}\` → ${b.check.rows} rows; ` +
          `${b.targetsWithOneWinner} of ${b.rounds * b.targets} (round, target) pairs had exactly one winner, ` +
          `${b.targetsWithoutWinner} none, ${b.targetsWithSeveralWinners} several; ` +
          `${b.check.liveTargetSlots} live slots on the target PCs after the last round → ${b.check.ok ? "OK" : "FAILED"}`,
      );
      if (Object.keys(b.otherRefusals).length)
        notes.push(`  other refusals: ${JSON.stringify(b.otherRefusals)}`);
      if (b.errors.counts && Object.keys(b.errors.counts).length)
        notes.push(
          `  booking errors: ${JSON.stringify(b.errors.counts)}` +
            (Object.keys(b.errors.counts).some((k) => k.includes("timeout exceeded when trying to connect"))
              ? " — pg.Pool gave up waiting for a connection: src/db/connect.ts opens at most 10 " +
                "connections and waits 5 s (connectionTimeoutMillis) for one, and 1000 bookings were queued at once"
              : ""),
        );
    }
    if (r.error) notes.push(`  FAILED: ${r.error.split("\n").join("\n  ")}`);
  }
  console.log(`\n${notes.join("\n")}`);
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
