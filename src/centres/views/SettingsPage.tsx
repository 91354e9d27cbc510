import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";
import { PROVINCES, WEEKDAYS } from "../schemas.ts";
import { SPANS_PER_DAY, type CentreFormValues } from "../settingsForm.ts";

export interface SettingsView {
  t: Translate;
  csrf: string;
  code: string;
  values: CentreFormValues;
  errors: FieldErrors;
}

function TextField({
  name,
  label,
  view,
  type = "text",
  dir,
}: {
  name: string;
  label: string;
  view: SettingsView;
  type?: string;
  dir?: "rtl" | "ltr";
}) {
  return (
    <Field name={name} label={label} errors={view.errors}>
      <input {...inputProps(name, view.errors)} type={type} value={view.values[name] ?? ""} dir={dir} />
    </Field>
  );
}

export function SettingsPage(view: SettingsView) {
  const { t, errors, values } = view;
  return (
    <section>
      <h1>
        {t("centre.settings")} <span class="meta ltr">{view.code}</span>
      </h1>
      <ErrorSummary errors={errors} t={t} />
      <form class="stack" method="post" action={`/staff/centres/${encodeURIComponent(view.code)}`} novalidate>
        <CsrfInput token={view.csrf} />
        <TextField name="name_ur" label={t("centre.name_ur")} view={view} dir="rtl" />
        <TextField name="name_en" label={t("centre.name_en")} view={view} dir="ltr" />
        <TextField name="district" label={t("centre.district")} view={view} />
        <Field name="province" label={t("centre.province")} errors={errors}>
          <select {...inputProps("province", errors)}>
            {PROVINCES.map((p) => (
              <option value={p} selected={values.province === p}>
                {t(`province.${p}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field name="address" label={t("centre.address")} errors={errors}>
          <textarea {...inputProps("address", errors)} rows={2}>
            {values.address ?? ""}
          </textarea>
        </Field>
        <TextField name="time_zone" label={t("centre.time_zone")} view={view} dir="ltr" />
        <TextField name="phone" label={t("centre.phone")} view={view} type="tel" dir="ltr" />
        <TextField name="email" label={t("centre.email")} view={view} type="email" dir="ltr" />
        <fieldset>
          <legend>{t("centre.opening_hours")}</legend>
          <p class="hint meta">{t("centre.hours_hint")}</p>
          <div class="scroll">
            <table class="hours">
              <thead>
                <tr>
                  <th scope="col"></th>
                  {Array.from({ length: SPANS_PER_DAY }, (_, i) => (
                    <th scope="col" colSpan={2}>
                      {t("centre.span", { n: i + 1 })}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {WEEKDAYS.map((day) => (
                  <tr>
                    <th scope="row">{t(`weekday.${day}`)}</th>
                    {Array.from({ length: SPANS_PER_DAY }, (_, i) =>
                      (["opens", "closes"] as const).map((edge) => {
                        const name = `${day}_${i}_${edge}`;
                        return (
                          <td>
                            <input
                              {...inputProps(name, errors)}
                              type="time"
                              value={values[name] ?? ""}
                              aria-label={`${t(`weekday.${day}`)} ${t("centre.span", { n: i + 1 })} ${t(`centre.${edge}`)}`}
                            />
                            {errors[name] && (
                              <span class="err" id={`e-${name}`}>
                                {errors[name]}
                              </span>
                            )}
                          </td>
                        );
                      }),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>
        <Field
          name="exceptions"
          label={t("centre.exceptions")}
          errors={errors}
          hint={t("centre.exceptions_hint")}
        >
          <textarea {...inputProps("exceptions", errors, true)} rows={5} dir="ltr">
            {values.exceptions ?? ""}
          </textarea>
        </Field>
        <div>
          <button type="submit">{t("centre.save")}</button>
        </div>
      </form>
    </section>
  );
}
