// Reservation pages: the desk's day grid with booking, class and settings forms, and a member's
// own bookings. Views get translated, formatted values only; they never see requests or rows.

import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";
import { BookingForm } from "./BookingForm.tsx";
import { ClassBookingForm } from "./ClassBookingForm.tsx";
import { DayGrid, type GridView } from "./DayGrid.tsx";
import { ReservationList, type ReservationItem } from "./ReservationList.tsx";
import type { Option } from "./Select.tsx";

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
          <ClassBookingForm
            t={t}
            csrf={v.csrf}
            day={v.day}
            labPcs={v.labPcs}
            durations={v.classDurations}
            values={valuesOf("class")}
            errors={errorsOf("class")}
            chosenLab={v.chosenLab}
            fresh={!v.form}
          />
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
