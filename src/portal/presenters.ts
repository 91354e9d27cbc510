import type { ArticleTable, CategoryTable, CentreTable, CommentTable } from "../db/schema.ts";
import { formatDate, LOCALE_INFO, t, type Locale } from "../i18n/index.ts";
import { pictureSources, type VariantRef } from "./images.ts";

export interface ArticleSummaryView {
  href: string;
  title: string;
  strap: string;
  date: string;
  isoDate: string;
  kind: string;
  lang: Locale;
}

export interface PictureView {
  sources: { type: string; srcset: string }[];
  src: string;
  srcset: string | undefined;
  sizes: string;
  width: number | undefined;
  height: number | undefined;
  alt: string;
  caption: string | null;
}

export interface CommentView {
  name: string;
  date: string;
  isoDate: string;
  paragraphs: string[];
}

export interface ArticleView extends ArticleSummaryView {
  /** The view phrase ("819 views"), or a placeholder the page cache fills in per request. */
  views: string;
  published: { iso: string; text: string } | null;
  updated: { iso: string; text: string } | null;
  byline: string | null;
  kindLabel: string;
  category: { name: string; href: string } | null;
  centreNotice: string | null;
  expires: string | null;
  contentLanguageNote: string | null;
  image: PictureView | null;
  blocks: string[];
  alsoRead: { heading: string; after: number; links: { href: string; title: string }[] } | null;
  comments: CommentView[];
  commentsOpen: boolean;
}

export function articleHref(a: Pick<ArticleTable, "short_id" | "slug">, uiLocale: Locale): string {
  return `/${uiLocale}/articles/${a.short_id}-${encodeURIComponent(a.slug)}`;
}

/** The canonical address: in the article's own language. */
export function canonicalHref(a: Pick<ArticleTable, "short_id" | "slug" | "lang">): string {
  return articleHref(a, a.lang);
}

export function presentSummary(a: ArticleTable, locale: Locale, timeZone: string): ArticleSummaryView {
  const when = a.published_at ?? a.created_at;
  return {
    href: articleHref(a, locale),
    title: a.title,
    strap: a.strap,
    date: formatDate(locale, when, timeZone),
    isoDate: when,
    kind: t(locale, `kind.${a.kind}`),
    lang: a.lang,
  };
}

const SIZES = "(min-width: 62rem) 60rem, 100vw";

export function presentPicture(a: ArticleTable): PictureView | null {
  if (!a.image_path) return null;
  const { sources, fallback } = pictureSources(JSON.parse(a.image_variants) as VariantRef[]);
  return {
    sources,
    // The narrowest JPEG is the fallback: a phone that ignores srcset still gets a light image.
    src: fallback.src || `/media/${a.image_path}`,
    srcset: fallback.srcset || undefined,
    sizes: SIZES,
    width: a.image_width ?? undefined,
    height: a.image_height ?? undefined,
    alt: a.image_alt ?? "",
    caption: a.image_caption,
  };
}

export function presentComment(c: CommentTable, locale: Locale, timeZone: string): CommentView {
  return {
    name: c.author_name,
    date: formatDate(locale, c.created_at, timeZone, "datetime"),
    isoDate: c.created_at,
    paragraphs: c.body
      .split(/\n{2,}/)
      .map((p) => p.trim())
      .filter(Boolean),
  };
}

export interface ArticleContext {
  locale: Locale;
  timeZone: string;
  views: string;
  category: CategoryTable | undefined;
  centre: CentreTable | undefined;
  alsoRead: ArticleTable[];
  comments: CommentTable[];
}

export function presentArticle(a: ArticleTable, ctx: ArticleContext): ArticleView {
  const { locale, timeZone } = ctx;
  const summary = presentSummary(a, locale, timeZone);
  const published = a.published_at
    ? { iso: a.published_at, text: formatDate(locale, a.published_at, timeZone, "datetime") }
    : null;
  const updatedAt =
    a.content_updated_at && a.published_at && a.content_updated_at > a.published_at
      ? a.content_updated_at
      : null;
  const alsoReadIds = JSON.parse(a.also_read) as string[];
  const alsoRead = alsoReadIds
    .map((id) => ctx.alsoRead.find((x) => x.id === id))
    .filter((x): x is ArticleTable => !!x && x.status === "published");
  return {
    ...summary,
    views: ctx.views,
    published,
    updated: updatedAt ? { iso: updatedAt, text: formatDate(locale, updatedAt, timeZone, "datetime") } : null,
    byline: a.byline ? t(locale, "article.by", { name: a.byline }) : null,
    kindLabel: t(locale, `kind.${a.kind}`),
    category: ctx.category
      ? {
          name: locale === "ur" ? ctx.category.name_ur : ctx.category.name_en,
          href: `/${locale}/categories/${ctx.category.slug}`,
        }
      : null,
    centreNotice:
      ctx.centre && a.kind === "notice"
        ? t(locale, "article.centre_notice", {
            centre: locale === "ur" ? ctx.centre.name_ur : ctx.centre.name_en,
          })
        : null,
    expires: a.expires_at
      ? t(locale, "article.expires", { date: formatDate(locale, a.expires_at, timeZone) })
      : null,
    contentLanguageNote:
      a.lang !== locale ? t(locale, "article.content_lang", { language: LOCALE_INFO[a.lang].name }) : null,
    image: presentPicture(a),
    blocks: JSON.parse(a.body_html) as string[],
    alsoRead: alsoRead.length
      ? {
          heading: t(a.lang, "article.also_read"),
          after: a.also_read_after,
          links: alsoRead.map((x) => ({ href: articleHref(x, locale), title: x.title })),
        }
      : null,
    comments: ctx.comments.map((c) => presentComment(c, locale, timeZone)),
    commentsOpen: a.comments_open === 1,
  };
}

export interface CentreCardView {
  code: string;
  name: string;
  district: string;
  href: string;
}

export function presentCentreCard(c: CentreTable, locale: Locale): CentreCardView {
  return {
    code: c.code,
    name: locale === "ur" ? c.name_ur : c.name_en,
    district: c.district,
    href: `/${locale}/centres/${encodeURIComponent(c.code)}`,
  };
}
