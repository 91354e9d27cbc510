// A list of bookings with what may be done to each (mark arrived, cancel).

import type { Translate } from "../../i18n/index.ts";
import { ActionButton } from "../../ui/actionForm.tsx";

export interface ReservationItem {
  id: string;
  pc: string;
  date: string;
  time: string;
  who: string;
  status: string;
  canCancel: boolean;
  canClaim: boolean;
}

export function ReservationList({
  t,
  items,
  csrf,
  actionBase,
  showWho,
}: {
  t: Translate;
  items: ReservationItem[];
  csrf: string;
  actionBase: string;
  showWho: boolean;
}) {
  if (items.length === 0) return <p>{t("reserve.none")}</p>;
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">{t("reserve.col_date")}</th>
            <th scope="col">{t("reserve.col_time")}</th>
            <th scope="col">{t("reserve.col_pc")}</th>
            {showWho && <th scope="col">{t("reserve.col_who")}</th>}
            <th scope="col">{t("reserve.col_status")}</th>
            <th scope="col">{t("reserve.col_actions")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr>
              <td>
                <bdi dir="ltr">{r.date}</bdi>
              </td>
              <td>
                <bdi dir="ltr">{r.time}</bdi>
              </td>
              <td>
                <bdi>{r.pc}</bdi>
              </td>
              {showWho && (
                <td>
                  <bdi>{r.who}</bdi>
                </td>
              )}
              <td>{r.status}</td>
              <td>
                {r.canClaim && (
                  <ActionButton
                    action={`${actionBase}/${r.id}/claim`}
                    csrf={csrf}
                    layout="text"
                    label={t("reserve.claim")}
                  />
                )}{" "}
                {r.canCancel && (
                  <ActionButton
                    action={`${actionBase}/${r.id}/cancel`}
                    csrf={csrf}
                    layout="text"
                    quiet
                    label={t("reserve.cancel")}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
