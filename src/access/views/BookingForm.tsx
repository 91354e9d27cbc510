// The form that books a PC for a member: at the desk (with the member's number) or by the member.

import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";
import { Select, type Option } from "./Select.tsx";

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
