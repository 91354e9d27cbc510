import type { Translate } from "../../i18n/index.ts";
import { ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";
import type { Segment } from "../snippet.ts";

export interface SearchResultView {
  href: string;
  title: string;
  lang: string;
  kindLabel: string;
  date: string;
  isoDate: string;
  expired: boolean;
  snippet: Segment[];
}

export interface SearchFiltersView {
  kind: string;
  lang: string;
  centre: string;
  from: string;
  to: string;
}

export interface SearchView {
  t: Translate;
  action: string;
  q: string;
  filters: SearchFiltersView;
  kinds: { value: string; label: string }[];
  centres: { code: string; name: string }[];
  errors: FieldErrors;
  outcome: {
    results: SearchResultView[];
    total: number;
    more: boolean;
    searchable: boolean;
    corrected: { text: string; href: string } | null;
    /** Words the results were found without (no page has them all). */
    leftOut: string[];
    page: number;
    pages: number;
    previous: string | null;
    next: string | null;
  } | null;
}

function Snippet({ segments }: { segments: Segment[] }) {
  return <p class="summary">{segments.map((s) => (s.hit ? <mark>{s.text}</mark> : s.text))}</p>;
}

function Select({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
}) {
  return (
    <p class="field">
      <label for={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </p>
  );
}

export function SearchPage(v: SearchView) {
  const { t, outcome, filters } = v;
  const narrowed = Object.values(filters).some((x) => x !== "");
  return (
    <section class="search">
      <h1>{t("search.title")}</h1>
      <ErrorSummary errors={v.errors} t={t} />
      <form method="get" action={v.action} role="search" class="search-form">
        <Field name="q" label={t("search.label")} errors={v.errors}>
          <span class="search-row">
            <input
              type="search"
              value={v.q}
              maxLength={200}
              autoComplete="off"
              placeholder={t("search.placeholder")}
              data-suggest={v.action.split("/")[1]}
              {...inputProps("q", v.errors)}
            />
            <button type="submit">{t("search.submit")}</button>
          </span>
        </Field>
        <details open={narrowed || Object.keys(v.errors).length > 0}>
          <summary>{t("search.filters")}</summary>
          <div class="filters">
            <Select
              name="kind"
              label={t("search.kind")}
              value={filters.kind}
              options={[{ value: "", label: t("search.kind_any") }, ...v.kinds]}
            />
            <Select
              name="lang"
              label={t("search.lang")}
              value={filters.lang}
              options={[
                { value: "", label: t("search.lang_any") },
                { value: "ur", label: t("search.lang_ur") },
                { value: "en", label: t("search.lang_en") },
              ]}
            />
            {v.centres.length > 1 && (
              <Select
                name="centre"
                label={t("search.centre")}
                value={filters.centre}
                options={[
                  { value: "", label: t("search.centre_any") },
                  ...v.centres.map((c) => ({ value: c.code, label: c.name })),
                ]}
              />
            )}
            <Field name="from" label={t("search.from")} errors={v.errors}>
              <input type="date" value={filters.from} {...inputProps("from", v.errors)} />
            </Field>
            <Field name="to" label={t("search.to")} errors={v.errors}>
              <input type="date" value={filters.to} {...inputProps("to", v.errors)} />
            </Field>
            <p>
              <button type="submit">{t("search.apply")}</button>
            </p>
          </div>
        </details>
      </form>
      {outcome === null && <p>{t("search.prompt")}</p>}
      {outcome && !outcome.searchable && <p>{t("search.no_words")}</p>}
      {outcome && outcome.searchable && <Results t={t} q={v.q} outcome={outcome} />}
    </section>
  );
}

function Results({
  t,
  q,
  outcome,
}: {
  t: Translate;
  q: string;
  outcome: NonNullable<SearchView["outcome"]>;
}) {
  if (outcome.results.length === 0) {
    return (
      <div role="status">
        <p>{t("search.none", { q })}</p>
        <p class="meta">{t("search.tips")}</p>
      </div>
    );
  }
  return (
    <>
      {outcome.corrected && (
        <p class="notice info">
          {t("search.showing_for", { q })}{" "}
          <a href={outcome.corrected.href}>
            <strong>{outcome.corrected.text}</strong>
          </a>
        </p>
      )}
      {outcome.leftOut.length > 0 && (
        <p class="notice info">
          {t("search.left_out")}{" "}
          {outcome.leftOut.map((word, i) => (
            <>
              {i > 0 && " "}
              <s>
                <bdi>{word}</bdi>
              </s>
            </>
          ))}
        </p>
      )}
      <p class="meta" role="status">
        {outcome.more
          ? t("search.results_more", { q, count: outcome.total })
          : t("search.results", { q, count: outcome.total })}
      </p>
      <ol class="list results">
        {outcome.results.map((r) => (
          <li lang={r.lang}>
            <a href={r.href}>{r.title}</a>
            <div class="meta">
              {r.kindLabel} · <time dateTime={r.isoDate}>{r.date}</time>
              {r.expired && <> · {t("search.expired")}</>}
            </div>
            <Snippet segments={r.snippet} />
          </li>
        ))}
      </ol>
      {outcome.pages > 1 && (
        <nav class="pager" aria-label={t("search.page", { page: outcome.page, pages: outcome.pages })}>
          {outcome.previous && (
            <a href={outcome.previous} rel="prev">
              {t("search.previous")}
            </a>
          )}
          <span class="meta">{t("search.page", { page: outcome.page, pages: outcome.pages })}</span>
          {outcome.next && (
            <a href={outcome.next} rel="next">
              {t("search.next")}
            </a>
          )}
        </nav>
      )}
    </>
  );
}
