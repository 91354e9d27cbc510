import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";

export interface LoginView {
  t: Translate;
  csrf: string;
  next: string;
  username: string;
  errors: FieldErrors;
  problem: string | null;
}

export function LoginPage({ t, csrf, next, username, errors, problem }: LoginView) {
  return (
    <section>
      <h1>{t("login.title")}</h1>
      {problem && (
        <p class="notice bad" role="alert">
          {problem}
        </p>
      )}
      <ErrorSummary errors={errors} t={t} />
      <form class="stack" method="post" action="/staff/login" novalidate>
        <CsrfInput token={csrf} />
        <input type="hidden" name="next" value={next} />
        <Field name="username" label={t("login.username")} errors={errors}>
          <input
            {...inputProps("username", errors)}
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            dir="ltr"
            required
            value={username}
          />
        </Field>
        <Field name="password" label={t("login.password")} errors={errors}>
          <input
            {...inputProps("password", errors)}
            type="password"
            autocomplete="current-password"
            dir="ltr"
            required
          />
        </Field>
        <div>
          <button type="submit">{t("login.submit")}</button>
        </div>
      </form>
    </section>
  );
}
