import type { ArticleTable, CentreTable } from "../db/schema.ts";
import { formatDate, formatNumber, translator, type Locale } from "../i18n/index.ts";

export interface ArticleSummaryView {
  href: string;
  title: string;
  strap: string;
  date: string;
  isoDate: string;
}

export interface ArticleView extends ArticleSummaryView {
  lang: Locale;
  views: string;
  paragraphs: string[];
  image: { src: string; alt: string; caption: string } | null;
}

export function articleHref(a: Pick<ArticleTable, "lang" | "short_id" | "slug">): string {
  return `/${a.lang}/articles/${a.short_id}-${encodeURIComponent(a.slug)}`;
}

export function presentSummary(a: ArticleTable, locale: Locale, timeZone: string): ArticleSummaryView {
  return {
    href: articleHref(a),
    title: a.title,
    strap: a.strap,
    date: a.published_at ? formatDate(locale, a.published_at, timeZone) : "",
    isoDate: a.published_at ?? a.created_at,
  };
}

export function presentArticle(a: ArticleTable, locale: Locale, timeZone: string): ArticleView {
  const t = translator(locale);
  return {
    ...presentSummary(a, locale, timeZone),
    lang: a.lang,
    views: t("article.views", { count: a.view_count }),
    paragraphs: JSON.parse(a.body) as string[],
    image: a.image_path
      ? { src: `/media/${a.image_path}`, alt: a.image_alt ?? "", caption: a.image_caption ?? "" }
      : null,
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

export { formatNumber };
