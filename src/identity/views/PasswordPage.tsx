import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";

export function PasswordPage({
  t,
  csrf,
  errors,
  minLength,
}: {
  t: Translate;
  csrf: string;
  errors: FieldErrors;
  minLength: number;
}) {
  return (
    <section>
      <h1>{t("password.title")}</h1>
      <ErrorSummary errors={errors} t={t} />
      <form class="stack" method="post" action="/staff/password" novalidate>
        <CsrfInput token={csrf} />
        <Field name="current_password" label={t("password.current")} errors={errors}>
          <input
            {...inputProps("current_password", errors)}
            type="password"
            autocomplete="current-password"
            dir="ltr"
            required
          />
        </Field>
        <Field
          name="new_password"
          label={t("password.new")}
          errors={errors}
          hint={t("password.new_hint", { min: minLength })}
        >
          <input
            {...inputProps("new_password", errors, true)}
            type="password"
            autocomplete="new-password"
            dir="ltr"
            minLength={minLength}
            required
          />
        </Field>
        <Field name="confirm_password" label={t("password.confirm")} errors={errors}>
          <input
            {...inputProps("confirm_password", errors)}
            type="password"
            autocomplete="new-password"
            dir="ltr"
            required
          />
        </Field>
        <div>
          <button type="submit">{t("password.submit")}</button>
        </div>
      </form>
    </section>
  );
}
