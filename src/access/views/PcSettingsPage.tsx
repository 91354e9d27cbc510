// The manager's PC settings: the PC register and agent tokens, allowances per category, bans and
// guest passes.

import type { Translate } from "../../i18n/index.ts";
import { ActionButton, ActionForm } from "../../ui/actionForm.tsx";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";

export interface PcSettingsView {
  t: Translate;
  csrf: string;
  pcs: { id: string; name: string; room: string; seen: string }[];
  token: { pc: string; token: string } | null;
  rules: { key: string; label: string; daily: number; weekly: number; session: number }[];
  bans: { id: string; member: string; until: string; note: string }[];
  passes: { codes: string[]; text: string } | null;
  errors: FieldErrors;
  values: Record<string, string>;
}

export function PcSettingsPage(v: PcSettingsView) {
  const { t } = v;
  return (
    <section>
      <h1>{t("pcs.settings")}</h1>
      <ErrorSummary errors={v.errors} t={t} />
      {v.token && (
        <div class="notice ok" role="status">
          <h2>{t("pcs.token_title", { pc: v.token.pc })}</h2>
          <p>{t("pcs.token_text")}</p>
          <pre dir="ltr">{v.token.token}</pre>
        </div>
      )}
      {v.passes && (
        <div class="notice ok" role="status">
          <p>{v.passes.text}</p>
          <ul class="codes" dir="ltr">
            {v.passes.codes.map((c) => (
              <li>{c}</li>
            ))}
          </ul>
        </div>
      )}
      <h2>{t("pcs.title")}</h2>
      <table>
        <tbody>
          {v.pcs.map((p) => (
            <tr>
              <th scope="row">
                <bdi dir="ltr">{p.name}</bdi>
              </th>
              <td>{p.room}</td>
              <td>{p.seen}</td>
              <td>
                <ActionButton
                  action={`/staff/pcs/${p.id}/token`}
                  csrf={v.csrf}
                  quiet
                  label={t("pcs.renew_token")}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t("pcs.add")}</h3>
      <form method="post" action="/staff/pcs" class="stack">
        <CsrfInput token={v.csrf} />
        <div class="row">
          <Field name="name" label={t("pcs.name")} errors={v.errors}>
            <input dir="ltr" maxLength={20} value={v.values.name ?? ""} {...inputProps("name", v.errors)} />
          </Field>
          <Field name="room" label={t("pcs.room")} errors={v.errors}>
            <select {...inputProps("room", v.errors)}>
              <option value="lounge">{t("pcs.room_lounge")}</option>
              <option value="lab" selected={v.values.room === "lab"}>
                {t("pcs.room_lab")}
              </option>
            </select>
          </Field>
          <Field name="min_age" label={t("pcs.min_age")} errors={v.errors}>
            <input
              type="number"
              min={1}
              max={99}
              value={v.values.min_age ?? ""}
              {...inputProps("min_age", v.errors)}
            />
          </Field>
        </div>
        <Field name="notes" label={t("pcs.notes")} errors={v.errors}>
          <input maxLength={200} value={v.values.notes ?? ""} {...inputProps("notes", v.errors)} />
        </Field>
        <p>
          <button type="submit">{t("pcs.add")}</button>
        </p>
      </form>

      <h2>{t("pcs.rules_title")}</h2>
      <p>{t("pcs.rules_text")}</p>
      <table>
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{t("pcs.daily")}</th>
            <th scope="col">{t("pcs.weekly")}</th>
            <th scope="col">{t("pcs.session")}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {v.rules.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td colSpan={4}>
                <ActionForm action={`/staff/pcs/rules/${r.key}`} csrf={v.csrf}>
                  <input
                    aria-label={t("pcs.daily")}
                    name="daily_minutes"
                    type="number"
                    min={5}
                    value={String(r.daily)}
                  />
                  <input
                    aria-label={t("pcs.weekly")}
                    name="weekly_minutes"
                    type="number"
                    min={5}
                    value={String(r.weekly)}
                  />
                  <input
                    aria-label={t("pcs.session")}
                    name="session_minutes"
                    type="number"
                    min={5}
                    value={String(r.session)}
                  />
                  <button type="submit">{t("pcs.save")}</button>
                </ActionForm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t("pcs.bans_title")}</h2>
      {v.bans.length === 0 ? (
        <p>{t("pcs.no_bans")}</p>
      ) : (
        <table>
          <tbody>
            {v.bans.map((b) => (
              <tr>
                <th scope="row">
                  <bdi dir="ltr">{b.member}</bdi>
                </th>
                <td>{b.until}</td>
                <td dir="auto">{b.note}</td>
                <td>
                  <ActionButton
                    action={`/staff/pcs/bans/${b.id}/lift`}
                    csrf={v.csrf}
                    quiet
                    label={t("pcs.ban_lift")}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action="/staff/pcs/bans" class="stack">
        <CsrfInput token={v.csrf} />
        <div class="row">
          <Field name="member" label={t("pcs.ban_member")} errors={v.errors}>
            <input
              dir="ltr"
              maxLength={40}
              value={v.values.member ?? ""}
              {...inputProps("member", v.errors)}
            />
          </Field>
          <Field name="until" label={t("pcs.ban_until")} errors={v.errors}>
            <input type="date" value={v.values.until ?? ""} {...inputProps("until", v.errors)} />
          </Field>
        </div>
        <Field name="note" label={t("pcs.ban_note")} errors={v.errors}>
          <input maxLength={300} value={v.values.note ?? ""} {...inputProps("note", v.errors)} />
        </Field>
        <p>
          <button type="submit">{t("pcs.ban_add")}</button>
        </p>
      </form>

      <h2>{t("pcs.passes_title")}</h2>
      <ActionForm action="/staff/pcs/passes" csrf={v.csrf}>
        <Field name="count" label={t("pcs.passes_count")} errors={v.errors}>
          <input
            type="number"
            min={1}
            max={50}
            value={v.values.count ?? "5"}
            {...inputProps("count", v.errors)}
          />
        </Field>
        <Field name="minutes" label={t("pcs.passes_minutes")} errors={v.errors}>
          <input
            type="number"
            min={5}
            max={240}
            value={v.values.minutes ?? "30"}
            {...inputProps("minutes", v.errors)}
          />
        </Field>
        <button type="submit">{t("pcs.passes_issue")}</button>
      </ActionForm>
    </section>
  );
}
