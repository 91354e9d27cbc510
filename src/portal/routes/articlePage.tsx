import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { findCentreById } from "../../centres/queries.ts";
import type { ArticleTable } from "../../db/schema.ts";
import { LOCALES, t, translator, type Locale } from "../../i18n/index.ts";
import { anonymousCsrfToken } from "../../server/csrf.ts";
import { DomainError, NotFound } from "../../server/errors.ts";
import { formErrors } from "../../server/forms.ts";
import { baseUrl, pageContext, renderDocument } from "../../server/render.tsx";
import type { FieldErrors } from "../../ui/forms.tsx";
import { listApprovedComments } from "../comments/queries.ts";
import { submitComment } from "../comments/submitComment.ts";
import { COMMENT_LIMITS } from "../comments/spam.ts";
import { portalVersion } from "../contentVersion.ts";
import { compressPage, pickEncoding, type CachedPage } from "../pageCache.ts";
import { articleHref, canonicalHref, presentArticle } from "../presenters.ts";
import { findArticleByShortId, findArticlesByIds, findCategoryById, listTranslations } from "../queries.ts";
import { ArticlePage, type CommentFormView } from "../views/ArticlePage.tsx";

const RefParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 400 }) });

function shortIdOf(ref: string): string {
  return ref.split("-")[0]!.toLowerCase();
}

interface RenderState {
  values: CommentFormView["values"];
  errors: FieldErrors;
  pendingNotice: string | null;
}

async function renderArticle(
  app: FastifyInstance,
  request: FastifyRequest,
  article: ArticleTable,
  locale: Locale,
  state: RenderState,
): Promise<string> {
  const { db, config, clock, secret } = app.deps;
  const centre = article.centre_id ? await findCentreById(db, article.centre_id) : undefined;
  const timeZone = centre?.time_zone ?? config.defaultTimeZone;
  const alsoRead = await findArticlesByIds(db, JSON.parse(article.also_read) as string[]);
  const comments = await listApprovedComments(db, article.id);
  const category = article.category_id ? await findCategoryById(db, article.category_id) : undefined;
  const translations = article.translation_group ? await listTranslations(db, article.translation_group) : [];
  // The stored count plus what this process counted and has not written yet.
  const views = t(locale, "article.views", {
    count: article.view_count + app.portal.views.pendingFor(article.id),
  });
  const view = presentArticle(article, { locale, timeZone, views, category, centre, alsoRead, comments });
  const tr = translator(locale);
  const href = articleHref(article, locale);
  const other: Locale = locale === "ur" ? "en" : "ur";
  const twin = translations.find((x) => x.lang === other && x.status === "published");
  const base = baseUrl(request);
  const canonical = `${base}${canonicalHref(article)}`;
  const alternates = [{ locale: article.lang, href: canonical }];
  if (twin) alternates.push({ locale: twin.lang, href: `${base}${canonicalHref(twin)}` });
  const form: CommentFormView | null = view.commentsOpen
    ? {
        action: `${href}/comments`,
        csrf: anonymousCsrfToken(secret, "comment", clock.now()),
        values: state.values,
        errors: state.errors,
        messages: { comment: t(locale, "field.comment_required"), name: t(locale, "field.name_required") },
        pendingNotice: state.pendingNotice,
      }
    : null;
  const image = view.image ? `${base}${view.image.src}` : null;
  const jsonLd = JSON.stringify({
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: article.title,
    description: article.strap || undefined,
    inLanguage: article.lang,
    datePublished: article.published_at ?? undefined,
    dateModified: article.content_updated_at ?? article.published_at ?? undefined,
    image: image ? [image] : undefined,
    author: article.byline ? { "@type": "Person", name: article.byline } : undefined,
    publisher: { "@type": "Organization", name: centre ? centre.name_en : t("en", "app.name") },
    mainEntityOfPage: canonical,
  }).replace(/</g, "\\u003c");
  const page = await pageContext(request, {
    title: article.title,
    publicPath: href.slice(3),
    switchHref: twin ? articleHref(twin, other) : articleHref(article, other),
    alternates,
    canonical,
    jsonLd,
    meta: [
      { property: "og:type", content: "article" },
      { property: "og:title", content: article.title },
      { property: "og:description", content: article.strap },
      { property: "og:url", content: canonical },
      { property: "og:locale", content: article.lang === "ur" ? "ur_PK" : "en_PK" },
      ...(image
        ? [
            { property: "og:image", content: image },
            { property: "og:image:alt", content: article.image_alt ?? "" },
          ]
        : []),
      ...(article.published_at
        ? [{ property: "article:published_time", content: article.published_at }]
        : []),
      { name: "description", content: article.strap || article.title },
    ],
    scripts: [app.assets.urls.commentsJs],
  });
  return renderDocument(page, <ArticlePage article={view} t={tr} form={form} />);
}

async function loadPublished(app: FastifyInstance, shortId: string): Promise<ArticleTable> {
  const article = await findArticleByShortId(app.deps.db, shortId);
  const now = app.deps.clock.now().toISOString();
  if (!article || article.status !== "published" || (article.published_at && article.published_at > now)) {
    throw new NotFound("article");
  }
  return article;
}

function sendHtml(reply: FastifyReply, locale: Locale, html: string, status = 200) {
  return reply.code(status).type("text/html; charset=utf-8").header("content-language", locale).send(html);
}

/** Sends a cached page already compressed; the compression plugin leaves it alone. */
export function sendCached(
  reply: FastifyReply,
  locale: Locale,
  entry: CachedPage,
  acceptEncoding: string | undefined,
) {
  const encoding = pickEncoding(acceptEncoding);
  reply
    .type("text/html; charset=utf-8")
    .header("content-language", locale)
    .header("vary", "Accept-Encoding")
    .header("cache-control", "public, max-age=60");
  if (encoding)
    return reply.header("content-encoding", encoding).send(encoding === "br" ? entry.br : entry.gzip);
  return reply.send(entry.html);
}

const EMPTY: RenderState = {
  values: { author: "", email: "", comment: "" },
  errors: {},
  pendingNotice: null,
};

export async function articlePageRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, secret } = app.deps;

  for (const locale of LOCALES) {
    app.get(
      `/${locale}/articles/:ref`,
      {
        config: { access: "public" },
        schema: { params: RefParams, querystring: Type.Object({ comment: Type.Optional(Type.String()) }) },
      },
      async (request, reply) => {
        const shortId = shortIdOf(request.params.ref);
        const path = decodeURIComponent(request.url.split("?")[0]!);
        // Signed-in staff see their own navigation: their pages are never cached or shared.
        if (request.query.comment === "pending" || request.staff) {
          const article = await loadPublished(app, shortId);
          if (path !== decodeURIComponent(articleHref(article, locale)))
            return reply.redirect(articleHref(article, locale), 301);
          const html = await renderArticle(app, request, article, locale, {
            ...EMPTY,
            pendingNotice: request.query.comment === "pending" ? t(locale, "comments.pending") : null,
          });
          return sendHtml(reply.header("cache-control", "private, no-store"), locale, html);
        }
        // Absolute links (canonical, Open Graph) come from the request's host: keep one copy per host.
        const key = `${locale}:${shortId}:${request.host}`;
        const now = clock.now().getTime();
        const hit = (articleId: string) =>
          app.portal.views.hit({
            articleId,
            ip: request.ip,
            userAgent: request.headers["user-agent"] ?? "",
            prefetch: /prefetch|prerender/i.test(
              String(request.headers["sec-purpose"] ?? request.headers.purpose ?? ""),
            ),
          });
        const peek = app.portal.pages.peekArticleId(key);
        // An article page carries the comment form's token, whose age is the form's fill time:
        // kept no longer than the minimum fill time, a bot that posts at once is still caught.
        // The view count shown is therefore at most that old too.
        let entry: CachedPage | undefined = app.portal.pages.get(key, {
          version: portalVersion(),
          stamp: peek ? String(app.portal.views.generation(peek)) : "",
          now,
          ttlMs: COMMENT_LIMITS.minFillSeconds * 1000,
        });
        if (entry) {
          if (path !== entry.path) return reply.redirect(encodeURI(entry.path), 301);
          hit(entry.articleId!);
        } else {
          const version = portalVersion();
          const article = await loadPublished(app, shortId);
          const canonical = decodeURIComponent(articleHref(article, locale));
          if (path !== canonical) return reply.redirect(articleHref(article, locale), 301);
          // Counted before rendering, so the page that counts a visit shows it.
          hit(article.id);
          const html = await renderArticle(app, request, article, locale, EMPTY);
          entry = {
            version,
            stamp: String(app.portal.views.generation(article.id)),
            createdAt: now,
            path: canonical,
            articleId: article.id,
            html,
            ...(await compressPage(html)),
          };
          app.portal.pages.set(key, entry);
        }
        return sendCached(reply, locale, entry, request.headers["accept-encoding"]);
      },
    );

    app.post(
      `/${locale}/articles/:ref/comments`,
      {
        config: { access: "public", csrfPurpose: "comment", rateLimit: { max: 10, timeWindow: "1 minute" } },
        schema: { params: RefParams, body: Type.Record(Type.String(), Type.Unknown()) },
      },
      async (request, reply) => {
        const article = await loadPublished(app, shortIdOf(request.params.ref));
        const body = request.body as Record<string, unknown>;
        const str = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : "");
        const values = { author: str("author"), email: str("email"), comment: str("comment") };
        const issued = request.csrfIssuedAt ?? clock.now();
        try {
          await db.transaction().execute((trx) =>
            submitComment(
              trx,
              {
                articleId: article.id,
                name: values.author,
                email: values.email,
                body: values.comment,
                honeypot: str("homepage"),
                fillSeconds: (clock.now().getTime() - issued.getTime()) / 1000,
                ip: request.ip,
              },
              { clock, secret },
            ),
          );
        } catch (error) {
          if (error instanceof DomainError && error.fields.length) {
            const errors = formErrors(locale, error.fields);
            const html = await renderArticle(app, request, article, locale, {
              values,
              errors,
              pendingNotice: null,
            });
            return sendHtml(reply.header("cache-control", "no-store"), locale, html, 400);
          }
          throw error;
        }
        return reply.redirect(`${articleHref(article, locale)}?comment=pending#respond`, 303);
      },
    );
  }
}
