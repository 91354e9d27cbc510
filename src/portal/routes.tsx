import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import fs from "node:fs";
import { Type } from "typebox";
import { isOpenAt, localParts } from "../centres/openingHours.ts";
import { findCentreByCode, listCentres, listHoursExceptions } from "../centres/queries.ts";
import { exceptionFromRow } from "../centres/presenters.ts";
import { WEEKDAYS, type OpeningHours } from "../centres/schemas.ts";
import type { CentreTable } from "../db/schema.ts";
import { formatDate, LOCALES, translator, type Locale } from "../i18n/index.ts";
import { NotFound } from "../server/errors.ts";
import { sendPage } from "../server/render.tsx";
import { Placeholder } from "../ui/Placeholder.tsx";
import { mediaPath } from "./media.ts";
import { articleHref, presentArticle, presentCentreCard, presentSummary } from "./presenters.ts";
import { findArticleByShortId, listPublishedArticles } from "./queries.ts";
import { ArticlePage } from "./views/ArticlePage.tsx";
import { HomePage, type HomeView } from "./views/HomePage.tsx";

async function hoursView(
  app: FastifyInstance,
  centre: CentreTable,
  locale: Locale,
): Promise<HomeView["hours"]> {
  const t = translator(locale);
  const hours = JSON.parse(centre.opening_hours) as OpeningHours;
  const exceptions = (await listHoursExceptions(app.deps.db, centre.id)).map(exceptionFromRow);
  const now = app.deps.clock.now();
  const today = localParts(now, centre.time_zone).date;
  const closedLabel = t("centre.closed");
  const rows = WEEKDAYS.map((day) => ({
    day: t(`weekday.${day}`),
    ranges: (hours[day] ?? []).map((s) => `${s.opens}–${s.closes}`),
    closedLabel,
    note: "",
  }));
  for (const e of exceptions.filter((x) => x.date >= today).slice(0, 5)) {
    rows.push({
      // A calendar date, not an instant: format it at UTC noon so no zone shifts the day.
      day: formatDate(locale, `${e.date}T12:00:00Z`, "UTC"),
      ranges: e.closed ? [] : [`${e.opens}–${e.closes}`],
      closedLabel,
      note: e.note,
    });
  }
  return { openNow: isOpenAt(now, centre.time_zone, hours, exceptions), rows };
}

export async function portalRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.deps;
  const PAGE = 20;

  for (const locale of LOCALES) {
    const t = translator(locale);

    app.get(`/${locale}`, { config: { access: "public" } }, async (request, reply) => {
      const centre = config.mode === "centre" ? await app.currentCentre() : undefined;
      const tz = centre?.time_zone ?? config.defaultTimeZone;
      const rows = await listPublishedArticles(db, {
        lang: locale,
        centreId: config.mode === "hq" ? null : (centre?.id ?? undefined),
        limit: PAGE,
        offset: 0,
      });
      const centres =
        config.mode === "hq" ? (await listCentres(db)).map((c) => presentCentreCard(c, locale)) : [];
      return sendPage(request, reply, {
        title: t("home.title"),
        publicPath: "",
        body: (
          <HomePage
            t={t}
            heading={centre ? (locale === "ur" ? centre.name_ur : centre.name_en) : t("app.name")}
            articles={rows.map((r) => presentSummary(r, locale, tz))}
            hours={centre ? await hoursView(app, centre, locale) : null}
            centres={centres.length ? { options: centres, action: `/${locale}/centres` } : null}
          />
        ),
      });
    });

    app.get(
      `/${locale}/centres`,
      {
        config: { access: "public" },
        schema: { querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 20 })) }) },
      },
      async (request, reply) => {
        if (request.query.code)
          return reply.redirect(`/${locale}/centres/${encodeURIComponent(request.query.code)}`, 303);
        return reply.redirect(`/${locale}`, 303);
      },
    );

    app.get(
      `/${locale}/centres/:code`,
      {
        config: { access: "public" },
        schema: { params: Type.Object({ code: Type.String({ maxLength: 20 }) }) },
      },
      async (request, reply) => {
        const centre = await findCentreByCode(db, request.params.code);
        if (!centre) throw new NotFound("centre");
        const rows = await listPublishedArticles(db, {
          lang: locale,
          centreId: centre.id,
          limit: PAGE,
          offset: 0,
        });
        return sendPage(request, reply, {
          title: locale === "ur" ? centre.name_ur : centre.name_en,
          publicPath: `/centres/${encodeURIComponent(centre.code)}`,
          body: (
            <HomePage
              t={t}
              heading={locale === "ur" ? centre.name_ur : centre.name_en}
              articles={rows.map((r) => presentSummary(r, locale, centre.time_zone))}
              hours={await hoursView(app, centre, locale)}
              centres={null}
            />
          ),
        });
      },
    );

    app.get(
      `/${locale}/articles/:ref`,
      {
        config: { access: "public" },
        schema: { params: Type.Object({ ref: Type.String({ minLength: 1, maxLength: 400 }) }) },
      },
      async (request, reply) => {
        const shortId = request.params.ref.split("-")[0]!.toLowerCase();
        const article = await findArticleByShortId(db, shortId);
        if (!article || article.status !== "published") throw new NotFound("article");
        const canonical = articleHref(article);
        if (request.url.split("?")[0] !== canonical) return reply.redirect(canonical, 301);
        const centre = await app.currentCentre();
        const view = presentArticle(article, locale, centre?.time_zone ?? config.defaultTimeZone);
        return sendPage(request, reply, {
          title: article.title,
          publicPath: canonical.slice(3),
          body: <ArticlePage article={view} t={t} />,
        });
      },
    );

    for (const [path, key] of [
      ["courses", "nav.courses"],
      ["search", "nav.search"],
    ] as const) {
      app.get(`/${locale}/${path}`, { config: { access: "public" } }, async (request, reply) =>
        sendPage(request, reply, {
          title: t(key),
          publicPath: `/${path}`,
          body: (
            <Placeholder title={t(key)} text={t(`placeholder.${path}`)} coming={t("placeholder.coming")} />
          ),
        }),
      );
    }
  }

  app.get(
    "/media/:name",
    {
      config: { access: "public" },
      schema: { params: Type.Object({ name: Type.String({ maxLength: 120 }) }) },
    },
    async (request, reply) => {
      const file = mediaPath(config.dataDir, request.params.name);
      if (!file) throw new NotFound();
      const ext = file.split(".").pop();
      const type =
        ext === "jpg" || ext === "jpeg"
          ? "image/jpeg"
          : ext === "png"
            ? "image/png"
            : ext === "webp"
              ? "image/webp"
              : ext === "avif"
                ? "image/avif"
                : "application/octet-stream";
      return reply
        .type(type)
        .header("cache-control", "public, max-age=86400")
        .send(fs.createReadStream(file));
    },
  );
}
