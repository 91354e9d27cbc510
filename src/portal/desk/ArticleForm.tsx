import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";

export type ArticleFormValues = Record<string, string>;

export interface ArticleFormView {
  t: Translate;
  action: string;
  csrf: string;
  values: ArticleFormValues;
  errors: FieldErrors;
  centres: { value: string; label: string }[];
  categories: { value: string; label: string }[];
  suggestions: { shortId: string; title: string }[];
}

function Text({
  v,
  name,
  label,
  hint,
  dir,
  type = "text",
}: {
  v: ArticleFormView;
  name: string;
  label: string;
  hint?: string;
  dir?: "rtl" | "ltr" | "auto";
  type?: string;
}) {
  return (
    <Field name={name} label={label} errors={v.errors} hint={hint}>
      <input {...inputProps(name, v.errors, !!hint)} type={type} value={v.values[name] ?? ""} dir={dir} />
    </Field>
  );
}

function Select({
  v,
  name,
  label,
  options,
}: {
  v: ArticleFormView;
  name: string;
  label: string;
  options: { value: string; label: string }[];
}) {
  return (
    <Field name={name} label={label} errors={v.errors}>
      <select {...inputProps(name, v.errors)}>
        {options.map((o) => (
          <option value={o.value} selected={(v.values[name] ?? "") === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function ArticleForm(v: ArticleFormView) {
  const { t } = v;
  return (
    <form class="stack wide" method="post" action={v.action} novalidate>
      <ErrorSummary errors={v.errors} t={t} />
      <CsrfInput token={v.csrf} />
      <div class="row">
        <Select
          v={v}
          name="lang"
          label={t("label.lang")}
          options={[
            { value: "ur", label: "اردو" },
            { value: "en", label: "English" },
          ]}
        />
        <Select
          v={v}
          name="kind"
          label={t("label.kind")}
          options={(["news", "notice", "guide"] as const).map((k) => ({ value: k, label: t(`kind.${k}`) }))}
        />
        <Select v={v} name="centre" label={t("label.centre")} options={v.centres} />
      </div>
      <Text v={v} name="title" label={t("label.title")} dir="auto" />
      <Field name="strap" label={t("label.strap")} errors={v.errors}>
        <textarea {...inputProps("strap", v.errors)} rows={2} dir="auto">
          {v.values.strap ?? ""}
        </textarea>
      </Field>
      <Field name="body" label={t("label.body")} errors={v.errors} hint={t("desk.body_hint")}>
        <textarea {...inputProps("body", v.errors, true)} rows={16} dir="auto">
          {v.values.body ?? ""}
        </textarea>
      </Field>
      <div class="row">
        <Select
          v={v}
          name="category"
          label={t("label.category")}
          options={[{ value: "", label: "—" }, ...v.categories]}
        />
        <Text v={v} name="tags" label={t("label.tags")} hint={t("desk.tags_hint")} dir="auto" />
      </div>
      <Text v={v} name="also_read" label={t("label.also_read")} hint={t("desk.also_read_hint")} dir="ltr" />
      {v.suggestions.length > 0 && (
        <p class="meta">
          {t("desk.suggestions")}{" "}
          {v.suggestions.map((s) => (
            <span>
              <code>{s.shortId}</code> <bdi>{s.title}</bdi>
              {" · "}
            </span>
          ))}
        </p>
      )}
      <div class="row">
        <Text v={v} name="also_read_after" label={`${t("label.also_read")} ↓ #`} type="number" dir="ltr" />
        <Text
          v={v}
          name="expires_at"
          label={t("label.expires_at")}
          hint={t("desk.expires_hint")}
          type="datetime-local"
          dir="ltr"
        />
      </div>
      <Text v={v} name="image_alt" label={t("label.image_alt")} dir="auto" />
      <Text v={v} name="image_caption" label={t("label.image_caption")} dir="auto" />
      <div class="row">
        <Text v={v} name="byline" label={t("article.by", { name: "" }).trim()} dir="auto" />
        <Text v={v} name="slug" label={t("label.slug")} dir="auto" />
      </div>
      <div class="field">
        <label>
          <input type="checkbox" name="comments_open" value="1" checked={v.values.comments_open === "1"} />{" "}
          {t("desk.comments_open")}
        </label>
      </div>
      <div>
        <button type="submit">{t("desk.save")}</button>
      </div>
    </form>
  );
}
