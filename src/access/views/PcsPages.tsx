// The front desk's live PC grid: every PC's state, who is on it, time left, and its actions.

import type { Translate } from "../../i18n/index.ts";
import { ActionButton, ActionForm } from "../../ui/actionForm.tsx";
import type { PcGridRow } from "../grid.ts";

export function minutesLeft(endsAt: string | null, now: Date): number | null {
  return endsAt ? Math.max(0, Math.ceil((Date.parse(endsAt) - now.getTime()) / 60000)) : null;
}

/** The grid's rows: rendered here for the page, and again for the live update. */
export function PcRows({ t, csrf, rows, now }: { t: Translate; csrf: string; rows: PcGridRow[]; now: Date }) {
  const hasFree = rows.some((r) => r.state === "free");
  return (
    <>
      {rows.map((r) => {
        const left = minutesLeft(r.ends_at, now);
        const base = `/staff/pcs/${r.id}`;
        return (
          <tr id={`pc-${r.id}`} data-state={r.state}>
            <th scope="row">
              <bdi dir="ltr">{r.name}</bdi>
              <div class="meta">{t(`pcs.room_${r.room}`)}</div>
            </th>
            <td>
              <span class={`pill ${r.state}`}>{t(`pcs.state_${r.state}`)}</span>
            </td>
            <td>{r.who === "guest" ? t("pcs.guest") : (r.who ?? "")}</td>
            <td data-ends={r.ends_at ?? undefined}>
              {left === null ? "" : t("pcs.minutes_left", { minutes: left })}
            </td>
            <td>
              {(r.state === "free" || r.state === "reserved") && (
                <ActionForm action={`${base}/start`} csrf={csrf}>
                  <label class="visually-hidden" for={`who-${r.id}`}>
                    {t("pcs.start_label")}
                  </label>
                  <input
                    id={`who-${r.id}`}
                    name="who"
                    dir="ltr"
                    maxLength={60}
                    placeholder={t("pcs.start_label")}
                    autoComplete="off"
                  />
                  <button type="submit">{t("pcs.start")}</button>
                </ActionForm>
              )}
              {r.session_id && (
                <>
                  <ActionButton
                    action={`/staff/pcs/sessions/${r.session_id}/extend`}
                    csrf={csrf}
                    label={t("pcs.extend")}
                  />
                  <ActionButton
                    action={`/staff/pcs/sessions/${r.session_id}/end`}
                    csrf={csrf}
                    label={t("pcs.end")}
                  />
                  {hasFree && (
                    <ActionForm action={`/staff/pcs/sessions/${r.session_id}/move`} csrf={csrf}>
                      <label class="visually-hidden" for={`to-${r.id}`}>
                        {t("pcs.move")}
                      </label>
                      {/* A PC name typed, not a list of every free PC: the grid stays small. */}
                      <input
                        id={`to-${r.id}`}
                        name="to"
                        dir="ltr"
                        maxLength={20}
                        size={7}
                        placeholder="PC-02"
                      />
                      <button type="submit" class="linkish">
                        {t("pcs.move")}
                      </button>
                    </ActionForm>
                  )}
                </>
              )}
              <ActionForm action={`${base}/message`} csrf={csrf}>
                <label class="visually-hidden" for={`msg-${r.id}`}>
                  {t("pcs.message")}
                </label>
                <input id={`msg-${r.id}`} name="text" maxLength={200} placeholder={t("pcs.message")} />
                <button type="submit" class="linkish">
                  {t("pcs.send")}
                </button>
              </ActionForm>
              <ActionButton
                action={`${base}/status`}
                csrf={csrf}
                hidden={{ out_of_order: r.state === "out_of_order" ? "0" : "1" }}
                quiet
                label={r.state === "out_of_order" ? t("pcs.back_in_service") : t("pcs.out_of_order")}
              />
            </td>
          </tr>
        );
      })}
    </>
  );
}

export function PcsPage(v: {
  t: Translate;
  csrf: string;
  rows: PcGridRow[];
  now: Date;
  canManage: boolean;
  problem: string | null;
}) {
  const { t } = v;
  return (
    <section>
      <h1>{t("pcs.title")}</h1>
      <noscript>
        <meta http-equiv="refresh" content="15" />
      </noscript>
      {v.problem && (
        <p class="notice bad" role="alert">
          {v.problem}
        </p>
      )}
      <p>
        <a href="/staff/pcs">{t("pcs.refresh")}</a>
        {v.canManage && (
          <>
            {" · "}
            <a href="/staff/pcs/settings">{t("pcs.settings")}</a>
          </>
        )}
      </p>
      {v.rows.length === 0 ? (
        <p>{t("pcs.none")}</p>
      ) : (
        <div class="scroll">
          <table class="pcs" data-live="/staff/pcs/events" data-now={v.now.toISOString()}>
            <thead>
              <tr>
                <th scope="col">{t("pcs.col_pc")}</th>
                <th scope="col">{t("pcs.col_state")}</th>
                <th scope="col">{t("pcs.col_who")}</th>
                <th scope="col">{t("pcs.col_left")}</th>
                <th scope="col">{t("pcs.col_actions")}</th>
              </tr>
            </thead>
            <tbody id="pc-rows" data-minutes={t("pcs.minutes_left", { minutes: 0 }).replace("0", "{m}")}>
              <PcRows t={t} csrf={v.csrf} rows={v.rows} now={v.now} />
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
