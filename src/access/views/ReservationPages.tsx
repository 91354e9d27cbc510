// Reservation pages: the desk's day grid with booking, class and settings forms, and a member's
// own bookings. Views get translated, formatted values only; they never see requests or rows.

import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";

export type GridCell =
  | { kind: "free"; href: string | null }
  | { kind: "taken"; label: string; klass: boolean }
  | { kind: "unavailable" };

export interface GridView {
  pcs: { id: string; name: string; note: string }[];
  rows: { time: string; cells: GridCell[] }[];
}

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

export interface Option {
  value: string;
  label: string;
}

function Select({
  name,
  options,
  value,
  errors,
}: {
  name: string;
  options: Option[];
  value: string | undefined;
  errors: FieldErrors;
}) {
  return (
    <select {...inputProps(name, errors)}>
      {options.map((o) => (
        <option value={o.value} selected={o.value === value}>
          {o.label}
        </option>
      ))}
    </select>
  );
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

function ReservationList({
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
                  <form class="inline" method="post" action={`${actionBase}/${r.id}/claim`}>
                    <CsrfInput token={csrf} />
                    <button type="submit">{t("reserve.claim")}</button>
                  </form>
                )}{" "}
                {r.canCancel && (
                  <form class="inline" method="post" action={`${actionBase}/${r.id}/cancel`}>
                    <CsrfInput token={csrf} />
                    <button type="submit" class="linkish">
                      {t("reserve.cancel")}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface BookingFormView {
  t: Translate;
  action: string;
  csrf: string;
  values: Record<string, string>;
  errors: FieldErrors;
  pcs: Option[];
  durations: Option[];
  /** The desk types a member number; a member books for themselves. */
  withMember: boolean;
  dates: Option[] | null;
  submit: string;
}

export function BookingForm(v: BookingFormView) {
  const { t } = v;
  return (
    <form method="post" action={v.action} class="stack" id="book" novalidate>
      <CsrfInput token={v.csrf} />
      <ErrorSummary t={t} errors={v.errors} />
      {v.withMember && (
        <Field name="member_no" label={t("reserve.member_no")} errors={v.errors}>
          <input
            {...inputProps("member_no", v.errors)}
            type="text"
            dir="ltr"
            autoComplete="off"
            maxLength={40}
            value={v.values.member_no ?? ""}
            required
          />
        </Field>
      )}
      <Field name="pc_id" label={t("reserve.pc")} errors={v.errors}>
        <Select name="pc_id" options={v.pcs} value={v.values.pc_id} errors={v.errors} />
      </Field>
      <Field name="date" label={t("reserve.date")} errors={v.errors}>
        {v.dates ? (
          <Select name="date" options={v.dates} value={v.values.date} errors={v.errors} />
        ) : (
          <input {...inputProps("date", v.errors)} type="date" value={v.values.date ?? ""} required />
        )}
      </Field>
      <Field name="start" label={t("reserve.start")} errors={v.errors} hint={t("reserve.start_hint")}>
        <input
          {...inputProps("start", v.errors, true)}
          type="time"
          step={900}
          value={v.values.start ?? ""}
          required
        />
      </Field>
      <Field name="minutes" label={t("reserve.minutes")} errors={v.errors}>
        <Select name="minutes" options={v.durations} value={v.values.minutes} errors={v.errors} />
      </Field>
      <p>
        <button type="submit">{v.submit}</button>
      </p>
    </form>
  );
}

export interface DeskReservationsView {
  t: Translate;
  csrf: string;
  day: string;
  dayLabel: string;
  previousHref: string;
  nextHref: string;
  grid: GridView;
  items: ReservationItem[];
  pcs: Option[];
  labPcs: Option[];
  durations: Option[];
  classDurations: Option[];
  form: "book" | "class" | "settings" | null;
  values: Record<string, string>;
  /** Chosen lab PCs on a class form sent back. */
  chosenLab: string[];
  errors: FieldErrors;
  /** Present for managers only. */
  settings: { key: string; label: string; value: string; hint: string }[] | null;
}

export function DeskReservationsPage(v: DeskReservationsView) {
  const { t } = v;
  const errorsOf = (form: DeskReservationsView["form"]) => (v.form === form ? v.errors : {});
  const valuesOf = (form: DeskReservationsView["form"]) => (v.form === form ? v.values : {});
  const classErrors = errorsOf("class");
  const classValues = valuesOf("class");
  return (
    <section>
      <h1>{t("reserve.desk_title")}</h1>
      <p>
        <a href="/staff/queue">{t("queue.desk_title")}</a>
      </p>
      <form method="get" action="/staff/reservations" class="inline-form">
        <p class="field">
          <label for="f-day">{t("reserve.day")}</label>
          <input id="f-day" name="day" type="date" value={v.day} />
        </p>
        <button type="submit">{t("reserve.show_day")}</button>{" "}
        <a href={v.previousHref}>{t("reserve.previous_day")}</a> ·{" "}
        <a href={v.nextHref}>{t("reserve.next_day")}</a>
      </form>
      <DayGrid t={t} grid={v.grid} caption={v.dayLabel} />

      <h2>{t("reserve.day_list")}</h2>
      <ReservationList t={t} items={v.items} csrf={v.csrf} actionBase="/staff/reservations" showWho />

      <div class="row">
        <div class="panel">
          <h2>{t("reserve.book_title")}</h2>
          <BookingForm
            t={t}
            action="/staff/reservations"
            csrf={v.csrf}
            values={{ date: v.day, ...valuesOf("book") }}
            errors={errorsOf("book")}
            pcs={v.pcs}
            durations={v.durations}
            withMember
            dates={null}
            submit={t("reserve.book_submit")}
          />
        </div>
        <div class="panel">
          <h2>{t("reserve.class_title")}</h2>
          <p>{t("reserve.class_text")}</p>
          <form method="post" action="/staff/reservations/class" class="stack" id="class" novalidate>
            <CsrfInput token={v.csrf} />
            <ErrorSummary t={t} errors={classErrors} />
            <Field name="title" label={t("reserve.class_name")} errors={classErrors}>
              <input
                {...inputProps("title", classErrors)}
                type="text"
                maxLength={120}
                value={classValues.title ?? ""}
                required
              />
            </Field>
            <fieldset>
              <legend>{t("reserve.class_pcs")}</legend>
              {v.labPcs.length === 0 ? (
                <p>{t("reserve.no_lab")}</p>
              ) : (
                <>
                  <p>
                    <label>
                      <input
                        type="checkbox"
                        name="all_lab"
                        value="1"
                        checked={classValues.all_lab === "1" || !v.form}
                      />{" "}
                      {t("reserve.class_all")}
                    </label>
                  </p>
                  {v.labPcs.map((p) => (
                    <p>
                      <label>
                        <input
                          type="checkbox"
                          name="pc_ids"
                          value={p.value}
                          checked={v.chosenLab.includes(p.value)}
                        />{" "}
                        <bdi>{p.label}</bdi>
                      </label>
                    </p>
                  ))}
                </>
              )}
              {classErrors.pc_ids && (
                <p class="err" id="e-pc_ids" role="alert">
                  {classErrors.pc_ids}
                </p>
              )}
            </fieldset>
            <Field name="date" label={t("reserve.date")} errors={classErrors}>
              <input
                {...inputProps("date", classErrors)}
                type="date"
                value={classValues.date ?? v.day}
                required
              />
            </Field>
            <Field name="start" label={t("reserve.start")} errors={classErrors}>
              <input
                {...inputProps("start", classErrors)}
                type="time"
                step={900}
                value={classValues.start ?? ""}
                required
              />
            </Field>
            <Field name="minutes" label={t("reserve.minutes")} errors={classErrors}>
              <Select
                name="minutes"
                options={v.classDurations}
                value={classValues.minutes}
                errors={classErrors}
              />
            </Field>
            <p>
              <button type="submit">{t("reserve.class_submit")}</button>
            </p>
          </form>
        </div>
      </div>

      {v.settings && (
        <>
          <h2 id="settings">{t("reserve.settings_title")}</h2>
          <form method="post" action="/staff/reservations/settings" class="stack" novalidate>
            <CsrfInput token={v.csrf} />
            <ErrorSummary t={t} errors={errorsOf("settings")} />
            {v.settings.map((s) => (
              <Field name={s.key} label={s.label} errors={errorsOf("settings")} hint={s.hint}>
                <input
                  {...inputProps(s.key, errorsOf("settings"), true)}
                  type="number"
                  inputMode="numeric"
                  value={valuesOf("settings")[s.key] ?? s.value}
                  required
                />
              </Field>
            ))}
            <p>
              <button type="submit">{t("reserve.settings_save")}</button>
            </p>
          </form>
        </>
      )}
    </section>
  );
}

export interface MemberReservationsView {
  t: Translate;
  locale: "ur" | "en";
  csrf: string;
  items: ReservationItem[];
  day: string;
  dayLabel: string;
  dates: Option[];
  grid: GridView;
  pcs: Option[];
  durations: Option[];
  values: Record<string, string>;
  errors: FieldErrors;
  rulesText: string;
}

export function MemberReservationsPage(v: MemberReservationsView) {
  const { t } = v;
  const base = `/${v.locale}/account/reservations`;
  return (
    <section>
      <h1>{t("reserve.mine_title")}</h1>
      <p>
        <a href={`/${v.locale}/account`}>{t("account.title")}</a>
      </p>
      <ReservationList t={t} items={v.items} csrf={v.csrf} actionBase={base} showWho={false} />
      <h2>{t("reserve.book_title")}</h2>
      <p>{v.rulesText}</p>
      <form method="get" action={base} class="inline-form">
        <p class="field">
          <label for="f-day">{t("reserve.day")}</label>
          <select id="f-day" name="day">
            {v.dates.map((d) => (
              <option value={d.value} selected={d.value === v.day}>
                {d.label}
              </option>
            ))}
          </select>
        </p>
        <button type="submit">{t("reserve.show_day")}</button>
      </form>
      <DayGrid t={t} grid={v.grid} caption={v.dayLabel} />
      <BookingForm
        t={t}
        action={base}
        csrf={v.csrf}
        values={{ date: v.day, ...v.values }}
        errors={v.errors}
        pcs={v.pcs}
        durations={v.durations}
        withMember={false}
        dates={v.dates}
        submit={t("reserve.book_submit")}
      />
    </section>
  );
}
