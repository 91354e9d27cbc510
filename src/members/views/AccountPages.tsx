import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";

export function MemberLoginPage(v: {
  t: Translate;
  locale: string;
  csrf: string;
  next: string;
  login: string;
  problem: string | null;
  errors: FieldErrors;
}) {
  const { t } = v;
  return (
    <section>
      <h1>{t("account.login_title")}</h1>
      {v.problem && (
        <p class="notice bad" role="alert">
          {v.problem}
        </p>
      )}
      <form method="post" action={`/${v.locale}/account/login`} class="stack">
        <CsrfInput token={v.csrf} />
        <input type="hidden" name="next" value={v.next} />
        <ErrorSummary errors={v.errors} t={t} />
        <Field name="login" label={t("account.login")} errors={v.errors}>
          <input
            type="text"
            dir="ltr"
            autoComplete="username"
            value={v.login}
            maxLength={40}
            {...inputProps("login", v.errors)}
          />
        </Field>
        <Field name="pin" label={t("account.pin")} errors={v.errors}>
          <input
            type="password"
            dir="ltr"
            inputMode="numeric"
            autoComplete="current-password"
            maxLength={6}
            {...inputProps("pin", v.errors)}
          />
        </Field>
        <p>
          <button type="submit">{t("account.login_submit")}</button>
        </p>
      </form>
      <p class="meta">{t("account.forgot_pin")}</p>
      <p>
        <a href={`/${v.locale}/join`}>{t("account.join_link")}</a>
      </p>
    </section>
  );
}

export function AccountPage(v: {
  t: Translate;
  locale: string;
  csrf: string;
  number: string;
  /** The member's own photo (served only to them), or null without one. */
  photoSrc: string | null;
  facts: { label: string; value: string; ltr?: boolean }[];
}) {
  const { t } = v;
  return (
    <section>
      <h1>{t("account.title")}</h1>
      <p class="lead">
        <bdi dir="ltr">{v.number}</bdi>
      </p>
      {v.photoSrc && (
        <p>
          <img src={v.photoSrc} alt={t("account.photo_alt")} width={150} height={200} />
        </p>
      )}
      <table class="facts">
        <tbody>
          {v.facts.map((f) => (
            <tr>
              <th scope="row">{f.label}</th>
              <td dir={f.ltr ? "ltr" : "auto"}>{f.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href={`/${v.locale}/account/reservations`}>{t("account.reservations")}</a>
      </p>
      <p>
        <a class="button" href={`/${v.locale}/account/data.json`} download>
          {t("account.download")}
        </a>
      </p>
      <p class="meta">{t("account.erase_note")}</p>
      <form method="post" action={`/${v.locale}/account/logout`}>
        <CsrfInput token={v.csrf} />
        <button type="submit" class="linkish">
          {t("account.logout")}
        </button>
      </form>
    </section>
  );
}

export function JoinDonePage({ t, number }: { t: Translate; number: string }) {
  return (
    <section>
      <h1>{t("join.done_title")}</h1>
      <p class="notice ok" role="status">
        {t("join.done", { number })}
      </p>
    </section>
  );
}

export type { FieldErrors };
