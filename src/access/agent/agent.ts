// The kiosk agent: keeps one public PC locked between sessions, unlocks it when the centre server
// starts a session, warns before the end, and at the end logs the user out and locks it again.
//
// KioskAgent wires the pure decisions of ./stateMachine.ts to real timers, HTTP (./protocol.ts)
// and shell commands (./shell.ts); ends it could not report yet wait in ./reportQueue.ts.

import { performance } from "node:perf_hooks";
import type { AgentConfig, CommandName } from "./config.ts";
import { describeError, stderrLog, type AgentLog, type LogLevel } from "./log.ts";
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
  type KioskStateResponse,
} from "./protocol.ts";
import { loadReportQueue, saveReportQueue } from "./reportQueue.ts";
import { commandEnv, commandText, runShell } from "./shell.ts";
import {
  initialStep,
  KEEP_ENDED,
  onServerState,
  onTick,
  onUserEnd,
  remainingMs,
  type AgentState,
  type CommandVars,
  type Policy,
  type Step,
} from "./stateMachine.ts";

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
    this.outbox = loadReportQueue(config.queueFile, this.log);
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
    saveReportQueue(this.config.queueFile, this.outbox, this.log);
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
          saveReportQueue(this.config.queueFile, this.outbox, this.log);
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
      this.log("error", `unexpected: ${describeError(error)}`);
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
      this.linkDown(`cannot reach the server (${describeError(error)})`);
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
      this.log("debug", `message ${id} seen: ${describeError(error)} (told again on a later answer)`);
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
        saveReportQueue(this.config.queueFile, this.outbox, this.log);
      }
    } finally {
      this.flushing = false;
    }
  }
}
