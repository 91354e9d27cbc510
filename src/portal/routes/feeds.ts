import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { ArticleTable } from "../../db/schema.ts";
import { LOCALES, t, type Locale } from "../../i18n/index.ts";
import { NotFound } from "../../server/errors.ts";
import { baseUrl } from "../../server/render.tsx";
import { articleHref, canonicalHref } from "../presenters.ts";
import { findCategoryBySlug, listPublishedArticles, listSitemapArticles } from "../queries.ts";

export function xmlEscape(text: string): string {
  return (
    text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
      // Characters XML 1.0 forbids never reach the feed.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
  );
}

function atom(
  request: FastifyRequest,
  locale: Locale,
  title: string,
  selfPath: string,
  rows: ArticleTable[],
): string {
  const base = baseUrl(request);
  const updated = rows.reduce((max, r) => {
    const u = r.content_updated_at ?? r.published_at ?? r.updated_at;
    return u > max ? u : max;
  }, "1970-01-01T00:00:00.000Z");
  const entries = rows
    .map((r) => {
      const link = `${base}${articleHref(r, locale)}`;
      return `<entry>
<id>urn:uuid:${r.id}</id>
<title>${xmlEscape(r.title)}</title>
<link rel="alternate" type="text/html" href="${xmlEscape(link)}"/>
<published>${r.published_at ?? r.created_at}</published>
<updated>${r.content_updated_at ?? r.published_at ?? r.updated_at}</updated>
${r.byline ? `<author><name>${xmlEscape(r.byline)}</name></author>\n` : ""}<summary xml:lang="${r.lang}">${xmlEscape(r.strap || r.title)}</summary>
</entry>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">
<id>${xmlEscape(`${base}${selfPath}`)}</id>
<title>${xmlEscape(title)}</title>
<link rel="self" type="application/atom+xml" href="${xmlEscape(`${base}${selfPath}`)}"/>
<link rel="alternate" type="text/html" href="${xmlEscape(`${base}/${locale}`)}"/>
<updated>${updated}</updated>
<author><name>${xmlEscape(t(locale, "app.name"))}</name></author>
${entries}
</feed>
`;
}

export async function feedRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, config } = app.deps;
  const centreFilter = async () => {
    const centre = config.mode === "centre" ? await app.currentCentre() : undefined;
    return centre ? { centreId: centre.id } : { centreId: null };
  };

  for (const locale of LOCALES) {
    app.get(`/${locale}/feed.atom`, { config: { access: "public" } }, async (request, reply) => {
      const rows = await listPublishedArticles(db, {
        lang: locale,
        ...(await centreFilter()),
        now: clock.now().toISOString(),
        limit: 50,
        offset: 0,
      });
      return reply
        .type("application/atom+xml; charset=utf-8")
        .header("cache-control", "public, max-age=300")
        .send(atom(request, locale, t(locale, "app.name"), `/${locale}/feed.atom`, rows));
    });

    app.get(
      `/${locale}/categories/:slug/feed.atom`,
      {
        config: { access: "public" },
        schema: { params: Type.Object({ slug: Type.String({ maxLength: 60 }) }) },
      },
      async (request, reply) => {
        const category = await findCategoryBySlug(db, request.params.slug);
        if (!category) throw new NotFound();
        const rows = await listPublishedArticles(db, {
          lang: locale,
          ...(await centreFilter()),
          categoryId: category.id,
          now: clock.now().toISOString(),
          limit: 50,
          offset: 0,
        });
        const title = `${t(locale, "app.name")} · ${locale === "ur" ? category.name_ur : category.name_en}`;
        return reply
          .type("application/atom+xml; charset=utf-8")
          .header("cache-control", "public, max-age=300")
          .send(atom(request, locale, title, `/${locale}/categories/${category.slug}/feed.atom`, rows));
      },
    );
  }

  app.get("/sitemap.xml", { config: { access: "public" } }, async (request, reply) => {
    const base = baseUrl(request);
    const rows = await listSitemapArticles(db, clock.now().toISOString());
    const pages = ["", "/news", "/notices", "/guides"].flatMap((p) => LOCALES.map((l) => `${base}/${l}${p}`));
    const urls = [
      ...pages.map((loc) => `<url><loc>${xmlEscape(loc)}</loc></url>`),
      ...rows.map(
        (r) =>
          `<url><loc>${xmlEscape(`${base}${canonicalHref(r)}`)}</loc><lastmod>${r.content_updated_at ?? r.published_at ?? r.updated_at}</lastmod></url>`,
      ),
    ];
    return reply
      .type("application/xml; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .send(
        `<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join("\n")}\n</urlset>\n`,
      );
  });
}
