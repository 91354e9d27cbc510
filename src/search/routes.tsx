import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { listCentres } from "../centres/queries.ts";
import { formatDate, translator, type Locale, LOCALES } from "../i18n/index.ts";
import { DESK } from "../identity/policy.ts";
import { errorResponses } from "../server/apiSchemas.ts";
import { ValidationFailed } from "../server/errors.ts";
import { formErrors } from "../server/forms.ts";
import { sendPage } from "../server/render.tsx";
import { StringEnum } from "../server/validation.ts";
import { logSearch, queryLogReport } from "./queryLog.ts";
import { search, suggest } from "./search.ts";
import {
  CONTENT_LANGS,
  MAX_QUERY_CHARS,
  resolveSearchInput,
  SEARCH_KINDS,
  type RawSearch,
} from "./searchInput.ts";
import { snippetHtml } from "./snippet.ts";
import { QueryLogPage } from "./views/QueryLogPage.tsx";
import { SearchPage, type SearchView } from "./views/SearchPage.tsx";

const PER_PAGE = 10;
const SUGGESTIONS = 5;
const SUGGESTION_TITLE_CHARS = 70;
const LOG_DAYS = [7, 30, 90];

const PageQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 1000 })),
  kind: Type.Optional(Type.String({ maxLength: 20 })),
  lang: Type.Optional(Type.String({ maxLength: 5 })),
  centre: Type.Optional(Type.String({ maxLength: 40 })),
  from: Type.Optional(Type.String({ maxLength: 20 })),
  to: Type.Optional(Type.String({ maxLength: 20 })),
  page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
});

const SearchResult = Type.Object({
  id: Type.String({ format: "uuid" }),
  kind: Type.String(),
  lang: Type.String(),
  title: Type.String(),
  url: Type.String({ description: "Address of the document, in its own language" }),
  snippet: Type.String({ description: "HTML: the text escaped, matched words in <mark>" }),
  score: Type.Number(),
  published_at: Type.String({ format: "date-time" }),
});

/** The short address (/ur/articles/abc1234) answers with a redirect to the full one. */
function shortPath(path: string): string {
  return path.split("-")[0] ?? path;
}

function pageHref(base: string, raw: RawSearch, page: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(raw)) if (v) params.set(k, v);
  if (page > 1) params.set("page", String(page));
  return `${base}?${params.toString()}`;
}

export async function searchRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, config } = app.deps;

  async function timeZone(): Promise<string> {
    const centre = config.mode === "centre" ? await app.currentCentre() : undefined;
    return centre?.time_zone ?? config.defaultTimeZone;
  }
  async function loggingCentreId(): Promise<string | null> {
    const centre = config.mode === "centre" ? await app.currentCentre() : undefined;
    return centre?.id ?? null;
  }

  for (const locale of LOCALES) {
    const t = translator(locale);
    const action = `/${locale}/search`;
    app.get(
      action,
      { config: { access: "public" }, schema: { querystring: PageQuery, hide: true } },
      async (request, reply) => {
        const { page, ...raw } = request.query;
        const tz = await timeZone();
        const { input, problems } = await resolveSearchInput(
          db,
          raw,
          { limit: PER_PAGE, offset: (page - 1) * PER_PAGE },
          tz,
        );
        const centres = (await listCentres(db)).map((c) => ({
          code: c.code,
          name: locale === "ur" ? c.name_ur : c.name_en,
        }));
        const view: SearchView = {
          t,
          action,
          q: input.q,
          filters: {
            kind: raw.kind ?? "",
            lang: raw.lang ?? "",
            centre: raw.centre ?? "",
            from: raw.from ?? "",
            to: raw.to ?? "",
          },
          kinds: SEARCH_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) })),
          centres,
          errors: formErrors(locale, problems),
          outcome: null,
        };
        let status = 200;
        if (problems.length > 0) status = 400;
        else if (input.q !== "") {
          const found = await search(db, input, clock);
          if (page === 1) {
            await logSearch(
              db,
              { query: input.q, lang: locale, hits: found.total, centreId: await loggingCentreId() },
              clock,
            );
          }
          const pages = Math.max(1, Math.ceil(found.total / PER_PAGE));
          view.outcome = {
            results: found.results.map((r) => ({
              href: `/${locale}${r.path}`,
              title: r.title,
              lang: r.lang,
              kindLabel: SEARCH_KINDS.includes(r.kind as never)
                ? t(`kind.${r.kind as (typeof SEARCH_KINDS)[number]}`)
                : r.kind,
              date: formatDate(locale, r.publishedAt, tz),
              isoDate: r.publishedAt,
              expired: r.expired,
              snippet: r.snippet,
            })),
            total: found.total,
            more: found.more,
            searchable: found.searchable,
            corrected: found.correctedQuery
              ? { text: found.correctedQuery, href: pageHref(action, { ...raw, q: found.correctedQuery }, 1) }
              : null,
            leftOut: found.leftOut,
            page,
            pages,
            previous: page > 1 ? pageHref(action, raw, page - 1) : null,
            next: page < pages ? pageHref(action, raw, page + 1) : null,
          };
        }
        return sendPage(request, reply, {
          title: input.q ? `${input.q} · ${t("search.title")}` : t("search.title"),
          publicPath: "/search",
          status,
          meta: [{ name: "robots", content: "noindex" }],
          body: <SearchPage {...view} />,
        });
      },
    );
  }

  app.get(
    "/api/v1/search",
    {
      config: { access: "public" },
      schema: {
        tags: ["search"],
        summary: "Search published news, notices and guides in Urdu script, English or Roman Urdu",
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: MAX_QUERY_CHARS }),
          kind: Type.Optional(StringEnum(SEARCH_KINDS)),
          lang: Type.Optional(StringEnum(CONTENT_LANGS)),
          centre: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: "Centre code" })),
          from: Type.Optional(Type.String({ format: "date" })),
          to: Type.Optional(Type.String({ format: "date" })),
          limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
          offset: Type.Integer({ minimum: 0, maximum: 1000, default: 0 }),
        }),
        response: {
          200: Type.Object({
            results: Type.Array(SearchResult),
            total: Type.Integer({ description: "Results that can be paged through" }),
            more: Type.Boolean({ description: "More documents matched than are ranked; add a word" }),
            corrected_query: Type.Union([Type.String(), Type.Null()], {
              description: "Set when nothing matched as typed and these corrected words were searched",
            }),
            left_out: Type.Array(Type.String(), {
              description:
                "Words of the query the results were found without, when no document has them all; empty when every word was searched for",
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { limit, offset, ...raw } = request.query;
      const { input, problems } = await resolveSearchInput(db, raw, { limit, offset }, await timeZone());
      if (problems.length > 0) throw new ValidationFailed(problems);
      const found = await search(db, input, clock);
      if (offset === 0) {
        await logSearch(
          db,
          { query: input.q, lang: request.locale, hits: found.total, centreId: await loggingCentreId() },
          clock,
        );
      }
      return {
        results: found.results.map((r) => ({
          id: r.id,
          kind: r.kind,
          lang: r.lang,
          title: r.title,
          url: `/${r.lang}${r.path}`,
          snippet: snippetHtml(r.snippet),
          score: r.score,
          published_at: r.publishedAt,
        })),
        total: found.total,
        more: found.more,
        corrected_query: found.correctedQuery,
        left_out: found.leftOut,
      };
    },
  );

  app.get(
    "/api/v1/search/suggest",
    {
      config: { access: "public" },
      schema: {
        tags: ["search"],
        summary:
          "Titles for what has been typed so far (the last word may be unfinished); small, for as-you-type lists",
        querystring: Type.Object({
          q: Type.String({ maxLength: MAX_QUERY_CHARS }),
          locale: StringEnum(["ur", "en"] as const, {
            default: "ur",
            description: "Language of the page the links open in",
          }),
        }),
        response: {
          200: Type.Object({
            suggestions: Type.Array(Type.Object({ title: Type.String(), url: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const q = request.query.q.trim();
      const found = q ? await suggest(db, q, {}, SUGGESTIONS, clock) : [];
      reply.header("cache-control", "public, max-age=60");
      return {
        suggestions: found.map((s) => ({
          title:
            [...s.title].length > SUGGESTION_TITLE_CHARS
              ? `${[...s.title].slice(0, SUGGESTION_TITLE_CHARS - 1).join("")}…`
              : s.title,
          url: `/${request.query.locale}${shortPath(s.path)}`,
        })),
      };
    },
  );

  app.get(
    "/staff/searches",
    {
      config: { access: { staff: DESK } },
      schema: {
        querystring: Type.Object({ days: Type.Integer({ minimum: 1, maximum: 365, default: 30 }) }),
        hide: true,
      },
    },
    async (request: FastifyRequest<{ Querystring: { days: number } }>, reply) => {
      const user = request.staff!.user;
      const locale: Locale = request.locale;
      const t = translator(locale);
      const days = request.query.days;
      const tz = await timeZone();
      const report = await queryLogReport(
        db,
        { days, centreId: user.role === "hq_admin" ? null : user.centre_id },
        clock,
      );
      const present = (rows: typeof report.top) =>
        rows.map((r) => ({
          ...r,
          lastLabel: formatDate(locale, r.last, tz, "datetime"),
          href: `/${locale}/search?q=${encodeURIComponent(r.query)}`,
        }));
      return sendPage(request, reply, {
        title: t("search.log.title"),
        body: (
          <QueryLogPage
            t={t}
            days={days}
            dayOptions={LOG_DAYS.includes(days) ? LOG_DAYS : [...LOG_DAYS, days].sort((a, b) => a - b)}
            top={present(report.top)}
            zero={present(report.zero)}
          />
        ),
      });
    },
  );
}
