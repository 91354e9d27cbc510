import type { Translate } from "../../i18n/index.ts";
import type { QueryLogEntry } from "../queryLogQueries.ts";

export interface QueryLogView {
  t: Translate;
  days: number;
  dayOptions: number[];
  top: (QueryLogEntry & { lastLabel: string; href: string })[];
  zero: (QueryLogEntry & { lastLabel: string; href: string })[];
}

function Table({ t, rows, caption }: { t: Translate; rows: QueryLogView["top"]; caption: string }) {
  return (
    <section>
      <h2>{caption}</h2>
      {rows.length === 0 ? (
        <p>{t("search.log.empty")}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("search.log.query")}</th>
                <th scope="col">{t("search.log.searches")}</th>
                <th scope="col">{t("search.log.hits")}</th>
                <th scope="col">{t("search.log.last")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td dir="auto">
                    <a href={r.href}>{r.query}</a>
                  </td>
                  <td>{r.searches}</td>
                  <td>{r.hits}</td>
                  <td>{r.lastLabel}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function QueryLogPage(v: QueryLogView) {
  const { t } = v;
  return (
    <section>
      <h1>{t("search.log.title")}</h1>
      <p>{t("search.log.intro", { days: v.days })}</p>
      <form method="get" class="inline">
        <label for="f-days">{t("search.log.days")}</label>{" "}
        <select id="f-days" name="days">
          {v.dayOptions.map((d) => (
            <option value={String(d)} selected={d === v.days}>
              {t("search.log.days_option", { days: d })}
            </option>
          ))}
        </select>{" "}
        <button type="submit">{t("search.apply")}</button>
      </form>
      <Table t={t} rows={v.zero} caption={t("search.log.zero")} />
      <Table t={t} rows={v.top} caption={t("search.log.top")} />
    </section>
  );
}
