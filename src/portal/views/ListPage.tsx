import type { Translate } from "../../i18n/index.ts";
import type { ArticleSummaryView } from "../presenters.ts";
import { ArticleList } from "./HomePage.tsx";

export interface ListView {
  t: Translate;
  heading: string;
  articles: ArticleSummaryView[];
  page: number;
  pages: number;
  newer: string | null;
  older: string | null;
  feed: string | null;
}

export function ListPage({ t, heading, articles, page, pages, newer, older, feed }: ListView) {
  return (
    <section>
      <h1>{heading}</h1>
      <ArticleList articles={articles} t={t} />
      <nav class="pager" aria-label={t("list.page", { page, pages })}>
        {newer && (
          <a href={newer} rel="prev">
            {t("list.newer")}
          </a>
        )}
        {pages > 1 && <span class="meta">{t("list.page", { page, pages })}</span>}
        {older && (
          <a href={older} rel="next">
            {t("list.older")}
          </a>
        )}
      </nav>
      {feed && (
        <p class="meta">
          <a href={feed}>{t("list.feed")}</a>
        </p>
      )}
    </section>
  );
}
