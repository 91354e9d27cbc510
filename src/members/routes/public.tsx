import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { listCentres } from "../../centres/queries.ts";
import { LOCALES, translator, type Locale } from "../../i18n/index.ts";
import { closeSession, openSession, SESSION_COOKIES, sessionCsrfToken } from "../../identity/sessions.ts";
import { anonymousCsrfToken } from "../../server/csrf.ts";
import { errorBody } from "../../server/errorHandler.tsx";
import { DomainError, NotFound } from "../../server/errors.ts";
import { formErrors, safeNext } from "../../server/forms.ts";
import { sendPage } from "../../server/render.tsx";
import type { FieldErrors } from "../../ui/forms.tsx";
import { ensureCategories } from "../categories.ts";
import { authenticateMember } from "../pin.ts";
import { exportMemberData } from "../privacy.ts";
import { selfRegister } from "../register.ts";
import { AccountPage, JoinDonePage, MemberLoginPage } from "../views/AccountPages.tsx";
import { MemberForm } from "../views/MemberForm.tsx";
import { memberKeys } from "./context.ts";

const FormBody = Type.Record(Type.String(), Type.Unknown());
const LOGIN_LIMIT = { max: 10, timeWindow: "1 minute" };
const JOIN_LIMIT = { max: 5, timeWindow: "10 minutes" };

export async function publicMemberRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, secret, config } = app.deps;

  async function joinCentres(locale: Locale) {
    const current = config.mode === "centre" ? await app.currentCentre() : undefined;
    const all = current ? [current] : await listCentres(db);
    return all.map((c) => ({ id: c.id, code: c.code, name: locale === "ur" ? c.name_ur : c.name_en }));
  }

  for (const locale of LOCALES) {
    const t = translator(locale);

    // ---- self-registration ---------------------------------------------------------------
    const renderJoin = async (
      request: FastifyRequest,
      reply: FastifyReply,
      values: Record<string, string>,
      errors: FieldErrors,
      status = 200,
    ) => {
      const centres = await joinCentres(locale);
      const centre = centres.find((c) => c.code === values.centre) ?? centres[0];
      if (!centre) throw new NotFound("centre");
      const cats = (await ensureCategories(db, centre.id, clock)).filter((c) => c.active === 1);
      reply.header("cache-control", "no-store");
      return sendPage(request, reply, {
        title: t("join.title"),
        publicPath: "/join",
        status,
        body: (
          <section>
            <h1>{t("join.title")}</h1>
            <p>{t("join.intro")}</p>
            <MemberForm
              t={t}
              locale={locale}
              action={`/${locale}/join`}
              csrf={anonymousCsrfToken(secret, "join", clock.now())}
              submitLabel={t("join.submit")}
              values={{ category_id: cats[0]?.id ?? "", centre: centre.code, ...values }}
              errors={errors}
              categories={cats.map((c) => ({ id: c.id, name: locale === "ur" ? c.name_ur : c.name_en }))}
              mode="join"
              centres={centres}
              offerNotDuplicate={false}
            />
          </section>
        ),
      });
    };

    app.get(`/${locale}/join`, { config: { access: "public" } }, (request, reply) =>
      renderJoin(request, reply, {}, {}),
    );

    app.post(
      `/${locale}/join`,
      {
        config: { access: "public", csrfPurpose: "join", rateLimit: JOIN_LIMIT },
        schema: { body: FormBody },
      },
      async (request, reply) => {
        const body = request.body;
        const centres = await joinCentres(locale);
        const centre =
          centres.find((c) => c.code === body.centre) ?? (centres.length === 1 ? centres[0] : undefined);
        const values: Record<string, string> = {};
        for (const [k, v] of Object.entries(body))
          if (typeof v === "string" && !k.startsWith("pin")) values[k] = v;
        if (!centre)
          return renderJoin(
            request,
            reply,
            values,
            formErrors(locale, [{ path: "/centre", code: "invalid_choice" }]),
            400,
          );
        try {
          const m = await db
            .transaction()
            .execute((trx) =>
              selfRegister(trx, centre.id, body, { actor: request.actor(), clock, keys: memberKeys(app) }),
            );
          reply.header("cache-control", "no-store");
          return sendPage(request, reply, {
            title: t("join.done_title"),
            publicPath: "/join",
            body: <JoinDonePage t={t} number={m.member_no} />,
          });
        } catch (error) {
          if (!(error instanceof DomainError) || error.fields.length === 0) throw error;
          return renderJoin(request, reply, values, formErrors(locale, error.fields), error.status);
        }
      },
    );

    // ---- sign-in ---------------------------------------------------------------------------
    const renderLogin = (
      request: FastifyRequest,
      reply: FastifyReply,
      view: { next: string; login?: string; problem?: string | null; errors?: FieldErrors; status?: number },
    ) => {
      reply.header("cache-control", "no-store");
      return sendPage(request, reply, {
        title: t("account.login_title"),
        publicPath: "/account/login",
        status: view.status ?? 200,
        body: (
          <MemberLoginPage
            t={t}
            locale={locale}
            csrf={anonymousCsrfToken(secret, "member-login", clock.now())}
            next={view.next}
            login={view.login ?? ""}
            problem={view.problem ?? null}
            errors={view.errors ?? {}}
          />
        ),
      });
    };

    app.get(
      `/${locale}/account/login`,
      {
        config: { access: "public" },
        schema: { querystring: Type.Object({ next: Type.Optional(Type.String()) }) },
      },
      async (request, reply) => {
        const next = safeNext(request.query.next, `/${locale}/account`);
        if (request.member) return reply.redirect(next, 303);
        return renderLogin(request, reply, { next });
      },
    );

    app.post(
      `/${locale}/account/login`,
      {
        config: { access: "public", csrfPurpose: "member-login", rateLimit: LOGIN_LIMIT },
        schema: { body: FormBody },
      },
      async (request, reply) => {
        const body = request.body;
        const login = typeof body.login === "string" ? body.login : "";
        const pin = typeof body.pin === "string" ? body.pin : "";
        const next = safeNext(body.next, `/${locale}/account`);
        const missing = [
          ...(login.trim() ? [] : [{ path: "/login", code: "required" }]),
          ...(pin.trim() ? [] : [{ path: "/pin", code: "required" }]),
        ];
        if (missing.length) {
          return renderLogin(request, reply, {
            next,
            login,
            errors: formErrors(locale, missing),
            status: 400,
          });
        }
        const result = await db
          .transaction()
          .execute((trx) => authenticateMember(trx, { login, pin, ip: request.ip }, clock));
        if (!result.ok) {
          const problem = errorBody(locale, result.error.code, result.error.params).error.message;
          return renderLogin(request, reply, { next, login, problem, status: result.error.status });
        }
        const old = request.cookies[SESSION_COOKIES.member];
        if (old) await closeSession(db, old);
        const { token } = await openSession(
          db,
          {
            kind: "member",
            subjectId: result.member.id,
            ip: request.ip,
            userAgent: request.headers["user-agent"] ?? "",
          },
          clock,
        );
        reply.setCookie(SESSION_COOKIES.member, token, {
          path: "/",
          httpOnly: true,
          sameSite: "lax",
          secure: request.protocol === "https",
        });
        return reply.redirect(next, 303);
      },
    );

    // ---- self-service ------------------------------------------------------------------------
    app.get(`/${locale}/account`, { config: { access: "member" } }, async (request, reply) => {
      const m = request.member!.member;
      const data = await exportMemberData(db, m, { keys: memberKeys(app) });
      reply.header("cache-control", "no-store");
      return sendPage(request, reply, {
        title: t("account.title"),
        publicPath: "/account",
        body: (
          <AccountPage
            t={t}
            locale={locale}
            csrf={sessionCsrfToken(request.member!.session)}
            number={m.member_no}
            photoSrc={data.has_photo ? `/${locale}/account/photo` : null}
            facts={[
              { label: t("label.full_name_ur"), value: data.full_name_ur ?? "—" },
              { label: t("label.full_name_en"), value: data.full_name_en ?? "—" },
              { label: t(`id_kind.${m.id_kind}`), value: m.cnic_masked ?? "—", ltr: true },
              { label: t("label.phone"), value: data.phone ?? "—", ltr: true },
              { label: t("label.date_of_birth"), value: data.date_of_birth ?? "—", ltr: true },
              { label: t("label.district"), value: data.district ?? "—" },
              {
                label: t("label.category_id"),
                value: data.category ? data.category[locale === "ur" ? "name_ur" : "name_en"] : "—",
              },
            ]}
          />
        ),
      });
    });

    app.get(`/${locale}/account/data.json`, { config: { access: "member" } }, async (request, reply) => {
      const m = request.member!.member;
      const data = await exportMemberData(db, m, { keys: memberKeys(app) });
      reply.header("cache-control", "no-store");
      reply.header("content-disposition", `attachment; filename="rasai-${m.member_no}.json"`);
      return reply.type("application/json; charset=utf-8").send(JSON.stringify(data, null, 2));
    });

    app.post(`/${locale}/account/logout`, { config: { access: "member" } }, async (request, reply) => {
      const token = request.cookies[SESSION_COOKIES.member];
      if (token) await closeSession(db, token);
      reply.clearCookie(SESSION_COOKIES.member, { path: "/" });
      return reply.redirect(`/${locale}/account/login`, 303);
    });
  }
}
