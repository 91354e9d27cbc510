// What the load phase's clients (accessClients.ts) share while it runs: its timings, the changes in
// flight, the measured window, the newest grid the desk screens saw, and what to close at the end.
// One object, so the kiosks, the desk screens and the driver see the same changes and flags.
import type http from "node:http";
import type { Fixture } from "./accessFixture.ts";

export const POLL_MS = 2000;
export const WARMUP_MS = 3000;
/** A change nobody has seen by then counts as missed. */
export const CHANGE_TIMEOUT_MS = 10_000;
/** Each kiosk gets its own loopback address from 127.0.0.2 on; desk screens and driver use 127.0.0.1. */
export const KIOSK_ADDRESS_BASE = 2;

export type GridState = "free" | "in_use" | "reserved" | "out_of_order";
export interface GridRow {
  state: GridState;
  sessionId: string | null;
}

export interface Change {
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

/** One load phase's shared state; loadPhase makes it, the clients read and update it, loadPhase cleans up. */
export class LoadRun {
  readonly agents: http.Agent[] = [];
  readonly streams: http.ClientRequest[] = [];
  readonly timers = new Set<NodeJS.Timeout>();
  stopping = false;
  measuring = false;
  windowStart = 0;
  windowEnd = Infinity;

  // Changes in flight, by PC: a PC is left alone until its change is seen everywhere or times out.
  readonly pending = new Map<string, Change>();
  readonly done: Change[] = [];

  /** The PCs with a kiosk agent in this run, and each one's index among them. */
  readonly kioskOfPc = new Map<string, number>();

  /** The newest grid a desk screen fetched (by when its request started); the driver picks PCs from it. */
  latestRows = new Map<string, GridRow>();
  latestRowsAt = -1;

  constructor(
    readonly base: string,
    readonly kioskPcs: Fixture["pcs"],
  ) {
    kioskPcs.forEach((pc, i) => this.kioskOfPc.set(pc.id, i));
  }

  settle(change: Change, force = false): void {
    if (change.status === undefined) return;
    const applied = change.status === 303;
    const seen = change.seenByScreen.every((t) => t !== null) && change.seenByKiosk !== null;
    if (!applied || seen || force) {
      this.pending.delete(change.pcId);
      if (applied) this.done.push(change);
    }
  }
}
