import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, type FieldErrors } from "../../ui/forms.tsx";
import type { ArticleView, PictureView } from "../presenters.ts";

export interface CommentFormView {
  action: string;
  csrf: string;
  values: { author: string; email: string; comment: string };
  errors: FieldErrors;
  /** The two messages the page's script shows before sending, the same the server gives. */
  messages: { comment: string; name: string };
  pendingNotice: string | null;
}

function Picture({ image }: { image: PictureView }) {
  return (
    <figure>
      <picture>
        {image.sources.map((s) => (
          <source type={s.type} srcset={s.srcset} sizes={image.sizes} />
        ))}
        <img
          class="lead"
          src={image.src}
          srcset={image.srcset}
          sizes={image.srcset ? image.sizes : undefined}
          width={image.width}
          height={image.height}
          alt={image.alt}
          decoding="async"
        />
      </picture>
      {image.caption && <figcaption class="meta">{image.caption}</figcaption>}
    </figure>
  );
}

function AlsoRead({ box }: { box: NonNullable<ArticleView["alsoRead"]> }) {
  return (
    <aside class="also" aria-label={box.heading}>
      <h2>{box.heading}:</h2>
      <ul>
        {box.links.map((l) => (
          <li>
            <a href={l.href}>{l.title}</a>
          </li>
        ))}
      </ul>
    </aside>
  );
}

export function CommentForm({ form, t }: { form: CommentFormView; t: Translate }) {
  const err = form.errors;
  return (
    <section id="respond" aria-labelledby="respond-h">
      <h2 id="respond-h">{t("comments.leave_reply")}</h2>
      {form.pendingNotice && (
        <p class="notice ok" role="status">
          {form.pendingNotice}
        </p>
      )}
      <form
        class="stack"
        method="post"
        action={`${form.action}#respond`}
        novalidate
        data-comment-form
        data-msg-comment={form.messages.comment}
        data-msg-name={form.messages.name}
      >
        <CsrfInput token={form.csrf} />
        <div class="field">
          <label for="f-comment">{t("comments.comment")}</label>
          <textarea
            id="f-comment"
            name="comment"
            rows={6}
            maxLength={3000}
            required
            dir="auto"
            aria-invalid={err.comment ? "true" : undefined}
            aria-describedby={err.comment ? "e-comment" : undefined}
          >
            {form.values.comment}
          </textarea>
          <span class="err" id="e-comment" role={err.comment ? "alert" : undefined} hidden={!err.comment}>
            {err.comment ?? ""}
          </span>
        </div>
        <div class="field">
          <label for="f-author">{t("comments.name")}</label>
          <input
            id="f-author"
            name="author"
            type="text"
            autocomplete="name"
            maxLength={80}
            required
            dir="auto"
            value={form.values.author}
            aria-invalid={err.author ? "true" : undefined}
            aria-describedby={err.author ? "e-author" : undefined}
          />
          <span class="err" id="e-author" role={err.author ? "alert" : undefined} hidden={!err.author}>
            {err.author ?? ""}
          </span>
        </div>
        <div class="field">
          <label for="f-email">{t("comments.email")}</label>
          <span class="hint" id="h-email">
            {t("comments.email_hint")}
          </span>
          <input
            id="f-email"
            name="email"
            type="email"
            autocomplete="email"
            maxLength={200}
            dir="ltr"
            value={form.values.email}
            aria-invalid={err.email ? "true" : undefined}
            aria-describedby={err.email ? "h-email e-email" : "h-email"}
          />
          {err.email && (
            <span class="err" id="e-email">
              {err.email}
            </span>
          )}
        </div>
        <div class="hp" aria-hidden="true">
          <label for="f-homepage">{t("comments.honeypot")}</label>
          <input id="f-homepage" name="homepage" type="text" tabIndex={-1} autocomplete="off" value="" />
        </div>
        <div>
          <button type="submit">{t("comments.submit")}</button>
        </div>
      </form>
    </section>
  );
}

export function ArticlePage({
  article,
  t,
  form,
}: {
  article: ArticleView;
  t: Translate;
  form: CommentFormView | null;
}) {
  const blocks = article.blocks;
  const after = article.alsoRead ? Math.min(article.alsoRead.after, blocks.length) : -1;
  return (
    <>
      <article lang={article.lang} dir={article.lang === "ur" ? "rtl" : "ltr"} aria-labelledby="headline">
        <h1 id="headline">{article.title}</h1>
        {article.strap && <p class="strap">{article.strap}</p>}
        <p class="views" dir="auto">
          {article.views}
        </p>
        <p class="meta byline">
          {article.centreNotice && <span>{article.centreNotice} · </span>}
          {article.category ? (
            <a href={article.category.href}>{article.category.name}</a>
          ) : (
            <span>{article.kindLabel}</span>
          )}
          {article.byline && <span> · {article.byline}</span>}
          {article.published && (
            <span>
              {" · "}
              <time dateTime={article.published.iso}>{article.published.text}</time>
            </span>
          )}
          {article.updated && (
            <span>
              {" · "}
              {t("article.updated", { date: "" })}
              <time dateTime={article.updated.iso}>{article.updated.text}</time>
            </span>
          )}
          {article.expires && <span> · {article.expires}</span>}
        </p>
        {article.contentLanguageNote && <p class="notice">{article.contentLanguageNote}</p>}
        {article.image && <Picture image={article.image} />}
        <div class="body">
          {after === 0 && article.alsoRead && <AlsoRead box={article.alsoRead} />}
          {blocks.map((html, i) => (
            <>
              <div class="block" dangerouslySetInnerHTML={{ __html: html }} />
              {i + 1 === after && article.alsoRead && <AlsoRead box={article.alsoRead} />}
            </>
          ))}
        </div>
      </article>
      <section id="comments" aria-labelledby="comments-h">
        <h2 id="comments-h">{t("comments.heading", { count: article.comments.length })}</h2>
        {article.comments.length === 0 ? (
          <p class="meta">{t("comments.none")}</p>
        ) : (
          <ol class="comments">
            {article.comments.map((c) => (
              <li>
                <p class="meta">
                  <bdi>{c.name}</bdi> · <time dateTime={c.isoDate}>{c.date}</time>
                </p>
                {c.paragraphs.map((p) => (
                  <p dir="auto">{p}</p>
                ))}
              </li>
            ))}
          </ol>
        )}
      </section>
      {form ? <CommentForm form={form} t={t} /> : <p class="notice">{t("comments.closed")}</p>}
    </>
  );
}
