// The kiosk protocol between a public PC's agent (`rasai kiosk-agent`) and the centre server.
//
// Every request carries `authorization: Bearer <pc token>`.
//   GET  /api/v1/kiosk/<pc>/state               → 200 KioskStateResponse, signed (x-rasai-signature)
//   POST /api/v1/kiosk/<pc>/ended               ← EndedReport (a session the agent ended)
//   POST /api/v1/kiosk/<pc>/messages/<id>/seen  ← (no body) after the agent showed a message
// The state response is signed with HMAC-SHA256 (key: the PC token, message: the exact response
// body bytes), hex, in the `x-rasai-signature` header. The agent ignores a response whose signature
// does not verify, as if the server had not answered.

import crypto from "node:crypto";

export const SIGNATURE_HEADER = "x-rasai-signature";

export const KIOSK_STATES = ["locked", "in_use", "out_of_order"] as const;
export type KioskState = (typeof KIOSK_STATES)[number];

export interface KioskSession {
  id: string;
  /** ISO time the session ends, on the server's clock. */
  ends_at: string;
  /** The user's initials, or "Guest". */
  label: string;
}

export interface KioskMessage {
  id: string;
  text: string;
}

export interface KioskStateResponse {
  pc: string;
  /** The server's clock when it answered (ISO). */
  now: string;
  state: KioskState;
  session: KioskSession | null;
  messages: KioskMessage[];
}

export type EndReason = "time" | "user";

export interface EndedReport {
  session_id: string;
  /** ISO time the agent ended the session, on the server's clock (local clock + offset). */
  at: string;
  reason: EndReason;
}

export function statePath(pc: string): string {
  return `/api/v1/kiosk/${encodeURIComponent(pc)}/state`;
}

export function endedPath(pc: string): string {
  return `/api/v1/kiosk/${encodeURIComponent(pc)}/ended`;
}

export function seenPath(pc: string, messageId: string): string {
  return `/api/v1/kiosk/${encodeURIComponent(pc)}/messages/${encodeURIComponent(messageId)}/seen`;
}

/** The lock screen page the agent shows full-screen; the timer page is `<this>/timer`. */
export function kioskPageUrl(server: string, pc: string): string {
  return `${server}/kiosk/${encodeURIComponent(pc)}`;
}

export function authorizationHeader(token: string): string {
  return `Bearer ${token}`;
}

/** Hex HMAC-SHA256 of the exact body bytes, keyed with the PC token. */
export function signBody(token: string, body: Uint8Array | string): string {
  return crypto.createHmac("sha256", token).update(body).digest("hex");
}

/** True when `signature` is the body's signature under `token` (constant-time comparison). */
export function verifySignature(
  token: string,
  body: Uint8Array | string,
  signature: string | null | undefined,
): boolean {
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature.trim())) return false;
  const expected = Buffer.from(signBody(token, body), "hex");
  const given = Buffer.from(signature.trim(), "hex");
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isIsoTime(v: unknown): v is string {
  return typeof v === "string" && v.length > 0 && Number.isFinite(Date.parse(v));
}

/** Checks the shape of a state response; null when anything is missing or of the wrong type. */
export function parseStateResponse(value: unknown): KioskStateResponse | null {
  if (!isRecord(value)) return null;
  const { pc, now, state, session, messages } = value;
  if (typeof pc !== "string" || !isIsoTime(now)) return null;
  if (typeof state !== "string" || !(KIOSK_STATES as readonly string[]).includes(state)) return null;
  let parsedSession: KioskSession | null = null;
  if (session !== null && session !== undefined) {
    if (!isRecord(session)) return null;
    const { id, ends_at, label } = session;
    if (typeof id !== "string" || id === "" || !isIsoTime(ends_at)) return null;
    parsedSession = { id, ends_at, label: typeof label === "string" ? label : "Guest" };
  }
  const parsedMessages: KioskMessage[] = [];
  if (messages !== undefined) {
    if (!Array.isArray(messages)) return null;
    for (const m of messages) {
      if (!isRecord(m) || typeof m.id !== "string" || m.id === "" || typeof m.text !== "string") return null;
      parsedMessages.push({ id: m.id, text: m.text });
    }
  }
  return { pc, now, state: state as KioskState, session: parsedSession, messages: parsedMessages };
}
