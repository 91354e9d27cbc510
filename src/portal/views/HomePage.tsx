import type { Translate } from "../../i18n/index.ts";
import type { ArticleSummaryView, CentreCardView } from "../presenters.ts";

export interface HoursRow {
  day: string;
  /** "09:00–17:00" spans, shown left-to-right even on an Urdu page; empty when closed. */
  ranges: string[];
  closedLabel: string;
  note: string;
}

export interface HomeSection {
  id: string;
  heading: string;
  articles: ArticleSummaryView[];
  more: string | null;
}

export interface HomeView {
  t: Translate;
  heading: string;
  sections: HomeSection[];
  hours: { openNow: boolean; rows: HoursRow[]; separator: string } | null;
  centres: { options: CentreCardView[]; action: string } | null;
}

export function ArticleList({ articles, t }: { articles: ArticleSummaryView[]; t: Translate }) {
  if (articles.length === 0) return <p>{t("home.empty")}</p>;
  return (
    <ul class="list">
      {articles.map((a) => (
        <li lang={a.lang}>
          <a href={a.href}>{a.title}</a>
          <div class="meta">
            <time dateTime={a.isoDate}>{a.date}</time>
          </div>
          {a.strap && <p class="summary">{a.strap}</p>}
        </li>
      ))}
    </ul>
  );
}

export function HoursTable({ hours, t }: { hours: NonNullable<HomeView["hours"]>; t: Translate }) {
  return (
    <section aria-labelledby="hours-h">
      <h2 id="hours-h">{t("home.hours")}</h2>
      <p class={`notice ${hours.openNow ? "ok" : ""}`}>
        {hours.openNow ? t("home.open_now") : t("home.closed_now")}
      </p>
      <table>
        <tbody>
          {hours.rows.map((r) => (
            <tr>
              <th scope="row">
                <bdi>{r.day}</bdi>
              </th>
              <td>
                {r.ranges.length === 0
                  ? r.closedLabel
                  : r.ranges.map((range, i) => (
                      <>
                        {i > 0 && hours.separator}
                        <bdi dir="ltr">{range}</bdi>
                      </>
                    ))}
                {r.note && <span class="meta"> · {r.note}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function HomePage({ t, heading, sections, hours, centres }: HomeView) {
  return (
    <>
      <h1>{heading}</h1>
      {centres && (
        <form method="get" action={centres.action} class="stack">
          <div class="field">
            <label for="centre-choice">{t("home.choose_centre")}</label>
            <select id="centre-choice" name="code">
              {centres.options.map((c) => (
                <option value={c.code}>
                  {c.name} — {c.district}
                </option>
              ))}
            </select>
          </div>
          <div>
            <button type="submit">{t("home.show")}</button>
          </div>
        </form>
      )}
      {sections.map((s) => (
        <section aria-labelledby={`${s.id}-h`}>
          <h2 id={`${s.id}-h`}>{s.heading}</h2>
          <ArticleList articles={s.articles} t={t} />
          {s.more && s.articles.length > 0 && (
            <p>
              <a href={s.more}>{t("list.more")}</a>
            </p>
          )}
        </section>
      ))}
      {hours && <HoursTable hours={hours} t={t} />}
    </>
  );
}
