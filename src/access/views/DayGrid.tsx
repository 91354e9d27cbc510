// The reservation grid: PCs across, slots down; free cells link to the booking form filled in.

import type { Translate } from "../../i18n/index.ts";

export type GridCell =
  | { kind: "free"; href: string | null }
  | { kind: "taken"; label: string; klass: boolean }
  | { kind: "unavailable" };

export interface GridView {
  pcs: { id: string; name: string; note: string }[];
  rows: { time: string; cells: GridCell[] }[];
}

/** PCs across, slots down: free cells link to the booking form filled in. */
export function DayGrid({ t, grid, caption }: { t: Translate; grid: GridView; caption: string }) {
  if (grid.rows.length === 0) return <p>{t("reserve.closed_day")}</p>;
  if (grid.pcs.length === 0) return <p>{t("reserve.no_pcs")}</p>;
  return (
    <div class="scroll">
      <table class="reserve-grid">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("reserve.col_time")}</th>
            {grid.pcs.map((p) => (
              <th scope="col">
                <bdi>{p.name}</bdi>
                {p.note && (
                  <>
                    <br />
                    <small>{p.note}</small>
                  </>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.rows.map((row) => (
            <tr>
              <th scope="row">
                <bdi dir="ltr">{row.time}</bdi>
              </th>
              {row.cells.map((c) =>
                c.kind === "free" ? (
                  <td>{c.href ? <a href={c.href}>{t("reserve.free")}</a> : t("reserve.free")}</td>
                ) : c.kind === "taken" ? (
                  <td>{c.klass ? <strong>{c.label}</strong> : <mark>{c.label}</mark>}</td>
                ) : (
                  <td>—</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
