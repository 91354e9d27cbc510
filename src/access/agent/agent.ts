// The kiosk agent: keeps one public PC locked between sessions, unlocks it when the centre server
// starts a session, warns before the end, and at the end logs the user out and locks it again.
//
// The decisions are pure functions of (state, input, local time) below, so tests can drive time
// without waiting; KioskAgent wires them to real timers, HTTP and shell commands. The server is
// the authority on time: every answer carries its clock, the agent keeps the offset, and the
// countdown runs on local time + offset, so a session still ends on time while the link is down.

import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { AgentConfig, CommandName, Placeholder } from "./config.ts";
import { PLACEHOLDERS } from "./config.ts";
import {
  authorizationHeader,
  endedPath,
  kioskPageUrl,
  parseStateResponse,
  seenPath,
  SIGNATURE_HEADER,
  statePath,
  verifySignature,
  type EndedReport,
  type EndReason,
  type KioskStateResponse,
} from "./protocol.ts";

// ---------------------------------------------------------------------------------------------
// The state machine (pure)

export type AgentMode = "locked" | "in_use" | "out_of_order";

export interface AgentSession {
  id: string;
  /** End of the session, ms since the epoch on the server's clock. */
  endsAt: number;
  label: string;
}

export interface AgentState {
  mode: AgentMode;
  session: AgentSession | null;
  /** Warnings (minutes before the end) already given or already past for this session. */
  warned: number[];
  /** Server clock − local clock, in ms, from the latest answer. */
  offsetMs: number;
  /** Sessions this agent saw end; the server saying otherwise never unlocks them again. */
  ended: string[];
  /** Messages already shown. */
  shown: string[];
}

export type CommandVars = Partial<Record<Placeholder, string>>;

export type AgentAction =
  | { kind: "run"; command: CommandName; vars: CommandVars }
  /** Show a message, then tell the server it was seen. */
  | { kind: "message"; id: string; text: string }
  /** Tell the server again that a message already shown was seen. */
  | { kind: "seen"; id: string }
  | { kind: "report"; report: EndedReport }
  | { kind: "log"; level: LogLevel; message: string };

export interface Step {
  state: AgentState;
  actions: AgentAction[];
}

export interface Policy {
  /** Minutes before the end at which to warn. */
  warningsMinutes: readonly number[];
}

const KEEP_ENDED = 50;
const KEEP_SHOWN = 500;

/** At start the PC is locked, whatever it showed before. */
export function initialStep(): Step {
  return {
    state: { mode: "locked", session: null, warned: [], offsetMs: 0, ended: [], shown: [] },
    actions: [{ kind: "run", command: "lock", vars: {} }],
  };
}

/** The server's clock as this agent estimates it. */
export function serverTime(state: AgentState, localNow: number): number {
  return localNow + state.offsetMs;
}

/** Milliseconds left in the running session, or null when none runs. */
export function remainingMs(state: AgentState, localNow: number): number | null {
  if (state.mode !== "in_use" || !state.session) return null;
  return state.session.endsAt - serverTime(state, localNow);
}

function sessionVars(session: AgentSession): CommandVars {
  return { label: session.label, ends_at: new Date(session.endsAt).toISOString(), session_id: session.id };
}

/** Warnings whose moment has already come with `remaining` ms left. */
function passedWarnings(policy: Policy, remaining: number): number[] {
  return policy.warningsMinutes.filter((m) => remaining <= m * 60_000);
}

function remember(list: string[], id: string, keep: number): string[] {
  return [...list.filter((x) => x !== id), id].slice(-keep);
}

/** Log out and lock; with a reason, the end is reported to the server (queued when offline). */
function endSession(
  state: AgentState,
  serverNow: number,
  reason: EndReason | null,
  why: string,
  nextMode: AgentMode = "locked",
): Step {
  const session = state.session!;
  const actions: AgentAction[] = [
    { kind: "log", level: "info", message: `ending session ${session.id} (${session.label}): ${why}` },
    { kind: "run", command: "logout", vars: sessionVars(session) },
    { kind: "run", command: "lock", vars: {} },
  ];
  if (reason) {
    actions.push({
      kind: "report",
      report: { session_id: session.id, at: new Date(serverNow).toISOString(), reason },
    });
  }
  return {
    state: {
      ...state,
      mode: nextMode,
      session: null,
      warned: [],
      ended: remember(state.ended, session.id, KEEP_ENDED),
    },
    actions,
  };
}

/** A verified answer from the server, received at local time `localNow`. */
export function onServerState(
  previous: AgentState,
  response: KioskStateResponse,
  localNow: number,
  policy: Policy,
): Step {
  let state: AgentState = { ...previous, offsetMs: Date.parse(response.now) - localNow };
  const serverNow = serverTime(state, localNow);
  const actions: AgentAction[] = [];
  const add = (step: Step) => {
    state = step.state;
    actions.push(...step.actions);
  };

  if (response.state === "in_use" && response.session) {
    const given = response.session;
    const endsAt = Date.parse(given.ends_at);
    const current = state.mode === "in_use" ? state.session : null;
    if (state.ended.includes(given.id)) {
      // Ended here already; the report tells the server when it gets through.
    } else if (current && current.id === given.id) {
      if (endsAt !== current.endsAt) {
        actions.push({
          kind: "log",
          level: "info",
          message: `session ${given.id} now ends at ${given.ends_at} (was ${new Date(current.endsAt).toISOString()})`,
        });
        state = {
          ...state,
          session: { ...current, endsAt, label: given.label },
          warned: passedWarnings(policy, endsAt - serverNow),
        };
      }
    } else {
      if (current) add(endSession(state, serverNow, null, `the server started session ${given.id} instead`));
      if (endsAt > serverNow) {
        const session: AgentSession = { id: given.id, endsAt, label: given.label };
        actions.push(
          {
            kind: "log",
            level: "info",
            message: `session ${given.id} (${given.label}) until ${given.ends_at}`,
          },
          { kind: "run", command: "unlock", vars: sessionVars(session) },
          { kind: "run", command: "timer", vars: sessionVars(session) },
        );
        state = {
          ...state,
          mode: "in_use",
          session,
          warned: passedWarnings(policy, endsAt - serverNow),
        };
      }
    }
  } else if (response.state === "locked" || response.state === "out_of_order") {
    if (state.mode === "in_use" && state.session) {
      add(endSession(state, serverNow, null, `the server says the PC is ${response.state}`, response.state));
    } else if (response.state === "out_of_order" && state.mode !== "out_of_order") {
      actions.push(
        { kind: "log", level: "info", message: "the server says the PC is out of order" },
        { kind: "run", command: "lock", vars: {} },
      );
      state = { ...state, mode: "out_of_order" };
    } else {
      state = { ...state, mode: response.state };
    }
  }
  // "in_use" without a session says nothing the agent can act on: it keeps what it has.

  for (const message of response.messages) {
    if (state.shown.includes(message.id)) {
      actions.push({ kind: "seen", id: message.id });
    } else {
      actions.push({ kind: "message", id: message.id, text: message.text });
      state = { ...state, shown: remember(state.shown, message.id, KEEP_SHOWN) };
    }
  }
  return { state, actions };
}

/** The clock moved on: warn, or end the session on time (by local clock + offset). */
export function onTick(state: AgentState, localNow: number, policy: Policy): Step {
  const remaining = remainingMs(state, localNow);
  if (remaining === null) return { state, actions: [] };
  if (remaining <= 0) return endSession(state, serverTime(state, localNow), "time", "its time is up");
  const due = passedWarnings(policy, remaining).filter((m) => !state.warned.includes(m));
  if (due.length === 0) return { state, actions: [] };
  const minutes = Math.min(...due);
  return {
    state: { ...state, warned: [...state.warned, ...due] },
    actions: [
      { kind: "run", command: "warn", vars: { ...sessionVars(state.session!), minutes: String(minutes) } },
    ],
  };
}

/** The user asked to end their session now. */
export function onUserEnd(state: AgentState, localNow: number): Step {
  if (state.mode !== "in_use" || !state.session) return { state, actions: [] };
  return endSession(state, serverTime(state, localNow), "user", "the user ended it");
}

// ---------------------------------------------------------------------------------------------
// Commands

export interface ShellResult {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  output: string;
}

const OUTPUT_LIMIT = 4000;

/** `{name}` → `${RASAI_NAME}` for every known placeholder; values travel in the environment. */
export function commandText(command: string): string {
  return command.replace(/\{([a-z_]+)\}/g, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? `\${RASAI_${name.toUpperCase()}}` : whole,
  );
}

export function commandEnv(vars: CommandVars, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  delete env.RASAI_KIOSK_TOKEN; // a command never needs the PC's token
  for (const name of PLACEHOLDERS) env[`RASAI_${name.toUpperCase()}`] = vars[name] ?? "";
  return env;
}

/**
 * Runs a command through `/bin/sh -c` in its own process group, killed at the timeout. A command
 * that leaves something running in the background (`chromium … &`) does not hold the agent up.
 */
export function runShell(command: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ShellResult> {
  return new Promise((resolve) => {
    let output = "";
    let timedOut = false;
    let settled = false;
    const child = spawn("/bin/sh", ["-c", command], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const collect = (chunk: Buffer) => {
      if (output.length < OUTPUT_LIMIT) output += chunk.toString("utf8");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    const finish = (code: number | null, signal: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Something left running in the background may still hold the pipes: stop waiting on them.
      for (const stream of [child.stdout, child.stderr])
        (stream as unknown as { unref?: () => void }).unref?.();
      resolve({ code, signal, timedOut, output: output.slice(0, OUTPUT_LIMIT).trim() });
    };
    child.once("error", (error) => {
      output += String(error.message);
      finish(null, null);
    });
    child.once("close", (code, signal) => finish(code, signal));
    child.once("exit", (code, signal) => {
      // 'close' waits for the pipes; give short output a moment to arrive, then settle anyway.
      setTimeout(() => finish(code, signal), 200).unref();
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The runner

export type LogLevel = "debug" | "info" | "warn" | "error";
export type AgentLog = (level: LogLevel, message: string) => void;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One line per event on stderr; RASAI_LOG_LEVEL (debug, info, warn, error, silent) filters them. */
export function stderrLog(threshold = process.env.RASAI_LOG_LEVEL ?? "info"): AgentLog {
  const aliases: Record<string, number> = { silent: Infinity, fatal: LEVELS.error, trace: LEVELS.debug };
  const min = aliases[threshold] ?? LEVELS[threshold as LogLevel] ?? LEVELS.info;
  return (level, message) => {
    if (LEVELS[level] >= min)
      process.stderr.write(`${new Date().toISOString()} kiosk-agent ${level}: ${message}\n`);
  };
}

/** Local time that only moves forward: a change of the PC's clock does not shorten a session. */
export function monotonicClock(): () => number {
  const wall = Date.now();
  const mono = performance.now();
  return () => wall + (performance.now() - mono);
}

export interface AgentOptions {
  /** Local clock, ms since the epoch (tests move it by hand). */
  now?: () => number;
  log?: AgentLog;
  /** How often the countdown is checked, ms. */
  tickMs?: number;
}

interface HttpAnswer {
  status: number;
  signature: string | null;
  body: Buffer;
}

class Lane {
  private tail: Promise<void> = Promise.resolve();
  busy = 0;
  add(job: () => Promise<void>): void {
    this.busy++;
    this.tail = this.tail
      .then(job)
      .catch(() => {}) // a job logs its own failures; the next one still runs
      .finally(() => {
        this.busy--;
      });
  }
  idle(): Promise<void> {
    return this.tail;
  }
}

export class KioskAgent {
  private state: AgentState;
  private readonly now: () => number;
  private readonly log: AgentLog;
  private readonly tickMs: number;
  private readonly policy: Policy;
  /** lock, unlock, timer, logout: one after another. */
  private readonly screen = new Lane();
  /** warn and message: apart, so a dialog left open never delays the end of a session. */
  private readonly notify = new Lane();
  private outbox: EndedReport[] = [];
  private flushing = false;
  private stopped = true;
  private linkUp: boolean | null = null;
  private lastProblem = "";
  private checking = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private readonly inflight = new Set<AbortController>();

  constructor(
    private readonly config: AgentConfig,
    options: AgentOptions = {},
  ) {
    this.now = options.now ?? monotonicClock();
    this.log = options.log ?? stderrLog();
    this.tickMs = options.tickMs ?? 250;
    this.policy = { warningsMinutes: config.warningsMinutes };
    this.state = initialStep().state;
    this.outbox = this.loadQueue();
  }

  /** Locks the screen and starts polling the server. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.log("info", `PC ${this.config.pc}, server ${this.config.server}`);
    const first = initialStep();
    // Sessions ended before a restart, whose reports still wait, are never unlocked again.
    first.state.ended = this.outbox.map((r) => r.session_id).slice(-KEEP_ENDED);
    this.apply(first);
    this.tickTimer = setInterval(() => this.apply(onTick(this.state, this.now(), this.policy)), this.tickMs);
    if (this.config.lockCheckMs > 0 && this.config.commands.lock_check) {
      this.checkTimer = setInterval(() => void this.checkLock(), this.config.lockCheckMs);
    }
    void this.pollLoop();
  }

  /** Stops the timers; the screen is left locked (a running session goes on at the server). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.pollTimer);
    clearInterval(this.tickTimer);
    clearInterval(this.checkTimer);
    for (const controller of this.inflight) controller.abort();
    if (this.state.mode === "in_use") {
      this.log("info", "stopping during a session: locking the screen; the session goes on at the server");
      this.state = { ...this.state, mode: "locked" };
      this.screen.add(() => this.runCommand("lock", {}));
    }
    await Promise.race([
      Promise.all([this.screen.idle(), this.notify.idle()]),
      new Promise((resolve) => setTimeout(resolve, this.config.commandTimeoutMs + 1000).unref()),
    ]);
    this.saveQueue();
  }

  /** The user ended their session (e.g. SIGUSR1 from an "End session" button). */
  endSession(): void {
    if (!this.stopped) this.apply(onUserEnd(this.state, this.now()));
  }

  snapshot(): AgentState {
    return structuredClone(this.state);
  }

  pendingReports(): EndedReport[] {
    return [...this.outbox];
  }

  private apply(step: Step): void {
    this.state = step.state;
    for (const action of step.actions) {
      switch (action.kind) {
        case "log":
          this.log(action.level, action.message);
          break;
        case "run":
          if (action.command === "warn") this.notify.add(() => this.runCommand("warn", action.vars));
          else this.screen.add(() => this.runCommand(action.command, action.vars));
          break;
        case "message":
          this.notify.add(async () => {
            await this.runCommand("message", { text: action.text });
            await this.markSeen(action.id);
          });
          break;
        case "seen":
          void this.markSeen(action.id);
          break;
        case "report":
          this.outbox.push(action.report);
          this.saveQueue();
          void this.flushOutbox();
          break;
      }
    }
  }

  private async runCommand(name: CommandName, vars: CommandVars): Promise<void> {
    const command = this.config.commands[name];
    if (!command) return;
    const result = await runShell(commandText(command), this.envFor(vars), this.config.commandTimeoutMs);
    const detail = result.output ? `: ${result.output.replace(/\s*\n\s*/g, " | ")}` : "";
    if (result.timedOut)
      this.log("error", `${name} took longer than ${this.config.commandTimeoutMs} ms, killed${detail}`);
    else if (result.code !== 0) {
      const how = result.signal ? `signal ${result.signal}` : `exit status ${result.code}`;
      this.log("warn", `${name} failed (${how})${detail}`);
    } else this.log("info", `${name} done${detail}`);
  }

  private envFor(vars: CommandVars): NodeJS.ProcessEnv {
    return commandEnv({
      server: this.config.server,
      pc: this.config.pc,
      url: kioskPageUrl(this.config.server, this.config.pc),
      ...vars,
    });
  }

  /** While locked, `lock_check` tells whether the lock screen still shows; when not, lock again. */
  private async checkLock(): Promise<void> {
    const command = this.config.commands.lock_check;
    if (this.stopped || this.checking || !command || !this.showsLock()) return;
    this.checking = true;
    try {
      const result = await runShell(commandText(command), this.envFor({}), this.config.commandTimeoutMs);
      if (result.code !== 0 && !this.stopped && this.showsLock()) {
        this.log("warn", "the lock screen is not showing: showing it again");
        this.screen.add(() => this.runCommand("lock", {}));
      }
    } finally {
      this.checking = false;
    }
  }

  /** Locked (or out of order) with no lock, unlock or logout under way. */
  private showsLock(): boolean {
    return this.state.mode !== "in_use" && this.screen.busy === 0;
  }

  // --- HTTP

  private async request(method: "GET" | "POST", pathname: string, body?: string): Promise<HttpAnswer> {
    const controller = new AbortController();
    this.inflight.add(controller);
    const timer = setTimeout(() => controller.abort(), this.config.requestTimeoutMs);
    try {
      const headers: Record<string, string> = { authorization: authorizationHeader(this.config.token) };
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${this.config.server}${pathname}`, {
        method,
        headers,
        body: method === "POST" ? (body ?? "") : undefined,
        signal: controller.signal,
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      return { status: res.status, signature: res.headers.get(SIGNATURE_HEADER), body: bytes };
    } finally {
      clearTimeout(timer);
      this.inflight.delete(controller);
    }
  }

  private async pollLoop(): Promise<void> {
    if (this.stopped) return;
    let delay = this.config.pollIntervalMs;
    try {
      delay = await this.pollOnce();
    } catch (error) {
      this.log("error", `unexpected: ${describe(error)}`);
    }
    if (!this.stopped) this.pollTimer = setTimeout(() => void this.pollLoop(), delay);
  }

  /** Asks the server for this PC's state; returns how long to wait before asking again. */
  private async pollOnce(): Promise<number> {
    let answer: HttpAnswer;
    try {
      answer = await this.request("GET", statePath(this.config.pc));
    } catch (error) {
      if (this.stopped) return 0;
      this.linkDown(`cannot reach the server (${describe(error)})`);
      return this.config.pollIntervalMs;
    }
    const receivedAt = this.now();
    if (answer.status === 401) {
      this.problem(
        "error",
        `the server refused this PC's token (401): check --pc ${this.config.pc} and the token file; asking again every ${Math.round(this.config.unauthorizedRetryMs / 1000)} s`,
      );
      return this.config.unauthorizedRetryMs;
    }
    if (answer.status !== 200) {
      this.linkDown(`the server answered ${answer.status}`);
      return this.config.pollIntervalMs;
    }
    if (!verifySignature(this.config.token, answer.body, answer.signature)) {
      this.problem(
        "warn",
        "ignored an answer whose signature does not verify (wrong token, or altered on the way)",
      );
      return this.config.pollIntervalMs;
    }
    let parsed: KioskStateResponse | null = null;
    try {
      parsed = parseStateResponse(JSON.parse(answer.body.toString("utf8")));
    } catch {
      parsed = null;
    }
    if (!parsed || parsed.pc.toUpperCase() !== this.config.pc.toUpperCase()) {
      this.problem(
        "warn",
        parsed ? `ignored an answer for PC ${parsed.pc}` : "ignored an answer it cannot read",
      );
      return this.config.pollIntervalMs;
    }
    if (this.linkUp !== true) {
      this.log("info", this.linkUp === null ? "connected to the server" : "the link to the server is back");
    }
    this.linkUp = true;
    this.lastProblem = "";
    this.apply(onServerState(this.state, parsed, receivedAt, this.policy));
    void this.flushOutbox();
    return this.config.pollIntervalMs;
  }

  private linkDown(reason: string): void {
    if (this.linkUp !== false) {
      const left = remainingMs(this.state, this.now());
      const note = left === null ? "" : `; the session still ends on time, in ${Math.ceil(left / 1000)} s`;
      this.log("warn", `${reason}${note}`);
    } else this.log("debug", reason);
    this.linkUp = false;
  }

  /** Logs a problem once, not on every poll while it lasts. */
  private problem(level: LogLevel, message: string): void {
    this.log(message === this.lastProblem ? "debug" : level, message);
    this.lastProblem = message;
  }

  private async markSeen(id: string): Promise<void> {
    if (this.stopped) return;
    try {
      const answer = await this.request("POST", seenPath(this.config.pc, id));
      if (answer.status >= 300) this.log("debug", `message ${id} seen: server answered ${answer.status}`);
    } catch (error) {
      this.log("debug", `message ${id} seen: ${describe(error)} (told again on a later answer)`);
    }
  }

  /** Sends queued `ended` reports, oldest first, until the server takes them. */
  private async flushOutbox(): Promise<void> {
    if (this.flushing || this.stopped) return;
    this.flushing = true;
    try {
      while (this.outbox.length > 0 && !this.stopped) {
        const report = this.outbox[0]!;
        let answer: HttpAnswer;
        try {
          answer = await this.request("POST", endedPath(this.config.pc), JSON.stringify(report));
        } catch {
          return; // offline: kept, sent again after the next answer from the server
        }
        if (answer.status >= 200 && answer.status < 300) {
          this.log(
            "info",
            `reported the end of session ${report.session_id} (${report.reason}, ${report.at})`,
          );
        } else if (
          answer.status === 401 ||
          answer.status === 408 ||
          answer.status === 429 ||
          answer.status >= 500
        ) {
          this.log(
            "debug",
            `end of session ${report.session_id}: server answered ${answer.status}, will send again`,
          );
          return;
        } else {
          const text = answer.body.toString("utf8").slice(0, 200);
          this.log(
            "error",
            `the server refused the end of session ${report.session_id} (${answer.status}): ${text}`,
          );
        }
        this.outbox.shift();
        this.saveQueue();
      }
    } finally {
      this.flushing = false;
    }
  }

  // --- the queue of unsent reports, kept in a file when configured

  private loadQueue(): EndedReport[] {
    const file = this.config.queueFile;
    if (!file || !fs.existsSync(file)) return [];
    try {
      const value: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
      if (!Array.isArray(value)) throw new Error("not a list");
      return value.filter(
        (r): r is EndedReport =>
          typeof r === "object" &&
          r !== null &&
          typeof r.session_id === "string" &&
          typeof r.at === "string" &&
          (r.reason === "time" || r.reason === "user"),
      );
    } catch (error) {
      this.log("warn", `ignored the report queue ${file}: ${describe(error)}`);
      return [];
    }
  }

  private saveQueue(): void {
    const file = this.config.queueFile;
    if (!file) return;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(this.outbox));
      fs.renameSync(temp, file);
    } catch (error) {
      this.log("warn", `cannot keep the report queue in ${file}: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "AbortError") return "no answer in time";
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}
