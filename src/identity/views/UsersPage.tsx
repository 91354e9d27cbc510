import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";

export interface UserRow {
  username: string;
  name: string;
  role: string;
  centre: string;
  lastLogin: string;
  locked: boolean;
}

export interface UsersView {
  t: Translate;
  csrf: string;
  rows: UserRow[];
  roles: { value: string; label: string }[];
  centres: { value: string; label: string }[] | null;
  values: Record<string, string>;
  errors: FieldErrors;
}

export function UsersPage(v: UsersView) {
  const { t } = v;
  return (
    <section>
      <h1>{t("users.title")}</h1>
      {v.rows.length === 0 ? (
        <p>{t("users.none")}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("label.username")}</th>
                <th scope="col">{t("label.display_name")}</th>
                <th scope="col">{t("label.role")}</th>
                <th scope="col">{t("label.centre")}</th>
                <th scope="col">{t("users.last_login")}</th>
                <th scope="col"></th>
              </tr>
            </thead>
            <tbody>
              {v.rows.map((r) => (
                <tr>
                  <td class="ltr">{r.username}</td>
                  <td dir="auto">{r.name}</td>
                  <td>{r.role}</td>
                  <td>{r.centre}</td>
                  <td>
                    {r.lastLogin}
                    {r.locked && <strong> · {t("users.locked")}</strong>}
                  </td>
                  <td>
                    <form method="post" action="/staff/users/reset" class="inline-form">
                      <CsrfInput token={v.csrf} />
                      <input type="hidden" name="username" value={r.username} />
                      <button type="submit">{t("users.reset")}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t("users.new")}</h2>
      <ErrorSummary errors={v.errors} t={t} />
      <form class="stack" method="post" action="/staff/users" novalidate>
        <CsrfInput token={v.csrf} />
        <Field name="username" label={t("label.username")} errors={v.errors}>
          <input
            {...inputProps("username", v.errors)}
            type="text"
            dir="ltr"
            autocapitalize="none"
            value={v.values.username ?? ""}
          />
        </Field>
        <Field name="display_name" label={t("label.display_name")} errors={v.errors}>
          <input
            {...inputProps("display_name", v.errors)}
            type="text"
            dir="auto"
            value={v.values.display_name ?? ""}
          />
        </Field>
        <Field name="role" label={t("label.role")} errors={v.errors}>
          <select {...inputProps("role", v.errors)}>
            {v.roles.map((r) => (
              <option value={r.value} selected={v.values.role === r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
        {v.centres && (
          <Field name="centre" label={t("label.centre")} errors={v.errors}>
            <select {...inputProps("centre", v.errors)}>
              {v.centres.map((c) => (
                <option value={c.value} selected={v.values.centre === c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
        )}
        <div>
          <button type="submit">{t("users.create")}</button>
        </div>
      </form>
    </section>
  );
}
