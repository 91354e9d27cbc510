import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { Type } from "typebox";
import { isLocale, negotiateLocale } from "../i18n/locale.ts";
import { safeNext } from "./forms.ts";
import { NotFound } from "./errors.ts";
import { LANG_COOKIE } from "./requestContext.ts";

/** Health, readiness, the language hop, the root redirect and hashed static assets. */
export async function coreRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const Status = Type.Object({ status: Type.String() });

  app.get(
    "/healthz",
    { config: { access: "public" }, schema: { hide: true, response: { 200: Status } } },
    async (_request, reply) => reply.header("cache-control", "no-store").send({ status: "ok" }),
  );

  app.get(
    "/readyz",
    { config: { access: "public" }, schema: { hide: true, response: { 200: Status, 503: Status } } },
    async (_request, reply) => {
      reply.header("cache-control", "no-store");
      if (app.lifecycle.shuttingDown) return reply.code(503).send({ status: "stopping" });
      try {
        await sql`select 1`.execute(app.deps.db);
        return { status: "ready" };
      } catch {
        return reply.code(503).send({ status: "database unavailable" });
      }
    },
  );

  app.get("/", { config: { access: "public" } }, async (request, reply) => {
    const remembered = request.cookies[LANG_COOKIE];
    const locale = isLocale(remembered) ? remembered : negotiateLocale(request.headers["accept-language"]);
    return reply.header("vary", "Accept-Language, Cookie").redirect(`/${locale}`, 302);
  });

  app.get(
    "/lang/:lang",
    {
      config: { access: "public" },
      schema: {
        params: Type.Object({ lang: Type.String() }),
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) }),
      },
    },
    async (request, reply) => {
      const { lang } = request.params;
      if (!isLocale(lang)) throw new NotFound();
      reply.setCookie(LANG_COOKIE, lang, {
        path: "/",
        maxAge: 365 * 24 * 3600,
        sameSite: "lax",
        httpOnly: true,
        secure: request.protocol === "https",
      });
      return reply.redirect(safeNext(request.query.next, `/${lang}`), 303);
    },
  );

  app.get(
    "/assets/:file",
    {
      config: { access: "public" },
      schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 100 }) }) },
    },
    async (request, reply) => {
      const asset = app.assets.byUrl.get(`/assets/${request.params.file}`);
      if (!asset) throw new NotFound();
      return reply
        .type(asset.type)
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("cross-origin-resource-policy", "same-origin")
        .send(asset.body);
    },
  );
}
