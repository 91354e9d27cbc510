import crypto from "node:crypto";

/**
 * CSRF tokens for forms anonymous readers submit (comments, search): signed, with an
 * expiry and a purpose, and no session behind them, so public pages stay cacheable and
 * create no session. The Origin check in the CSRF hook is the second lock.
 */
const ANON_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

function sign(secret: string, payload: string): string {
  return crypto.createHmac("sha256", secret).update(payload).digest("base64url");
}

export function anonymousCsrfToken(secret: string, purpose: string, now: Date): string {
  const issued = Math.floor(now.getTime() / 1000).toString(36);
  const nonce = crypto.randomBytes(9).toString("base64url");
  const payload = `${issued}.${nonce}`;
  return `${payload}.${sign(secret, `anon:${purpose}:${payload}`)}`;
}

/** Checks an anonymous token; returns its issue time (the portal uses it as the form's fill time). */
export function verifyAnonymousCsrfToken(
  secret: string,
  purpose: string,
  token: unknown,
  now: Date,
): { ok: true; issuedAt: Date } | { ok: false } {
  if (typeof token !== "string" || token.length > 200) return { ok: false };
  const [issued, nonce, mac] = token.split(".");
  if (!issued || !nonce || !mac) return { ok: false };
  const expected = Buffer.from(sign(secret, `anon:${purpose}:${issued}.${nonce}`));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { ok: false };
  const issuedAt = new Date(parseInt(issued, 36) * 1000);
  const age = now.getTime() - issuedAt.getTime();
  if (age > ANON_TOKEN_TTL_MS || age < -60_000) return { ok: false };
  return { ok: true, issuedAt };
}
