import { findMemberById } from "../members/queries.ts";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Actor } from "../audit/actor.ts";
import { isLocale, negotiateLocale, type Locale } from "../i18n/locale.ts";
import { findStaffById } from "../identity/queries.ts";
import { checkSessionCsrfToken, resumeSession, SESSION_COOKIES } from "../identity/sessions.ts";
import { verifyAnonymousCsrfToken } from "./csrf.ts";
import { DomainError, Forbidden, Unauthenticated } from "./errors.ts";

export const LANG_COOKIE = "rasai_lang";

/** The language a public URL carries in its first segment, if any. */
export function urlLocale(url: string): Locale | undefined {
  const first = url.split("?")[0]!.split("/")[1];
  return isLocale(first) ? first : undefined;
}

function requestedLocale(request: FastifyRequest): Locale {
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query && typeof query === "object" ? query.lang : undefined;
  if (isLocale(fromQuery)) return fromQuery;
  const cookie = request.cookies[LANG_COOKIE];
  if (isLocale(cookie)) return cookie;
  return negotiateLocale(request.headers["accept-language"]);
}

class CsrfFailed extends DomainError {
  constructor() {
    super("csrf_failed", 403);
  }
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers["sec-fetch-site"];
  if (site === "cross-site") return false;
  const origin = request.headers.origin;
  if (!origin || origin === "null") return origin !== "null";
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}

/**
 * Per-request context: the language, the signed-in staff member, route access and CSRF.
 * Access is declared on every route (`config.access`) and enforced here, before any
 * body is parsed, so a refused request does no work.
 */
export function registerRequestContext(app: FastifyInstance): void {
  const { db, clock, secret } = app.deps;

  app.decorateRequest("locale", "ur" as Locale);
  app.decorateRequest("staff", null);
  app.decorateRequest("member", null);
  app.decorateRequest("csrfIssuedAt", null);
  app.decorateRequest("actor", function (this: FastifyRequest): Actor {
    if (this.staff) {
      const u = this.staff.user;
      return { kind: "staff", id: u.id, name: u.username, role: u.role, centreId: u.centre_id, ip: this.ip };
    }
    if (this.member) {
      const m = this.member.member;
      return { kind: "member", id: m.id, name: m.member_no, centreId: m.centre_id, ip: this.ip };
    }
    return { kind: "anonymous", ip: this.ip };
  });

  app.addHook("onRequest", async (request) => {
    const token = request.cookies[SESSION_COOKIES.staff];
    if (token) {
      const session = await resumeSession(db, "staff", token, clock);
      const user = session ? await findStaffById(db, session.subject_id) : undefined;
      if (session && user) request.staff = { user, session };
    }
    const memberToken = request.cookies[SESSION_COOKIES.member];
    if (memberToken) {
      const session = await resumeSession(db, "member", memberToken, clock);
      const member = session ? await findMemberById(db, session.subject_id) : undefined;
      if (session && member && member.status === "active") request.member = { member, session };
    }
    const fromUrl = urlLocale(request.url);
    if (fromUrl) request.locale = fromUrl;
    else if (request.staff && isLocale(request.staff.user.locale) && !request.url.startsWith("/api/"))
      request.locale = request.staff.user.locale;
    else request.locale = requestedLocale(request);

    const access = request.routeOptions.config?.access;
    if (access === "member") {
      if (!request.member) throw new Unauthenticated();
    } else if (access && access !== "public") {
      if (!request.staff) throw new Unauthenticated();
      if (!access.staff.includes(request.staff.user.role)) throw new Forbidden();
    }
  });

  app.addHook("preValidation", async (request) => {
    if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return;
    if (!sameOrigin(request)) throw new CsrfFailed();
    const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (!FORM_TYPES.includes(type)) return;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = body._csrf;
    delete body._csrf;
    const purpose = request.routeOptions.config?.csrfPurpose;
    if (purpose) {
      const verdict = verifyAnonymousCsrfToken(secret, purpose, token, clock.now());
      if (!verdict.ok) throw new CsrfFailed();
      request.csrfIssuedAt = verdict.issuedAt;
      return;
    }
    // A member's forms carry their own session's token; staff forms the staff session's.
    const session =
      request.routeOptions.config?.access === "member" ? request.member?.session : request.staff?.session;
    if (!session || !checkSessionCsrfToken(session, token)) throw new CsrfFailed();
  });
}
