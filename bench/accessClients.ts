// The load phase's three kinds of client, each with what it counts: kiosk agents polling their PC's
// state, desk screens holding the grid's event stream and refetching the grid, and the driver that
// starts and ends sessions by the desk's form posts. They meet in the shared LoadRun
// (accessLoadState.ts): the driver puts each change there, and the screens and kiosks mark when
// they first see it.
import crypto from "node:crypto";
import http from "node:http";
import { DESK_SCREENS, type Fixture } from "./accessFixture.ts";
import { decoded, httpRequest, problemOf } from "./accessHttp.ts";
import {
  KIOSK_ADDRESS_BASE,
  POLL_MS,
  type Change,
  type GridRow,
  type GridState,
  type LoadRun,
} from "./accessLoadState.ts";
import { Tally } from "./accessMeasures.ts";

// ---- kiosks

/** Kiosk agents, one loop per PC; they count polls begun in the measured window. */
export class Kiosks {
  readonly pollMs: number[] = [];
  readonly status = new Tally();
  readonly errors = new Tally();
  badSignatures = 0;
  polls = 0;

  constructor(
    private readonly run: LoadRun,
    private readonly sameAddress: boolean,
  ) {}

  async poll(i: number): Promise<void> {
    const run = this.run;
    const pc = run.kioskPcs[i]!;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    run.agents.push(agent);
    const localAddress = this.sameAddress ? "127.0.0.1" : `127.0.0.${KIOSK_ADDRESS_BASE + i}`;
    while (!run.stopping) {
      const started = performance.now();
      const inWindow = run.measuring && started >= run.windowStart && started < run.windowEnd;
      try {
        const answer = await httpRequest(`${run.base}/api/v1/kiosk/${pc.name}/state`, {
          headers: { authorization: `Bearer ${pc.token}` },
          agent,
          localAddress,
        });
        const received = performance.now();
        if (inWindow) {
          this.polls++;
          this.status.add(String(answer.status));
        }
        if (answer.status === 200) {
          if (inWindow) this.pollMs.push(received - started);
          const signature = crypto.createHmac("sha256", pc.token).update(answer.body).digest("hex");
          if (signature !== answer.headers["x-rasai-signature"]) this.badSignatures++;
          const state = (JSON.parse(answer.body.toString("utf8")) as { state: string }).state;
          const change = run.pending.get(pc.id);
          if (change && change.seenByKiosk === null && state === change.kiosk && received > change.t0) {
            change.seenByKiosk = received - change.t0;
            run.settle(change);
          }
        } else if (inWindow) {
          this.errors.add(
            `HTTP ${answer.status}`,
            `GET /api/v1/kiosk/${pc.name}/state → ${await problemOf(answer)}`,
          );
        }
      } catch (error) {
        if (run.stopping) return;
        if (inWindow) {
          this.polls++;
          this.errors.add((error as Error).message, `GET /api/v1/kiosk/${pc.name}/state`);
        }
      }
      const wait = started + POLL_MS - performance.now();
      if (wait > 0)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            run.timers.delete(timer);
            resolve();
          }, wait);
          run.timers.add(timer);
        });
    }
  }
}

// ---- desk screens

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

/** The desk screens, one staff session each; grid fetches are counted while measuring. */
export class DeskScreens {
  readonly gridFetchMs: number[] = [];
  readonly gridErrors = new Tally();
  gridFetches = 0;
  gridBytesOnWire = 0;
  gridBytesHtml = 0;
  streamEvents = 0;
  readonly screensReady: boolean[] = new Array(DESK_SCREENS).fill(false);

  constructor(
    private readonly run: LoadRun,
    private readonly fixture: Fixture,
  ) {}

  open(s: number): void {
    const run = this.run;
    const base = run.base;
    const session = this.fixture.sessions[s]!;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    run.agents.push(agent);
    let busy = false;
    let again = false;
    const reload = () => {
      if (run.stopping) return;
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
            this.gridErrors.add(`HTTP ${answer.status}`, `GET /staff/pcs/grid → ${await problemOf(answer)}`);
            return;
          }
          const html = await decoded(answer);
          const rows = parseGrid(html);
          this.screensReady[s] = true;
          if (run.measuring) {
            this.gridFetches++;
            this.gridFetchMs.push(received - started);
            this.gridBytesOnWire += answer.body.length;
            this.gridBytesHtml += Buffer.byteLength(html);
          }
          if (started > run.latestRowsAt) {
            run.latestRows = rows;
            run.latestRowsAt = started;
          }
          for (const change of [...run.pending.values()]) {
            if (change.seenByScreen[s] !== null || received <= change.t0) continue;
            if (rows.get(change.pcId)?.state === change.grid) {
              change.seenByScreen[s] = received - change.t0;
              run.settle(change);
            }
          }
        })
        .catch((error: Error) => {
          if (!run.stopping) this.gridErrors.add(error.message, "GET /staff/pcs/grid");
        })
        .finally(() => {
          busy = false;
          if (again && !run.stopping) {
            again = false;
            // As pcs.js: a notice that came during a fetch is followed up 200 ms after it.
            const timer = setTimeout(() => {
              run.timers.delete(timer);
              reload();
            }, 200);
            run.timers.add(timer);
          }
        });
    };

    const request = http.get(`${base}/staff/pcs/events`, {
      headers: { cookie: session.cookie, accept: "text/event-stream" },
      agent: false,
    });
    run.streams.push(request);
    request.on("response", (response) => {
      if (response.statusCode !== 200) {
        this.gridErrors.add(`events HTTP ${response.statusCode}`, "GET /staff/pcs/events");
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
            if (run.measuring) this.streamEvents++;
            reload();
          }
        }
      });
      response.on("error", () => {});
    });
    request.on("error", (error) => {
      if (!run.stopping) this.gridErrors.add(`events: ${error.message}`, "GET /staff/pcs/events");
    });
  }
}

// ---- the driver: desk form posts that start and end sessions

const pickRandom = <T>(items: T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

/** The desk that makes the changes, on the fixture's last staff session; it tracks who is on which PC. */
export class Driver {
  private readonly session: Fixture["sessions"][number];
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  readonly memberOnPc: Map<string, number>;
  private readonly freeMembers: Set<number>;
  readonly deskPostMs: number[] = [];
  readonly changeErrors = new Tally();
  changesAttempted = 0;
  starts = 0;
  ends = 0;

  constructor(
    private readonly run: LoadRun,
    private readonly fixture: Fixture,
  ) {
    this.session = fixture.sessions[DESK_SCREENS]!;
    run.agents.push(this.agent);
    this.memberOnPc = new Map(fixture.running);
    this.freeMembers = new Set(
      fixture.members.map((_m, i) => i).filter((i) => ![...fixture.running.values()].includes(i)),
    );
  }

  async driveOne(): Promise<void> {
    const { run, fixture, memberOnPc, freeMembers } = this;
    const base = run.base;
    const driver = this.session;
    const freePcs: string[] = [];
    const runningPcs: { pcId: string; sessionId: string }[] = [];
    for (const pc of fixture.pcs) {
      if (run.pending.has(pc.id)) continue;
      const row = run.latestRows.get(pc.id);
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
    if (!run.kioskOfPc.has(change.pcId)) change.seenByKiosk = -1;
    run.pending.set(change.pcId, change);
    this.changesAttempted++;
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
        agent: this.agent,
      });
      change.postMs = performance.now() - change.t0;
      change.status = answer.status;
      if (answer.status === 303) {
        this.deskPostMs.push(change.postMs);
        if (change.kind === "start") {
          this.starts++;
          memberOnPc.set(change.pcId, change.memberIndex!);
        } else {
          this.ends++;
          memberOnPc.delete(change.pcId);
          if (change.memberIndex !== null) freeMembers.add(change.memberIndex);
        }
      } else {
        this.changeErrors.add(
          `${change.kind} HTTP ${answer.status}`,
          `POST ${new URL(url).pathname} → ${await problemOf(answer)}`,
        );
        if (change.kind === "start" && change.memberIndex !== null) freeMembers.add(change.memberIndex);
      }
    } catch (error) {
      change.status = 0;
      this.changeErrors.add(`${change.kind}: ${(error as Error).message}`, `POST ${new URL(url).pathname}`);
      if (change.kind === "start" && change.memberIndex !== null) freeMembers.add(change.memberIndex);
    }
    run.settle(change);
  }
}
