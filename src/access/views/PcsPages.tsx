import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";
import type { PcGridRow } from "../grid.ts";

export function minutesLeft(endsAt: string | null, now: Date): number | null {
  return endsAt ? Math.max(0, Math.ceil((Date.parse(endsAt) - now.getTime()) / 60000)) : null;
}

function Action({
  action,
  csrf,
  children,
}: {
  action: string;
  csrf: string;
  children: preact.ComponentChildren;
}) {
  return (
    <form method="post" action={action} class="inline-form">
      <CsrfInput token={csrf} />
      {children}
    </form>
  );
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
                <Action action={`${base}/start`} csrf={csrf}>
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
                </Action>
              )}
              {r.session_id && (
                <>
                  <Action action={`/staff/pcs/sessions/${r.session_id}/extend`} csrf={csrf}>
                    <button type="submit">{t("pcs.extend")}</button>
                  </Action>
                  <Action action={`/staff/pcs/sessions/${r.session_id}/end`} csrf={csrf}>
                    <button type="submit">{t("pcs.end")}</button>
                  </Action>
                  {hasFree && (
                    <Action action={`/staff/pcs/sessions/${r.session_id}/move`} csrf={csrf}>
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
                    </Action>
                  )}
                </>
              )}
              <Action action={`${base}/message`} csrf={csrf}>
                <label class="visually-hidden" for={`msg-${r.id}`}>
                  {t("pcs.message")}
                </label>
                <input id={`msg-${r.id}`} name="text" maxLength={200} placeholder={t("pcs.message")} />
                <button type="submit" class="linkish">
                  {t("pcs.send")}
                </button>
              </Action>
              <Action action={`${base}/status`} csrf={csrf}>
                <input type="hidden" name="out_of_order" value={r.state === "out_of_order" ? "0" : "1"} />
                <button type="submit" class="linkish">
                  {r.state === "out_of_order" ? t("pcs.back_in_service") : t("pcs.out_of_order")}
                </button>
              </Action>
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
                <form method="post" action={`/staff/pcs/${p.id}/token`} class="inline-form">
                  <CsrfInput token={v.csrf} />
                  <button type="submit" class="linkish">
                    {t("pcs.renew_token")}
                  </button>
                </form>
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
                <form method="post" action={`/staff/pcs/rules/${r.key}`} class="inline-form">
                  <CsrfInput token={v.csrf} />
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
                </form>
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
                  <form method="post" action={`/staff/pcs/bans/${b.id}/lift`} class="inline-form">
                    <CsrfInput token={v.csrf} />
                    <button type="submit" class="linkish">
                      {t("pcs.ban_lift")}
                    </button>
                  </form>
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
      <form method="post" action="/staff/pcs/passes" class="inline-form">
        <CsrfInput token={v.csrf} />
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
      </form>
    </section>
  );
}
