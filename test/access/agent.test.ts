import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { KioskAgent } from "../../src/access/agent/agent.ts";
import type { AgentLog } from "../../src/access/agent/log.ts";
import { commandEnv, commandText, runShell } from "../../src/access/agent/shell.ts";
import { initialStep, onServerState, onTick } from "../../src/access/agent/stateMachine.ts";
import {
  buildAgentConfig,
  checkConfigFile,
  DEBIAN_COMMANDS,
  type AgentConfigFile,
} from "../../src/access/agent/config.ts";
import {
  parseStateResponse,
  signBody,
  verifySignature,
  type EndedReport,
  type KioskStateResponse,
} from "../../src/access/agent/protocol.ts";
import { BIN, ROOT, runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/db.ts";
import { waitFor } from "../helpers/wait.ts";

const MIN = 60_000;
const PC = "PC-07";

const agentDir = () => tempDir("rasai-agent-");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A local clock the test can move forward; real time keeps flowing underneath. */
function testClock() {
  let skew = 0;
  return {
    now: () => Date.now() + skew,
    advance(ms: number) {
      skew += ms;
    },
  };
}

/** The centre server's side of the kiosk protocol, signing each state answer with the PC token. */
class StubServer {
  state: "locked" | "in_use" | "out_of_order" = "locked";
  session: { id: string; ends_at: string; label: string } | null = null;
  messages: { id: string; text: string }[] = [];
  ended: EndedReport[] = [];
  seen: string[] = [];
  refused = 0;
  stateRequests = 0;
  signWith: string | null = null;
  port = 0;
  private server: http.Server | null = null;

  constructor(
    readonly token: string,
    private readonly clock: () => number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  startSession(endsAt: number, label = "AK"): string {
    const id = crypto.randomUUID();
    this.state = "in_use";
    this.session = { id, ends_at: new Date(endsAt).toISOString(), label };
    return id;
  }

  async listen(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks).toString("utf8"), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse) {
    const json = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(text);
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      this.refused++;
      return json(401, '{"error":"unauthenticated"}');
    }
    const base = `/api/v1/kiosk/${PC}`;
    if (req.method === "GET" && req.url === `${base}/state`) {
      this.stateRequests++;
      const text = JSON.stringify({
        pc: PC,
        now: new Date(this.clock()).toISOString(),
        state: this.state,
        session: this.session,
        messages: this.messages,
      });
      const signature = crypto
        .createHmac("sha256", this.signWith ?? this.token)
        .update(text)
        .digest("hex");
      return json(200, text, { "x-rasai-signature": signature });
    }
    if (req.method === "POST" && req.url === `${base}/ended`) {
      const report = JSON.parse(body) as EndedReport;
      this.ended.push(report);
      if (this.session?.id === report.session_id) {
        this.session = null;
        this.state = "locked";
      }
      return json(200, '{"ok":true}');
    }
    const seen =
      req.method === "POST" && req.url?.match(/^\/api\/v1\/kiosk\/PC-07\/messages\/([^/]+)\/seen$/);
    if (seen) {
      this.seen.push(seen[1]!);
      this.messages = this.messages.filter((m) => m.id !== seen[1]);
      return json(200, '{"ok":true}');
    }
    return json(404, '{"error":"not_found"}');
  }
}

/** An agent whose commands append a line to a file, polling every 100 ms. */
function recordingAgent(
  server: string,
  token: string,
  now: () => number,
  extra: AgentConfigFile = {},
  commands: (append: (line: string) => string) => AgentConfigFile["commands"] = () => ({}),
) {
  const dir = agentDir();
  const rec = path.join(dir, "commands.log");
  const append = (line: string) => `printf '%s\\n' "${line}" >> '${rec}'`;
  const file: AgentConfigFile = {
    poll_interval_seconds: 0.1,
    request_timeout_seconds: 1,
    command_timeout_seconds: 5,
    unauthorized_retry_seconds: 0.3,
    lock_check_seconds: 0,
    ...extra,
    commands: {
      lock: append("lock"),
      unlock: append("unlock {label}"),
      timer: append("timer"),
      warn: append("warn {minutes}"),
      logout: append("logout"),
      message: append("message {text}"),
      lock_check: null,
      ...commands(append),
    },
  };
  const config = buildAgentConfig({ server, pc: PC, token, file: checkConfigFile(file, "test") });
  const logs: string[] = [];
  const log: AgentLog = (level, message) => logs.push(`${level}: ${message}`);
  const agent = new KioskAgent(config, { now, log, tickMs: 50 });
  const lines = () => (fs.existsSync(rec) ? fs.readFileSync(rec, "utf8").split("\n").filter(Boolean) : []);
  return { agent, lines, logs, dir };
}

/** Starts a stub and an agent that knows its token; the agent is stopped and the stub closed after `body`. */
async function withAgent(
  body: (ctx: {
    stub: StubServer;
    clock: ReturnType<typeof testClock>;
    agent: KioskAgent;
    lines: () => string[];
    logs: string[];
    dir: string;
    /** Moves the clock so that `ms` remain until `endsAt`. */
    leave(endsAt: number, ms: number): void;
  }) => Promise<void>,
  extra: AgentConfigFile = {},
  commands: (append: (line: string) => string) => AgentConfigFile["commands"] = () => ({}),
) {
  const clock = testClock();
  const token = crypto.randomBytes(24).toString("base64url");
  const stub = await new StubServer(token, clock.now).listen();
  const { agent, lines, logs, dir } = recordingAgent(stub.url, token, clock.now, extra, commands);
  const leave = (endsAt: number, ms: number) => clock.advance(endsAt - clock.now() - ms);
  agent.start();
  try {
    await body({ stub, clock, agent, lines, logs, dir, leave });
  } finally {
    await agent.stop();
    await stub.close();
  }
}

describe("kiosk agent", () => {
  it("locks at start, unlocks a session, warns at 5 and 1 minutes, ends it on time and reports it", async () => {
    await withAgent(async ({ stub, clock, agent, lines, leave }) => {
      await waitFor("lock at start", () => lines().length === 1);
      assert.deepEqual(lines(), ["lock"]);
      await sleep(300);
      assert.deepEqual(lines(), ["lock"], "locked stays locked");

      const endsAt = clock.now() + 6 * MIN;
      const id = stub.startSession(endsAt, "AK");
      await waitFor("unlock", () => lines().includes("timer"));
      assert.deepEqual(lines(), ["lock", "unlock AK", "timer"]);
      assert.equal(agent.snapshot().mode, "in_use");

      leave(endsAt, 5 * MIN + 1000);
      await sleep(300);
      assert.ok(!lines().includes("warn 5"), "no warning before 5 minutes are left");
      leave(endsAt, 5 * MIN - 1000);
      await waitFor("the 5-minute warning", () => lines().includes("warn 5"));
      leave(endsAt, MIN - 1000);
      await waitFor("the 1-minute warning", () => lines().includes("warn 1"));

      leave(endsAt, 1500);
      await sleep(500);
      assert.ok(!lines().includes("logout"), "not logged out early");
      const at = await waitFor("logout", () => lines().includes("logout") && clock.now());
      assert.ok(at >= endsAt && at <= endsAt + 1000, `ended ${at - endsAt} ms after ends_at`);
      await waitFor("lock after logout", () => lines().length === 7);
      assert.deepEqual(lines(), ["lock", "unlock AK", "timer", "warn 5", "warn 1", "logout", "lock"]);

      const report = await waitFor("the ended report", () => stub.ended[0]);
      assert.equal(report.session_id, id);
      assert.equal(report.reason, "time");
      assert.ok(Math.abs(Date.parse(report.at) - endsAt) <= 1000, "reported at the end time");
      assert.equal(stub.ended.length, 1);
      await sleep(400);
      assert.equal(lines().length, 7, "nothing more once locked");
      assert.equal(stub.refused, 0, "every request carried the token");
    });
  });

  it("ends the session on time with the server stopped, and reports it when the server is back", async () => {
    await withAgent(async ({ stub, clock, agent, lines, logs, leave }) => {
      await waitFor("lock at start", () => lines().length === 1);
      const endsAt = clock.now() + 6 * MIN;
      const id = stub.startSession(endsAt);
      await waitFor("unlock", () => lines().includes("timer"));

      leave(endsAt, 2500);
      const port = stub.port;
      await stub.close();
      await waitFor("the agent to notice", () => logs.some((l) => l.includes("cannot reach the server")));
      assert.ok(!lines().includes("logout"));
      const at = await waitFor("logout while offline", () => lines().includes("logout") && clock.now(), 6000);
      assert.ok(at >= endsAt && at <= endsAt + 1000, `ended ${at - endsAt} ms after ends_at`);
      await waitFor("lock after logout", () => lines().at(-1) === "lock" && lines().length === 6);
      assert.deepEqual(lines().slice(-2), ["logout", "lock"]);
      assert.equal(agent.pendingReports().length, 1, "the report waits in the queue");

      // The server comes back still believing the session runs; the agent does not unlock it again.
      const back = new StubServer(stub.token, clock.now);
      back.state = "in_use";
      back.session = stub.session;
      await back.listen(port);
      try {
        const report = await waitFor("the queued report", () => back.ended[0], 8000);
        assert.deepEqual(
          { session_id: report.session_id, reason: report.reason },
          { session_id: id, reason: "time" },
        );
        assert.ok(Math.abs(Date.parse(report.at) - endsAt) <= 1000);
        await waitFor("the queue to empty", () => agent.pendingReports().length === 0);
        await sleep(300);
        assert.equal(lines().filter((l) => l.startsWith("unlock")).length, 1, "not unlocked again");
        assert.ok(logs.some((l) => l.includes("the link to the server is back")));
      } finally {
        await back.close();
      }
    });
  });

  it("keeps an unsent report in queue_file across a restart, and does not unlock that session again", async () => {
    const queueFile = path.join(agentDir(), "queue", "ended.json");
    const clock = testClock();
    const token = crypto.randomBytes(24).toString("base64url");
    const stub = await new StubServer(token, clock.now).listen();
    const first = recordingAgent(stub.url, token, clock.now, { queue_file: queueFile });
    first.agent.start();
    const endsAt = clock.now() + 10 * MIN;
    const id = stub.startSession(endsAt);
    try {
      await waitFor("unlock", () => first.lines().includes("timer"));
      const port = stub.port;
      await stub.close();
      clock.advance(endsAt - clock.now());
      await waitFor("logout offline", () => first.lines().at(-1) === "lock" && first.lines().length > 3);
      await first.agent.stop();
      const kept = JSON.parse(fs.readFileSync(queueFile, "utf8")) as EndedReport[];
      assert.deepEqual(
        kept.map((r) => [r.session_id, r.reason]),
        [[id, "time"]],
      );

      const back = new StubServer(token, clock.now);
      back.state = "in_use";
      back.session = { id, ends_at: new Date(endsAt + 30 * MIN).toISOString(), label: "AK" };
      await back.listen(port);
      const second = recordingAgent(back.url, token, clock.now, { queue_file: queueFile });
      second.agent.start();
      try {
        const report = await waitFor("the report from before the restart", () => back.ended[0]);
        assert.equal(report.session_id, id);
        await sleep(300);
        assert.deepEqual(second.lines(), ["lock"], "the ended session is not unlocked again");
        assert.deepEqual(JSON.parse(fs.readFileSync(queueFile, "utf8")), []);
      } finally {
        await second.agent.stop();
        await back.close();
      }
    } finally {
      await first.agent.stop();
      await stub.close();
    }
  });

  it("ignores an answer whose signature does not verify", async () => {
    await withAgent(async ({ stub, clock, lines, logs }) => {
      await waitFor("lock at start", () => lines().length === 1);
      stub.signWith = "not-the-token";
      stub.startSession(clock.now() + 30 * MIN);
      const seenBefore = stub.stateRequests;
      await waitFor("several answers", () => stub.stateRequests >= seenBefore + 5);
      await sleep(100);
      assert.deepEqual(lines(), ["lock"], "no unlock on a forged answer");
      assert.ok(logs.some((l) => l.includes("signature does not verify")));
      stub.signWith = null;
      await waitFor("unlock once signed properly", () => lines().includes("unlock AK"));
    });
  });

  it("keeps asking, slowly and saying why, when the server refuses the token", async () => {
    const clock = testClock();
    const stub = await new StubServer("the-right-token", clock.now).listen();
    const { agent, lines, logs } = recordingAgent(stub.url, "a-wrong-token", clock.now);
    agent.start();
    try {
      await waitFor("two refusals", () => stub.refused >= 2, 3000);
      assert.ok(logs.some((l) => l.startsWith("error:") && l.includes("refused this PC's token (401)")));
      assert.equal(logs.filter((l) => l.startsWith("error:")).length, 1, "said once, not on every attempt");
      assert.deepEqual(lines(), ["lock"]);
    } finally {
      await agent.stop();
      await stub.close();
    }
  });

  it("follows the server when it extends the session", async () => {
    await withAgent(async ({ stub, clock, agent, lines, leave }) => {
      await waitFor("lock at start", () => lines().length === 1);
      const endsAt = clock.now() + 6 * MIN;
      stub.startSession(endsAt);
      await waitFor("unlock", () => lines().includes("timer"));
      leave(endsAt, 5 * MIN - 1000);
      await waitFor("the 5-minute warning", () => lines().includes("warn 5"));

      const later = endsAt + 10 * MIN;
      stub.session = { ...stub.session!, ends_at: new Date(later).toISOString() };
      await waitFor("the new end", () => agent.snapshot().session?.endsAt === later);
      leave(endsAt, -1000); // past the old end
      await sleep(400);
      assert.ok(!lines().includes("logout"), "not ended at the old time");

      leave(later, 5 * MIN - 1000);
      await waitFor("the 5-minute warning again", () => lines().filter((l) => l === "warn 5").length === 2);
      leave(later, 1000);
      const at = await waitFor("logout at the new end", () => lines().includes("logout") && clock.now());
      assert.ok(at >= later && at <= later + 1000, `ended ${at - later} ms after the new ends_at`);
      await waitFor("lock", () => lines().at(-1) === "lock" && lines().length > 5);
      assert.deepEqual(lines(), [
        "lock",
        "unlock AK",
        "timer",
        "warn 5",
        "warn 5",
        "warn 1",
        "logout",
        "lock",
      ]);
      const report = await waitFor("the ended report", () => stub.ended[0]);
      assert.ok(Math.abs(Date.parse(report.at) - later) <= 1000);
    });
  });

  it("ends the session at once when the server says the PC is locked", async () => {
    await withAgent(async ({ stub, clock, agent, lines }) => {
      await waitFor("lock at start", () => lines().length === 1);
      stub.startSession(clock.now() + 30 * MIN);
      await waitFor("unlock", () => lines().includes("timer"));
      const asked = Date.now();
      stub.state = "locked";
      stub.session = null;
      await waitFor("logout", () => lines().includes("logout"), 3000);
      assert.ok(
        Date.now() - asked < 1500,
        `at once (took ${Date.now() - asked} ms; the session had 30 minutes left)`,
      );
      await waitFor("lock", () => lines().length === 5);
      assert.deepEqual(lines(), ["lock", "unlock AK", "timer", "logout", "lock"]);
      assert.equal(agent.snapshot().mode, "locked");
      await sleep(300);
      assert.equal(stub.ended.length, 0, "the server ended it; nothing to report");
    });
  });

  it("locks an out-of-order PC, and ends a session the user ends, reporting reason user", async () => {
    await withAgent(async ({ stub, clock, agent, lines }) => {
      await waitFor("lock at start", () => lines().length === 1);
      const id = stub.startSession(clock.now() + 30 * MIN);
      await waitFor("unlock", () => lines().includes("timer"));
      agent.endSession();
      const report = await waitFor("the ended report", () => stub.ended[0]);
      assert.deepEqual({ id: report.session_id, reason: report.reason }, { id, reason: "user" });
      await waitFor("logout and lock", () => lines().length === 5);
      assert.deepEqual(lines(), ["lock", "unlock AK", "timer", "logout", "lock"]);

      stub.state = "out_of_order";
      await waitFor("lock again", () => lines().length === 6);
      assert.equal(agent.snapshot().mode, "out_of_order");
    });
  });

  it("shows messages with their text taken literally, and tells the server they were seen", async () => {
    await withAgent(async ({ stub, lines, dir }) => {
      await waitFor("lock at start", () => lines().length === 1);
      const text = `Closing soon — جلد بند $(touch ${dir}/pwned) \`touch ${dir}/pwned2\` "; touch ${dir}/pwned3; echo "`;
      const id = crypto.randomUUID();
      stub.messages = [{ id, text }];
      await waitFor("seen", () => stub.seen.includes(id));
      assert.deepEqual(lines(), ["lock", `message ${text}`]);
      for (const f of ["pwned", "pwned2", "pwned3"])
        assert.ok(!fs.existsSync(path.join(dir, f)), `${f} not created`);
      await sleep(300);
      assert.equal(lines().length, 2, "shown once");
    });
  });

  it("shows the lock screen again when lock_check finds it gone", async () => {
    const flag = path.join(agentDir(), "lock-showing");
    await withAgent(
      async ({ lines }) => {
        await waitFor("lock at start", () => lines().length === 1);
        await sleep(400);
        assert.equal(lines().length, 1, "no relock while the lock shows");
        fs.rmSync(flag);
        await waitFor("lock again", () => lines().length === 2, 3000);
        assert.deepEqual(lines(), ["lock", "lock"]);
      },
      { lock_check_seconds: 0.1 },
      (append) => ({ lock: `${append("lock")}; touch '${flag}'`, lock_check: `test -e '${flag}'` }),
    );
  });
});

describe("kiosk agent: the pure state machine", () => {
  const policy = { warningsMinutes: [5, 1] };
  const answer = (over: Partial<KioskStateResponse>): KioskStateResponse => ({
    pc: PC,
    now: new Date().toISOString(),
    state: "locked",
    session: null,
    messages: [],
    ...over,
  });

  it("counts down on the server's clock, whatever the PC's clock says", () => {
    const local = Date.parse("2026-03-01T08:00:00Z");
    const server = local + 10 * MIN; // the PC's clock is 10 minutes slow
    const endsAt = server + 3 * MIN;
    const step = onServerState(
      initialStep().state,
      answer({
        now: new Date(server).toISOString(),
        state: "in_use",
        session: { id: "s1", ends_at: new Date(endsAt).toISOString(), label: "Guest" },
      }),
      local,
      policy,
    );
    assert.equal(step.state.offsetMs, 10 * MIN);
    assert.deepEqual(
      step.actions.filter((a) => a.kind === "run").map((a) => a.kind === "run" && a.command),
      ["unlock", "timer"],
    );
    assert.deepEqual(step.state.warned, [5], "a session that starts inside the 5-minute warning skips it");
    assert.deepEqual(onTick(step.state, local + 2 * MIN - 1, policy).actions.length, 0);
    const warn = onTick(step.state, local + 2 * MIN, policy);
    assert.deepEqual(warn.actions, [
      {
        kind: "run",
        command: "warn",
        vars: { label: "Guest", ends_at: new Date(endsAt).toISOString(), session_id: "s1", minutes: "1" },
      },
    ]);
    assert.equal(onTick(warn.state, local + 3 * MIN - 1, policy).actions.length, 0);
    const end = onTick(warn.state, local + 3 * MIN, policy);
    assert.deepEqual(
      end.actions.filter((a) => a.kind !== "log"),
      [
        {
          kind: "run",
          command: "logout",
          vars: { label: "Guest", ends_at: new Date(endsAt).toISOString(), session_id: "s1" },
        },
        { kind: "run", command: "lock", vars: {} },
        { kind: "report", report: { session_id: "s1", at: new Date(endsAt).toISOString(), reason: "time" } },
      ],
    );
    assert.equal(end.state.mode, "locked");
  });

  it("after a jump past both warnings gives only the nearer one", () => {
    const local = Date.parse("2026-03-01T08:00:00Z");
    const running = onServerState(
      initialStep().state,
      answer({
        now: new Date(local).toISOString(),
        state: "in_use",
        session: { id: "s2", ends_at: new Date(local + 20 * MIN).toISOString(), label: "AB" },
      }),
      local,
      policy,
    ).state;
    const step = onTick(running, local + 19.5 * MIN, policy);
    assert.deepEqual(
      step.actions.map((a) => a.kind === "run" && a.vars.minutes),
      ["1"],
    );
    assert.deepEqual(step.state.warned.sort(), [1, 5]);
  });

  it("does not unlock a session that is already over, nor one it ended itself", () => {
    const local = Date.parse("2026-03-01T08:00:00Z");
    const over = onServerState(
      initialStep().state,
      answer({
        now: new Date(local).toISOString(),
        state: "in_use",
        session: { id: "s3", ends_at: new Date(local - 1000).toISOString(), label: "AB" },
      }),
      local,
      policy,
    );
    assert.equal(over.state.mode, "locked");
    assert.equal(over.actions.length, 0);
    const ended = { ...initialStep().state, ended: ["s4"] };
    const again = onServerState(
      ended,
      answer({
        now: new Date(local).toISOString(),
        state: "in_use",
        session: { id: "s4", ends_at: new Date(local + MIN).toISOString(), label: "AB" },
      }),
      local,
      policy,
    );
    assert.equal(again.state.mode, "locked");
    assert.equal(again.actions.length, 0);
  });
});

describe("kiosk protocol and commands", () => {
  it("signs the exact body bytes with the PC token", () => {
    const body =
      '{"pc":"PC-07","now":"2026-03-01T08:00:00.000Z","state":"locked","session":null,"messages":[]}';
    const sig = crypto.createHmac("sha256", "tok").update(body).digest("hex");
    assert.equal(signBody("tok", body), sig);
    assert.ok(verifySignature("tok", Buffer.from(body), sig));
    assert.ok(verifySignature("tok", body, sig.toUpperCase()));
    assert.ok(!verifySignature("other", body, sig));
    assert.ok(!verifySignature("tok", body.replace("locked", "in_use"), sig));
    assert.ok(!verifySignature("tok", `${body} `, sig));
    assert.ok(!verifySignature("tok", body, null));
    assert.ok(!verifySignature("tok", body, "zz"));
    assert.deepEqual(parseStateResponse(JSON.parse(body)), JSON.parse(body));
    assert.equal(parseStateResponse({ ...JSON.parse(body), state: "closed" }), null);
    assert.equal(parseStateResponse({ ...JSON.parse(body), session: { id: "x", ends_at: "soon" } }), null);
  });

  it("passes placeholder values to commands as variables, never as shell code", async () => {
    assert.equal(
      commandText('notify-send "Rasai" "{text}" {url} {unknown}'),
      'notify-send "Rasai" "${RASAI_TEXT}" ${RASAI_URL} {unknown}',
    );
    const env = commandEnv(
      { text: "$(echo no)", minutes: "5" },
      { PATH: process.env.PATH, RASAI_KIOSK_TOKEN: "secret" },
    );
    assert.equal(env.RASAI_KIOSK_TOKEN, undefined, "the token is not passed to commands");
    const r = await runShell(
      commandText('echo "{minutes} {text}"; echo "[$RASAI_KIOSK_TOKEN]" >&2'),
      env,
      5000,
    );
    assert.equal(r.code, 0);
    assert.equal(r.output, "5 $(echo no)\n[]");
  });

  it("does not wait for what a command leaves running in the background, and kills one that hangs", async () => {
    const started = Date.now();
    const bg = await runShell("sleep 5 & echo started", { PATH: process.env.PATH }, 5000);
    assert.equal(bg.code, 0);
    assert.equal(bg.output, "started");
    assert.ok(Date.now() - started < 2000, "returned without waiting for the background sleep");
    const hung = await runShell("sleep 10", { PATH: process.env.PATH }, 300);
    assert.ok(hung.timedOut);
  });

  it("the Debian lock, lock_check and unlock commands work together (with a stand-in for chromium)", async () => {
    // The defaults match any process named rasai-kiosk-lock: only this test starts one (not safe to
    // run this file twice at the same time).
    const bin = agentDir();
    fs.writeFileSync(
      path.join(bin, "chromium"),
      `#!/bin/sh\nexec "${process.execPath}" -e "setInterval(() => {}, 1e6)" -- "$@"\n`,
    );
    fs.chmodSync(path.join(bin, "chromium"), 0o755);
    const env = commandEnv({ url: "http://centre:3000/kiosk/PC-07" }, { PATH: `${bin}:${process.env.PATH}` });
    const run = (name: "lock" | "unlock" | "lock_check") =>
      runShell(commandText(DEBIAN_COMMANDS[name]!), env, 10_000);
    const showing = async () => (await run("lock_check")).code === 0;
    try {
      assert.equal(await showing(), false);
      assert.equal((await run("lock")).code, 0, "the shell running lock is not killed by its own pkill");
      await sleep(300);
      assert.equal(await showing(), true);
      assert.equal((await run("lock")).code, 0, "lock again replaces the window");
      await sleep(300);
      const windows = await runShell('pgrep -af "[r]asai-kiosk-lock"', env, 5000);
      assert.equal(windows.output.split("\n").length, 1, windows.output);
      assert.match(windows.output, /--kiosk .*--class=rasai-kiosk-lock http:\/\/centre:3000\/kiosk\/PC-07$/);
      assert.equal((await run("unlock")).code, 0);
      await sleep(200);
      assert.equal(await showing(), false);
      assert.equal((await run("unlock")).code, 0, "unlock with nothing to close is fine");
    } finally {
      await run("unlock");
    }
  });

  it("refuses a configuration file with an unknown key or command", () => {
    assert.throws(() => checkConfigFile({ poll: 2 }, "kiosk.json"), /In kiosk\.json: unknown key "poll"/);
    assert.throws(
      () => checkConfigFile({ commands: { reboot: "x" } }, "kiosk.json"),
      /unknown command "reboot"/,
    );
    assert.throws(() => checkConfigFile({ warnings_minutes: [5, -1] }, "kiosk.json"), /warnings_minutes/);
  });
});

describe("rasai kiosk-agent (command line)", () => {
  function oneLine(r: { status: number | null; stderr: string }, needle: RegExp) {
    assert.equal(r.status, 64, r.stderr);
    const lines = r.stderr
      .trim()
      .split("\n")
      .filter((l) => !l.includes("ExperimentalWarning"));
    assert.equal(lines.length, 1, `one line, got: ${r.stderr.slice(0, 400)}`);
    assert.match(
      lines[0]!,
      /^rasai: Usage: rasai kiosk-agent --server <url> --pc <name> --token-file <path>/,
    );
    assert.match(lines[0]!, needle);
  }

  it("refuses to start without --server, --pc and a token, in one line", () => {
    oneLine(runCli(["kiosk-agent"], {}), /missing --server <url>, --pc <name>, a token/);
    oneLine(
      runCli(["kiosk-agent", "--server", "http://127.0.0.1:1", "--pc", "PC-01"], {}),
      /missing a token \(--token-file <path> or RASAI_KIOSK_TOKEN\)/,
    );
    oneLine(runCli(["kiosk-agent", "--pc", "PC-01"], { RASAI_KIOSK_TOKEN: "t" }), /missing --server <url>\)/);
    const bad = runCli(["kiosk-agent", "--server", "ftp://x", "--pc", "PC-01"], { RASAI_KIOSK_TOKEN: "t" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^rasai: --server must start with http:\/\/ or https:\/\//);
  });

  it("runs until SIGTERM, then exits leaving the screen locked", async () => {
    const dir = agentDir();
    const rec = path.join(dir, "commands.log");
    const config = path.join(dir, "kiosk.json");
    const append = (line: string) => `printf '%s\\n' "${line}" >> '${rec}'`;
    fs.writeFileSync(
      config,
      JSON.stringify({
        poll_interval_seconds: 0.2,
        lock_check_seconds: 0,
        commands: { lock: append("lock"), unlock: append("unlock"), logout: append("logout") },
      }),
    );
    const child = spawn(
      process.execPath,
      [BIN, "kiosk-agent", "--server", "http://127.0.0.1:9", "--pc", PC, "--config", config],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), RASAI_KIOSK_TOKEN: "t" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await waitFor("lock at start", () => fs.existsSync(rec), 30_000);
      await waitFor("a failed poll", () => err.includes("cannot reach the server"), 10_000);
      child.kill("SIGTERM");
      const code = await Promise.race([exited, sleep(5000).then(() => "hung")]);
      assert.equal(code, 0, err);
      assert.deepEqual(fs.readFileSync(rec, "utf8").split("\n").filter(Boolean), ["lock"]);
      assert.match(err, /SIGTERM, stopping \(the screen stays locked\)/);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("prints the configuration in effect", () => {
    const dir = agentDir();
    const file = path.join(dir, "kiosk.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ warnings_minutes: [10, 2], commands: { logout: "pkill -u guest" } }),
    );
    const r = runCli(["kiosk-agent", "--print-config", "--config", file], {});
    assert.equal(r.status, 0, r.stderr);
    const shown = JSON.parse(r.stdout) as AgentConfigFile;
    assert.deepEqual(shown.warnings_minutes, [10, 2]);
    assert.equal(shown.commands?.logout, "pkill -u guest");
    assert.equal(shown.commands?.unlock, 'pkill -f "[r]asai-kiosk-lock" || true');
    assert.equal(shown.poll_interval_seconds, 2);
  });
});
