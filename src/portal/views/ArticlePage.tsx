import type { Translate } from "../../i18n/index.ts";
import type { ArticleView } from "../presenters.ts";

export function ArticlePage({ article, t }: { article: ArticleView; t: Translate }) {
  return (
    <article lang={article.lang}>
      <h1>{article.title}</h1>
      {article.strap && <p class="strap">{article.strap}</p>}
      <p class="meta">
        <span>{article.views}</span> ·{" "}
        <time dateTime={article.isoDate}>{t("article.published", { date: article.date })}</time>
      </p>
      {article.image && (
        <figure>
          <img
            src={article.image.src}
            alt={article.image.alt}
            width={1200}
            height={675}
            style={undefined}
            loading="eager"
            decoding="async"
            sizes="100vw"
            class="lead"
          />
          {article.image.caption && <figcaption class="meta">{article.image.caption}</figcaption>}
        </figure>
      )}
      {article.paragraphs.map((p) => (
        <p>{p}</p>
      ))}
    </article>
  );
}
