import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import fs from "node:fs";
import { Type } from "typebox";
import { exceptionFromRow } from "../../centres/presenters.ts";
import { isOpenAt, localParts } from "../../centres/openingHours.ts";
import { findCentreByCode, listCentres, listHoursExceptions } from "../../centres/queries.ts";
import { WEEKDAYS, type OpeningHours } from "../../centres/schemas.ts";
import type { ArticleKind, CentreTable } from "../../db/schema.ts";
import { formatDate, LOCALES, translator, type Locale } from "../../i18n/index.ts";
import { NotFound } from "../../server/errors.ts";
import { sendPage } from "../../server/render.tsx";
import { cachedPublicPage } from "./publicCache.ts";
import { Placeholder } from "../../ui/Placeholder.tsx";
import { mediaPath } from "../media.ts";
import { presentCentreCard, presentSummary } from "../presenters.ts";
import {
  countPublishedArticles,
  findCategoryBySlug,
  listPublishedArticles,
  type PublishedFilter,
} from "../queries.ts";
import { HomePage, type HomeSection, type HomeView } from "../views/HomePage.tsx";
import { ListPage } from "../views/ListPage.tsx";

const PER_PAGE = 20;
const HOME_ITEMS = 8;
const PageQuery = Type.Object({ page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 }) });

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
  return {
    openNow: isOpenAt(now, centre.time_zone, hours, exceptions),
    rows,
    separator: locale === "ur" ? "، " : ", ",
  };
}

/** Which kinds each list page shows, and whose. */
const KIND_PAGES: Record<
  string,
  { kinds: ArticleKind[]; heading: "kinds.news" | "kinds.notice" | "kinds.guide" }
> = {
  news: { kinds: ["news"], heading: "kinds.news" },
  notices: { kinds: ["notice"], heading: "kinds.notice" },
  guides: { kinds: ["guide"], heading: "kinds.guide" },
};

export async function publicPageRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config, clock } = app.deps;

  /** The centre whose notices a page shows: this server's in centre mode, none at headquarters. */
  const homeCentre = async () => (config.mode === "centre" ? await app.currentCentre() : undefined);

  const section = async (
    id: string,
    heading: string,
    more: string,
    filter: Omit<PublishedFilter, "limit" | "offset" | "now">,
    locale: Locale,
    tz: string,
  ): Promise<HomeSection> => {
    const rows = await listPublishedArticles(db, {
      ...filter,
      now: clock.now().toISOString(),
      limit: HOME_ITEMS,
      offset: 0,
    });
    return { id, heading, more, articles: rows.map((r) => presentSummary(r, locale, tz)) };
  };

  for (const locale of LOCALES) {
    const t = translator(locale);

    app.get(`/${locale}`, { config: { access: "public" } }, async (request, reply) =>
      cachedPublicPage(request, reply, async () => {
        const centre = await homeCentre();
        const tz = centre?.time_zone ?? config.defaultTimeZone;
        const sections = [
          await section(
            "news",
            t("kinds.news"),
            `/${locale}/news`,
            { lang: locale, centreId: centre?.id ?? null, kinds: ["news"] },
            locale,
            tz,
          ),
          ...(centre
            ? [
                await section(
                  "notices",
                  t("kinds.notice"),
                  `/${locale}/notices`,
                  { lang: locale, onlyCentreId: centre.id, kinds: ["notice"] },
                  locale,
                  tz,
                ),
              ]
            : []),
          await section(
            "guides",
            t("kinds.guide"),
            `/${locale}/guides`,
            { lang: locale, centreId: centre?.id ?? null, kinds: ["guide"] },
            locale,
            tz,
          ),
        ];
        const centres =
          config.mode === "hq" ? (await listCentres(db)).map((c) => presentCentreCard(c, locale)) : [];
        return {
          title: t("home.title"),
          publicPath: "",
          feeds: [{ href: `/${locale}/feed.atom`, title: t("list.feed") }],
          body: (
            <HomePage
              t={t}
              heading={centre ? (locale === "ur" ? centre.name_ur : centre.name_en) : t("app.name")}
              sections={sections}
              hours={centre ? await hoursView(app, centre, locale) : null}
              centres={centres.length ? { options: centres, action: `/${locale}/centres` } : null}
            />
          ),
        };
      }),
    );

    for (const [slug, def] of Object.entries(KIND_PAGES)) {
      app.get(
        `/${locale}/${slug}`,
        { config: { access: "public" }, schema: { querystring: PageQuery } },
        async (request, reply) => {
          const centre = await homeCentre();
          const filter = {
            lang: locale,
            kinds: def.kinds,
            now: clock.now().toISOString(),
            ...(slug === "notices"
              ? centre
                ? { onlyCentreId: centre.id }
                : {}
              : { centreId: centre?.id ?? null }),
          };
          return listPage(
            request,
            reply,
            `/${slug}`,
            t(def.heading),
            filter,
            request.query.page,
            `/${locale}/feed.atom`,
            centre?.time_zone,
          );
        },
      );
    }

    app.get(
      `/${locale}/categories/:slug`,
      {
        config: { access: "public" },
        schema: { params: Type.Object({ slug: Type.String({ maxLength: 60 }) }), querystring: PageQuery },
      },
      async (request, reply) => {
        const category = await findCategoryBySlug(db, request.params.slug);
        if (!category) throw new NotFound();
        const centre = await homeCentre();
        const filter = {
          lang: locale,
          categoryId: category.id,
          now: clock.now().toISOString(),
          ...(centre ? { centreId: centre.id } : {}),
        };
        const heading = locale === "ur" ? category.name_ur : category.name_en;
        return listPage(
          request,
          reply,
          `/categories/${category.slug}`,
          heading,
          filter,
          request.query.page,
          `/${locale}/categories/${category.slug}/feed.atom`,
          centre?.time_zone,
        );
      },
    );

    app.get(
      `/${locale}/centres`,
      {
        config: { access: "public" },
        schema: { querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 20 })) }) },
      },
      async (request, reply) =>
        reply.redirect(
          request.query.code ? `/${locale}/centres/${encodeURIComponent(request.query.code)}` : `/${locale}`,
          303,
        ),
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
        const tz = centre.time_zone;
        const name = locale === "ur" ? centre.name_ur : centre.name_en;
        return sendPage(request, reply, {
          title: name,
          publicPath: `/centres/${encodeURIComponent(centre.code)}`,
          body: (
            <HomePage
              t={t}
              heading={name}
              sections={[
                await section(
                  "notices",
                  t("kinds.notice"),
                  "",
                  { lang: locale, onlyCentreId: centre.id, kinds: ["notice"] },
                  locale,
                  tz,
                ),
                await section(
                  "centre-news",
                  t("home.latest"),
                  "",
                  { lang: locale, onlyCentreId: centre.id, kinds: ["news", "guide"] },
                  locale,
                  tz,
                ),
              ].map((s) => ({ ...s, more: null }))}
              hours={await hoursView(app, centre, locale)}
              centres={null}
            />
          ),
        });
      },
    );

    for (const [path, key] of [["courses", "nav.courses"]] as const) {
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

    async function listPage(
      request: Parameters<typeof sendPage>[0],
      reply: Parameters<typeof sendPage>[1],
      path: string,
      heading: string,
      filter: Omit<PublishedFilter, "limit" | "offset">,
      page: number,
      feed: string,
      timeZone: string | undefined,
    ) {
      const total = await countPublishedArticles(db, filter);
      const pages = Math.max(1, Math.ceil(total / PER_PAGE));
      if (page > pages) throw new NotFound();
      const rows = await listPublishedArticles(db, {
        ...filter,
        limit: PER_PAGE,
        offset: (page - 1) * PER_PAGE,
      });
      const url = (p: number) => `/${locale}${path}${p > 1 ? `?page=${p}` : ""}`;
      return cachedPublicPage(request, reply, async () => ({
        title: heading,
        publicPath: path,
        feeds: [{ href: feed, title: t("list.feed") }],
        body: (
          <ListPage
            t={t}
            heading={heading}
            articles={rows.map((r) => presentSummary(r, locale, timeZone ?? config.defaultTimeZone))}
            page={page}
            pages={pages}
            newer={page > 1 ? url(page - 1) : null}
            older={page < pages ? url(page + 1) : null}
            feed={feed}
          />
        ),
      }));
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
      const ext = file.split(".").pop() ?? "";
      const types: Record<string, string> = {
        jpg: "image/jpeg",
        jpeg: "image/jpeg",
        png: "image/png",
        webp: "image/webp",
        avif: "image/avif",
      };
      // Media names carry the article's id and a fresh suffix per upload: safe to cache long.
      return reply
        .type(types[ext] ?? "application/octet-stream")
        .header("cache-control", "public, max-age=31536000, immutable")
        .send(fs.createReadStream(file));
    },
  );
}
