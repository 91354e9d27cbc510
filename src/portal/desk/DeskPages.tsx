import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";
import { ArticleForm, type ArticleFormView } from "./ArticleForm.tsx";

export interface DeskRow {
  href: string;
  title: string;
  lang: string;
  kind: string;
  status: string;
  centre: string;
  updated: string;
}

export function DeskList({
  t,
  rows,
  filters,
  newHref,
}: {
  t: Translate;
  rows: DeskRow[];
  filters: { href: string; label: string; current: boolean }[];
  newHref: string | null;
}) {
  return (
    <section>
      <h1>{t("desk.articles")}</h1>
      {newHref && (
        <p>
          <a class="button" href={newHref}>
            {t("desk.new")}
          </a>
        </p>
      )}
      <nav aria-label={t("desk.status")} class="tabs">
        {filters.map((f) => (
          <a href={f.href} aria-current={f.current ? "page" : undefined}>
            {f.label}
          </a>
        ))}
      </nav>
      {rows.length === 0 ? (
        <p>{t("desk.empty")}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("label.title")}</th>
                <th scope="col">{t("label.kind")}</th>
                <th scope="col">{t("desk.status")}</th>
                <th scope="col">{t("label.centre")}</th>
                <th scope="col">{t("desk.updated")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td lang={r.lang}>
                    <a href={r.href}>{r.title}</a>
                  </td>
                  <td>{r.kind}</td>
                  <td>{r.status}</td>
                  <td>{r.centre}</td>
                  <td>{r.updated}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export interface EditView {
  t: Translate;
  heading: string;
  form: ArticleFormView;
  csrf: string;
  base: string;
  status: string;
  shortId: string;
  publicHref: string | null;
  scheduled: string | null;
  can: { submit: boolean; publish: boolean; restore: boolean; delete: boolean };
  imageErrors: FieldErrors;
  image: { src: string; alt: string } | null;
  translationErrors: FieldErrors;
  translations: { label: string; href: string }[];
  revisions: { n: number; label: string; when: string; href: string }[];
}

function ActionButton({
  action,
  csrf,
  name,
  label,
  extra,
}: {
  action: string;
  csrf: string;
  name: string;
  label: string;
  extra?: preact.ComponentChildren;
}) {
  return (
    <form method="post" action={action} class="inline-form">
      <CsrfInput token={csrf} />
      <input type="hidden" name="action" value={name} />
      {extra}
      <button type="submit">{label}</button>
    </form>
  );
}

export function EditPage(v: EditView) {
  const { t } = v;
  const wf = `${v.base}/workflow`;
  return (
    <section>
      <h1>{v.heading}</h1>
      <p class="meta">
        {t("desk.status")}: <strong>{v.status}</strong> · {t("desk.short_id")}: <code>{v.shortId}</code>
        {v.scheduled && <> · {v.scheduled}</>}
        {v.publicHref && (
          <>
            {" · "}
            <a href={v.publicHref}>{t("desk.view_public")}</a>
          </>
        )}
      </p>
      <div class="panel">
        <h2>{t("desk.workflow")}</h2>
        {v.can.submit && (
          <ActionButton action={wf} csrf={v.csrf} name="submit" label={t("desk.submit_review")} />
        )}
        {v.can.publish && (
          <ActionButton action={wf} csrf={v.csrf} name="publish" label={t("desk.publish_now")} />
        )}
        {v.can.publish && (
          <ActionButton
            action={wf}
            csrf={v.csrf}
            name="schedule"
            label={t("desk.schedule")}
            extra={
              <label>
                {t("desk.schedule_at")} <input type="datetime-local" name="at" required dir="ltr" />
              </label>
            }
          />
        )}
        {v.can.publish && v.status === t("desk.status_published") && (
          <ActionButton action={wf} csrf={v.csrf} name="unpublish" label={t("desk.unpublish")} />
        )}
        {v.can.delete && <ActionButton action={wf} csrf={v.csrf} name="delete" label={t("desk.delete")} />}
      </div>
      <ArticleForm {...v.form} />
      <div class="panel">
        <h2>{t("label.image")}</h2>
        {v.image && <img src={v.image.src} alt={v.image.alt} class="thumb" width={240} />}
        <ErrorSummary errors={v.imageErrors} t={t} />
        <form method="post" action={`${v.base}/image`} enctype="multipart/form-data" class="stack">
          <CsrfInput token={v.csrf} />
          <Field name="image" label={t("label.image")} errors={v.imageErrors} hint={t("desk.image_hint")}>
            <input
              {...inputProps("image", v.imageErrors, true)}
              type="file"
              accept="image/jpeg,image/png,image/webp,image/avif"
              required
            />
          </Field>
          <div class="field">
            {/* Its own id: the article form above has an image_alt field too. */}
            <label for="f-upload-alt">{t("label.image_alt")}</label>
            <input
              id="f-upload-alt"
              name="image_alt"
              type="text"
              value={v.form.values.image_alt ?? ""}
              required
              dir="auto"
              aria-invalid={v.imageErrors.image_alt ? "true" : undefined}
              aria-describedby={v.imageErrors.image_alt ? "e-upload-alt" : undefined}
            />
            {v.imageErrors.image_alt && (
              <span class="err" id="e-upload-alt">
                {v.imageErrors.image_alt}
              </span>
            )}
          </div>
          <div>
            <button type="submit">{t("desk.image_upload")}</button>
          </div>
        </form>
      </div>
      <div class="panel">
        <h2>{t("label.translation")}</h2>
        {v.translations.length > 0 && (
          <p>
            {t("desk.translations", { list: "" })}
            {v.translations.map((x) => (
              <>
                {" "}
                <a href={x.href}>{x.label}</a>
              </>
            ))}
          </p>
        )}
        <form method="post" action={`${v.base}/translation`} class="stack">
          <CsrfInput token={v.csrf} />
          <Field
            name="translation"
            label={t("label.translation")}
            errors={v.translationErrors}
            hint={t("desk.translation_hint")}
          >
            <input
              {...inputProps("translation", v.translationErrors, true)}
              type="text"
              dir="ltr"
              pattern="[0-9a-z]{7}"
            />
          </Field>
          <div>
            <button type="submit">{t("desk.link_translation")}</button>
          </div>
        </form>
      </div>
      <div class="panel">
        <h2>{t("desk.revisions")}</h2>
        <ol reversed>
          {v.revisions.map((r) => (
            <li>
              <a href={r.href}>{r.label}</a> <span class="meta">{r.when}</span>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}

export interface DiffView {
  t: Translate;
  heading: string;
  parts: { kind: "same" | "added" | "removed"; text: string }[];
  restore: { action: string; csrf: string } | null;
  back: string;
}

export function DiffPage(v: DiffView) {
  return (
    <section>
      <h1>{v.heading}</h1>
      <pre class="diff" dir="auto">
        {v.parts.map((p) =>
          p.kind === "added" ? (
            <ins>{p.text}</ins>
          ) : p.kind === "removed" ? (
            <del>{p.text}</del>
          ) : (
            <span>{p.text}</span>
          ),
        )}
      </pre>
      {v.restore && (
        <form method="post" action={v.restore.action}>
          <CsrfInput token={v.restore.csrf} />
          <button type="submit">{v.t("desk.restore")}</button>
        </form>
      )}
      <p>
        <a href={v.back}>{v.t("desk.edit")}</a>
      </p>
    </section>
  );
}

export interface QueueItem {
  id: string;
  name: string;
  email: string | null;
  when: string;
  body: string;
  on: { title: string; href: string };
  flagged: string | null;
}

export function QueuePage({
  t,
  csrf,
  tabs,
  items,
  actions,
}: {
  t: Translate;
  csrf: string;
  tabs: { href: string; label: string; current: boolean }[];
  items: QueueItem[];
  actions: { value: string; label: string }[];
}) {
  return (
    <section>
      <h1>{t("mod.title")}</h1>
      <nav class="tabs" aria-label={t("mod.title")}>
        {tabs.map((x) => (
          <a href={x.href} aria-current={x.current ? "page" : undefined}>
            {x.label}
          </a>
        ))}
      </nav>
      {items.length === 0 ? (
        <p>{t("mod.empty")}</p>
      ) : (
        <form method="post" action="/staff/comments">
          <CsrfInput token={csrf} />
          <ul class="list queue">
            {items.map((c) => (
              <li>
                <label>
                  <input type="checkbox" name="ids" value={c.id} /> {t("mod.select")}
                </label>
                <p class="meta">
                  <bdi>{c.name}</bdi>
                  {c.email && (
                    <>
                      {" · "}
                      <bdi dir="ltr">{c.email}</bdi>
                    </>
                  )}{" "}
                  · {c.when} · <a href={c.on.href}>{t("mod.on", { title: c.on.title })}</a>
                </p>
                {c.flagged && <p class="meta">{t("mod.flagged", { reason: c.flagged })}</p>}
                <p dir="auto" class="comment-body">
                  {c.body}
                </p>
              </li>
            ))}
          </ul>
          <p>
            {actions.map((a) => (
              <button type="submit" name="action" value={a.value} class="spaced">
                {a.label}
              </button>
            ))}
          </p>
        </form>
      )}
    </section>
  );
}
