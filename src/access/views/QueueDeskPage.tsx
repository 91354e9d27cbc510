// The walk-in queue's desk page (inside the staff layout): issue a ticket, call the next one to a
// free PC, and the open calls and waiting tickets with what may be done to each.

import type { Translate } from "../../i18n/index.ts";
import { ActionButton } from "../../ui/actionForm.tsx";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";
import { Select, type Option } from "./Select.tsx";

export interface QueueDeskView {
  t: Translate;
  csrf: string;
  dayLabel: string;
  claimMinutes: number;
  pcs: Option[];
  calls: { id: string; number: number; pc: string; calledAt: string; expired: boolean }[];
  waiting: { id: string; number: number; since: string; who: string }[];
  form: "ticket" | "call" | null;
  values: Record<string, string>;
  errors: FieldErrors;
  displayHref: string;
  ticketHref: string;
}

export function QueueDeskPage(v: QueueDeskView) {
  const { t } = v;
  const errorsOf = (form: QueueDeskView["form"]) => (v.form === form ? v.errors : {});
  const ticketErrors = errorsOf("ticket");
  const callErrors = errorsOf("call");
  return (
    <section>
      <h1>{t("queue.desk_title")}</h1>
      <p>
        {v.dayLabel} · <a href={v.displayHref}>{t("queue.open_display")}</a> ·{" "}
        <a href={v.ticketHref}>{t("queue.open_ticket_screen")}</a> ·{" "}
        <a href="/staff/reservations">{t("reserve.desk_title")}</a>
      </p>
      <div class="row">
        <div class="panel">
          <h2>{t("queue.issue_title")}</h2>
          <form method="post" action="/staff/queue/tickets" class="stack" novalidate>
            <CsrfInput token={v.csrf} />
            <ErrorSummary t={t} errors={ticketErrors} />
            <Field
              name="member_no"
              label={t("queue.member_no")}
              errors={ticketErrors}
              hint={t("queue.member_no_hint")}
            >
              <input
                {...inputProps("member_no", ticketErrors, true)}
                type="text"
                dir="ltr"
                autoComplete="off"
                maxLength={40}
                value={v.form === "ticket" ? (v.values.member_no ?? "") : ""}
              />
            </Field>
            <p>
              <button type="submit">{t("queue.issue_submit")}</button>
            </p>
          </form>
        </div>
        <div class="panel">
          <h2>{t("queue.call_title")}</h2>
          <form method="post" action="/staff/queue/call" class="stack" novalidate>
            <CsrfInput token={v.csrf} />
            <ErrorSummary t={t} errors={callErrors} />
            <Field name="pc_id" label={t("queue.pc")} errors={callErrors}>
              <Select
                name="pc_id"
                options={v.pcs}
                value={v.form === "call" ? v.values.pc_id : undefined}
                errors={callErrors}
              />
            </Field>
            <p>
              <button type="submit">{t("queue.call_submit")}</button>
            </p>
          </form>
        </div>
      </div>

      <h2>{t("queue.calls_title")}</h2>
      <p>{t("queue.claim_rule", { minutes: v.claimMinutes })}</p>
      {v.calls.length === 0 ? (
        <p>{t("queue.no_calls")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("queue.col_number")}</th>
              <th scope="col">{t("queue.col_pc")}</th>
              <th scope="col">{t("queue.col_called")}</th>
              <th scope="col">{t("reserve.col_actions")}</th>
            </tr>
          </thead>
          <tbody>
            {v.calls.map((c) => (
              <tr>
                <td>
                  <strong>{c.number}</strong>
                </td>
                <td>
                  <bdi>{c.pc}</bdi>
                </td>
                <td>
                  <bdi dir="ltr">{c.calledAt}</bdi>
                  {c.expired && <> ({t("queue.call_lapsed")})</>}
                </td>
                <td>
                  <ActionButton
                    action={`/staff/queue/${c.id}/claim`}
                    csrf={v.csrf}
                    layout="text"
                    label={t("queue.claim")}
                  />{" "}
                  <ActionButton
                    action={`/staff/queue/${c.id}/cancel`}
                    csrf={v.csrf}
                    layout="text"
                    quiet
                    label={t("queue.cancel")}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t("queue.waiting_title", { count: v.waiting.length })}</h2>
      {v.waiting.length === 0 ? (
        <p>{t("queue.nobody_waiting")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("queue.col_number")}</th>
              <th scope="col">{t("queue.col_since")}</th>
              <th scope="col">{t("queue.col_who")}</th>
              <th scope="col">{t("reserve.col_actions")}</th>
            </tr>
          </thead>
          <tbody>
            {v.waiting.map((w) => (
              <tr>
                <td>
                  <strong>{w.number}</strong>
                </td>
                <td>
                  <bdi dir="ltr">{w.since}</bdi>
                </td>
                <td>
                  <bdi>{w.who}</bdi>
                </td>
                <td>
                  <ActionButton
                    action={`/staff/queue/${w.id}/cancel`}
                    csrf={v.csrf}
                    layout="text"
                    quiet
                    label={t("queue.cancel")}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
