import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { recordAudit } from "../audit/recordAudit.ts";
import { translator } from "../i18n/index.ts";
import { isLocale } from "../i18n/locale.ts";
import { anonymousCsrfToken } from "../server/csrf.ts";
import { ValidationFailed } from "../server/errors.ts";
import { errorResponses } from "../server/apiSchemas.ts";
import { errorBody } from "../server/errorHandler.tsx";
import { formErrors, safeNext, tryForm } from "../server/forms.ts";
import { sendPage } from "../server/render.tsx";
import { authenticateStaff } from "./authenticateStaff.ts";
import { changePassword } from "./changePassword.ts";
import { PASSWORD_MIN_LENGTH } from "./passwords.ts";
import { ALL_STAFF } from "./policy.ts";
import { updateStaffUser } from "./queries.ts";
import { closeSession, openSession, SESSION_COOKIES, sessionCsrfToken } from "./sessions.ts";
import { LoginPage } from "./views/LoginPage.tsx";
import { PasswordPage } from "./views/PasswordPage.tsx";

const LOGIN_LIMIT = { max: 10, timeWindow: "1 minute" };

const StaffMe = Type.Object({
  id: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
  role: Type.String(),
  centre_id: Type.Union([Type.String(), Type.Null()]),
  locale: Type.String(),
  csrf_token: Type.Optional(Type.String({ description: "Send as _csrf with multipart uploads" })),
});

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIES.staff, token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: request.protocol === "https",
  });
}

async function startSession(request: FastifyRequest, reply: FastifyReply, userId: string) {
  const { db, clock } = request.server.deps;
  const old = request.cookies[SESSION_COOKIES.staff];
  if (old) await closeSession(db, old);
  const { token } = await openSession(
    db,
    { kind: "staff", subjectId: userId, ip: request.ip, userAgent: request.headers["user-agent"] ?? "" },
    clock,
  );
  setSessionCookie(request, reply, token);
}

export async function identityRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, secret } = app.deps;

  const renderLogin = (
    request: FastifyRequest,
    reply: FastifyReply,
    view: {
      next: string;
      username?: string;
      problem?: string | null;
      errors?: Record<string, string>;
      status?: number;
      flash?: "signed_out" | "expired";
    },
  ) => {
    const t = translator(request.locale);
    reply.header("cache-control", "no-store");
    return sendPage(request, reply, {
      title: t("login.title"),
      status: view.status ?? 200,
      flash: view.flash
        ? {
            kind: "info",
            text: t(view.flash === "signed_out" ? "login.signed_out" : "login.session_expired"),
          }
        : null,
      body: (
        <LoginPage
          t={t}
          csrf={anonymousCsrfToken(secret, "login", clock.now())}
          next={view.next}
          username={view.username ?? ""}
          errors={view.errors ?? {}}
          problem={view.problem ?? null}
        />
      ),
    });
  };

  app.get(
    "/staff/login",
    {
      config: { access: "public" },
      schema: {
        querystring: Type.Object({ next: Type.Optional(Type.String()), out: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      if (request.staff) return reply.redirect(safeNext(request.query.next, "/staff"), 303);
      return renderLogin(request, reply, {
        next: safeNext(request.query.next, "/staff"),
        ...(request.query.out
          ? { flash: "signed_out" as const }
          : request.query.next
            ? { flash: "expired" as const }
            : {}),
      });
    },
  );

  app.post(
    "/staff/login",
    {
      config: { access: "public", csrfPurpose: "login", rateLimit: LOGIN_LIMIT },
      schema: { body: Type.Record(Type.String(), Type.Unknown()) },
    },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const username = typeof body.username === "string" ? body.username : "";
      const password = typeof body.password === "string" ? body.password : "";
      const next = safeNext(body.next, "/staff");
      const missing = [
        ...(username.trim() ? [] : [{ path: "/username", code: "required" }]),
        ...(password ? [] : [{ path: "/password", code: "required" }]),
      ];
      if (missing.length) {
        return renderLogin(request, reply, {
          next,
          username,
          errors: formErrors(request.locale, missing),
          status: 400,
        });
      }
      // Failures are returned, not thrown, so the failure count and any lock are committed.
      const result = await db
        .transaction()
        .execute((trx) => authenticateStaff(trx, { username, password, ip: request.ip }, clock));
      if (!result.ok) {
        const problem = errorBody(request.locale, result.error.code, result.error.params).error.message;
        return renderLogin(request, reply, { next, username, problem, status: result.error.status });
      }
      await startSession(request, reply, result.user.id);
      return reply.redirect(next, 303);
    },
  );

  app.post("/staff/logout", { config: { access: { staff: ALL_STAFF } } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIES.staff];
    if (token) await closeSession(db, token);
    reply.clearCookie(SESSION_COOKIES.staff, { path: "/" });
    await recordAudit(
      db,
      request.actor(),
      {
        action: "staff.logout",
        entity: "staff_user",
        entityId: request.staff!.user.id,
        centreId: request.staff!.user.centre_id,
      },
      clock,
    );
    return reply.redirect("/staff/login?out=1", 303);
  });

  app.get("/staff/password", { config: { access: { staff: ALL_STAFF } } }, async (request, reply) => {
    const t = translator(request.locale);
    return sendPage(request, reply, {
      title: t("password.title"),
      body: <PasswordPage t={t} csrf={csrfOf(request)} errors={{}} minLength={PASSWORD_MIN_LENGTH} />,
    });
  });

  app.post(
    "/staff/password",
    {
      config: { access: { staff: ALL_STAFF } },
      schema: { body: Type.Record(Type.String(), Type.Unknown()) },
    },
    async (request, reply) => {
      const t = translator(request.locale);
      const body = request.body as Record<string, string | undefined>;
      const result = await tryForm(request.locale, async () => {
        const problems = (["current_password", "new_password", "confirm_password"] as const)
          .filter((k) => !body[k])
          .map((k) => ({ path: `/${k}`, code: "required" }));
        if (!problems.length && body.new_password !== body.confirm_password) {
          problems.push({ path: "/confirm_password", code: "mismatch" });
        }
        if (problems.length) throw new ValidationFailed(problems);
        await db.transaction().execute((trx) =>
          changePassword(
            trx,
            {
              userId: request.staff!.user.id,
              currentPassword: body.current_password!,
              newPassword: body.new_password!,
              keepSessionId: request.staff!.session.id,
            },
            { actor: request.actor(), clock },
          ),
        );
      });
      if (!result.ok) {
        return sendPage(request, reply, {
          title: t("password.title"),
          status: 400,
          body: (
            <PasswordPage
              t={t}
              csrf={csrfOf(request)}
              errors={result.errors}
              minLength={PASSWORD_MIN_LENGTH}
            />
          ),
        });
      }
      return sendPage(request, reply, {
        title: t("password.title"),
        flash: { kind: "ok", text: t("password.changed") },
        body: <PasswordPage t={t} csrf={csrfOf(request)} errors={{}} minLength={PASSWORD_MIN_LENGTH} />,
      });
    },
  );

  app.post(
    "/staff/locale",
    {
      config: { access: { staff: ALL_STAFF } },
      schema: { body: Type.Record(Type.String(), Type.Unknown()) },
    },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      if (!isLocale(body.locale)) throw new ValidationFailed([{ path: "/locale", code: "invalid_choice" }]);
      const user = request.staff!.user;
      await db.transaction().execute(async (trx) => {
        await updateStaffUser(trx, user.id, {
          locale: body.locale as string,
          updated_at: clock.now().toISOString(),
        });
        await recordAudit(
          trx,
          request.actor(),
          {
            action: "staff.locale_changed",
            entity: "staff_user",
            entityId: user.id,
            centreId: user.centre_id,
            details: { locale: body.locale },
          },
          clock,
        );
      });
      return reply.redirect(safeNext(body.next, "/staff"), 303);
    },
  );

  // JSON API: the same session mechanism, for scripts and the later front-desk screens.
  app.post(
    "/api/v1/auth/login",
    {
      config: { access: "public", rateLimit: LOGIN_LIMIT },
      schema: {
        tags: ["auth"],
        summary: "Sign in as staff; sets the session cookie",
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 100 }),
          password: Type.String({ minLength: 1, maxLength: 200 }),
        }),
        response: { 200: StaffMe, ...errorResponses, 423: errorResponses[401] },
      },
    },
    async (request, reply) => {
      const result = await db
        .transaction()
        .execute((trx) => authenticateStaff(trx, { ...request.body, ip: request.ip }, clock));
      if (!result.ok) throw result.error;
      const user = result.user;
      await startSession(request, reply, user.id);
      return {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        centre_id: user.centre_id,
        locale: user.locale,
      };
    },
  );

  app.post(
    "/api/v1/auth/logout",
    {
      config: { access: { staff: ALL_STAFF } },
      schema: { tags: ["auth"], summary: "Sign out", response: { 204: Type.Null(), ...errorResponses } },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIES.staff];
      if (token) await closeSession(db, token);
      reply.clearCookie(SESSION_COOKIES.staff, { path: "/" });
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/auth/me",
    {
      config: { access: { staff: ALL_STAFF } },
      schema: {
        tags: ["auth"],
        summary: "The signed-in staff member",
        response: { 200: StaffMe, ...errorResponses },
      },
    },
    async (request) => {
      const u = request.staff!.user;
      return {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        role: u.role,
        centre_id: u.centre_id,
        locale: u.locale,
        csrf_token: sessionCsrfToken(request.staff!.session),
      };
    },
  );
}

export function csrfOf(request: FastifyRequest): string {
  return request.staff ? sessionCsrfToken(request.staff.session) : "";
}
