import crypto from "node:crypto";
import type { Clock } from "../db/clock.ts";
import type { Executor } from "../db/connect.ts";
import type { SessionTable } from "../db/schema.ts";
import {
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfSubject,
  findSessionById,
  insertSession,
  touchSession,
} from "./queries.ts";

/**
 * Server-side sessions for any kind of signed-in person. Staff use kind "staff"; members
 * (a later issue) use kind "member" with their own cookie. The cookie holds a random
 * token; the database holds only its SHA-256, so a copied database opens no session.
 */
export type SessionKind = "staff" | "member";

export const SESSION_COOKIES: Record<SessionKind, string> = {
  staff: "rasai_staff",
  member: "rasai_member",
};

export const SESSION_IDLE_MS: Record<SessionKind, number> = {
  staff: 8 * 60 * 60 * 1000,
  member: 30 * 60 * 1000,
};

// Renew the expiry at most this often, so a busy page does not write on every request.
const TOUCH_EVERY_MS = 5 * 60 * 1000;

function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export async function openSession(
  db: Executor,
  input: { kind: SessionKind; subjectId: string; ip: string; userAgent: string },
  clock: Clock,
): Promise<{ token: string; session: SessionTable }> {
  const token = crypto.randomBytes(32).toString("base64url");
  const now = clock.now();
  const session: SessionTable = {
    id: hashToken(token),
    kind: input.kind,
    subject_id: input.subjectId,
    csrf_secret: crypto.randomBytes(32).toString("base64url"),
    ip: input.ip,
    user_agent: input.userAgent.slice(0, 300),
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_IDLE_MS[input.kind]).toISOString(),
  };
  await insertSession(db, session);
  return { token, session };
}

export async function resumeSession(
  db: Executor,
  kind: SessionKind,
  token: string,
  clock: Clock,
): Promise<SessionTable | undefined> {
  if (!token || token.length > 100) return undefined;
  const session = await findSessionById(db, hashToken(token));
  if (!session || session.kind !== kind) return undefined;
  const now = clock.now();
  if (session.expires_at <= now.toISOString()) {
    await deleteSession(db, session.id);
    return undefined;
  }
  if (now.getTime() - new Date(session.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    const expires = new Date(now.getTime() + SESSION_IDLE_MS[kind]).toISOString();
    await touchSession(db, session.id, now.toISOString(), expires);
    session.last_seen_at = now.toISOString();
    session.expires_at = expires;
  }
  return session;
}

export async function closeSession(db: Executor, token: string): Promise<void> {
  await deleteSession(db, hashToken(token));
}

export async function closeOtherSessions(
  db: Executor,
  kind: SessionKind,
  subjectId: string,
  keepSessionId?: string,
): Promise<void> {
  await deleteSessionsOfSubject(db, kind, subjectId, keepSessionId);
}

export async function purgeExpiredSessions(db: Executor, clock: Clock): Promise<number> {
  return deleteExpiredSessions(db, clock.now().toISOString());
}

/** The CSRF token for forms of a signed-in person: an HMAC of the session's own secret. */
export function sessionCsrfToken(session: Pick<SessionTable, "csrf_secret" | "id">): string {
  return crypto.createHmac("sha256", session.csrf_secret).update(session.id).digest("base64url");
}

export function checkSessionCsrfToken(
  session: Pick<SessionTable, "csrf_secret" | "id">,
  token: unknown,
): boolean {
  if (typeof token !== "string") return false;
  const expected = Buffer.from(sessionCsrfToken(session));
  const given = Buffer.from(token);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
