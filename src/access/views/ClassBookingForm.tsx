// The desk's form that block-books lab PCs for a class.

import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";
import { Select, type Option } from "./Select.tsx";

export interface ClassBookingFormView {
  t: Translate;
  csrf: string;
  /** The day shown, the date's default. */
  day: string;
  labPcs: Option[];
  durations: Option[];
  values: Record<string, string>;
  errors: FieldErrors;
  /** Chosen lab PCs on a form sent back. */
  chosenLab: string[];
  /** No form was sent yet: "all lab PCs" starts ticked. */
  fresh: boolean;
}

export function ClassBookingForm(v: ClassBookingFormView) {
  const { t } = v;
  return (
    <form method="post" action="/staff/reservations/class" class="stack" id="class" novalidate>
      <CsrfInput token={v.csrf} />
      <ErrorSummary t={t} errors={v.errors} />
      <Field name="title" label={t("reserve.class_name")} errors={v.errors}>
        <input
          {...inputProps("title", v.errors)}
          type="text"
          maxLength={120}
          value={v.values.title ?? ""}
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
                  checked={v.values.all_lab === "1" || v.fresh}
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
        {v.errors.pc_ids && (
          <p class="err" id="e-pc_ids" role="alert">
            {v.errors.pc_ids}
          </p>
        )}
      </fieldset>
      <Field name="date" label={t("reserve.date")} errors={v.errors}>
        <input {...inputProps("date", v.errors)} type="date" value={v.values.date ?? v.day} required />
      </Field>
      <Field name="start" label={t("reserve.start")} errors={v.errors}>
        <input
          {...inputProps("start", v.errors)}
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
        <button type="submit">{t("reserve.class_submit")}</button>
      </p>
    </form>
  );
}
