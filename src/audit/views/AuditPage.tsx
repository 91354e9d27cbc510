import type { Translate } from "../../i18n/index.ts";

export interface AuditRowView {
  when: string;
  isoWhen: string;
  who: string;
  action: string;
  record: string;
  from: string;
}

export function AuditPage({
  t,
  rows,
  newer,
  older,
}: {
  t: Translate;
  rows: AuditRowView[];
  newer: string | null;
  older: string | null;
}) {
  return (
    <section>
      <h1>{t("audit.title")}</h1>
      {rows.length === 0 ? (
        <p>{t("audit.empty")}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("audit.when")}</th>
                <th scope="col">{t("audit.who")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.record")}</th>
                <th scope="col">{t("audit.from")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <time dateTime={r.isoWhen}>{r.when}</time>
                  </td>
                  <td class="ltr">{r.who}</td>
                  <td class="ltr">{r.action}</td>
                  <td class="ltr">{r.record}</td>
                  <td class="ltr">{r.from}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        {newer && <a href={newer}>{t("audit.newer")}</a>} {older && <a href={older}>{t("audit.older")}</a>}
      </p>
    </section>
  );
}
