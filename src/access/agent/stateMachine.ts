// The kiosk agent's decisions, as pure functions of (state, input, local time): what to run, show
// and report when the server answers, when the clock moves on and when the user ends a session.
// Tests drive time through them without waiting; ./agent.ts wires them to timers, HTTP and shells.
//
// The server is the authority on time: every answer carries its clock, the agent keeps the
// offset, and the countdown runs on local time + offset, so a session still ends on time while
// the link is down.

import type { CommandName, Placeholder } from "./config.ts";
import type { LogLevel } from "./log.ts";
import type { EndedReport, EndReason, KioskStateResponse } from "./protocol.ts";

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

/** How many ended sessions and shown messages the agent remembers. */
export const KEEP_ENDED = 50;
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
