import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";
import { PhotoPanel } from "./PhotoPanel.tsx";

export interface MemberRowView {
  href: string;
  number: string;
  name: string;
  cnic: string;
  phone: string;
  category: string;
  status: string;
  registered: string;
}

export function MemberListPage(v: {
  t: Translate;
  q: string;
  status: string;
  rows: MemberRowView[];
  canManage: boolean;
  next: string | null;
  previous: string | null;
}) {
  const { t } = v;
  return (
    <section>
      <h1>{t("members.title")}</h1>
      <p>
        <a class="button" href="/staff/members/new">
          {t("members.register")}
        </a>{" "}
        {v.canManage && <a href="/staff/members/categories">{t("members.categories_link")}</a>}
      </p>
      <form method="get" action="/staff/members" class="inline-form" role="search">
        <p class="field">
          <label for="f-q">{t("members.search_label")}</label>
          <input id="f-q" name="q" type="search" value={v.q} maxLength={100} />
        </p>
        <p class="field">
          <label for="f-status">{t("members.col_status")}</label>
          <select id="f-status" name="status">
            {(["", "pending", "active"] as const).map((s) => (
              <option value={s} selected={v.status === s}>
                {t(s ? `members.status_${s}` : "members.status_all")}
              </option>
            ))}
          </select>
        </p>
        <button type="submit">{t("members.search")}</button>
      </form>
      {v.rows.length === 0 ? (
        <p>{t("members.none")}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("members.col_number")}</th>
                <th scope="col">{t("members.col_name")}</th>
                <th scope="col">{t("members.col_cnic")}</th>
                <th scope="col">{t("members.col_phone")}</th>
                <th scope="col">{t("members.col_category")}</th>
                <th scope="col">{t("members.col_status")}</th>
                <th scope="col">{t("members.col_registered")}</th>
              </tr>
            </thead>
            <tbody>
              {v.rows.map((r) => (
                <tr>
                  <td>
                    <a href={r.href}>
                      <bdi dir="ltr">{r.number}</bdi>
                    </a>
                  </td>
                  <td dir="auto">{r.name}</td>
                  <td>
                    <bdi dir="ltr">{r.cnic}</bdi>
                  </td>
                  <td>
                    <bdi dir="ltr">{r.phone}</bdi>
                  </td>
                  <td>{r.category}</td>
                  <td>{r.status}</td>
                  <td>{r.registered}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager">
        {v.previous && <a href={v.previous}>←</a>}
        {v.next && <a href={v.next}>→</a>}
      </nav>
    </section>
  );
}

export interface MemberDetailView {
  t: Translate;
  csrf: string;
  id: string;
  number: string;
  pending: boolean;
  facts: { label: string; value: string; ltr?: boolean }[];
  /** Where the member's photo is served (to the desk only), or null without one. */
  photoSrc: string | null;
  card: { serial: number; issued: string } | null;
  canManage: boolean;
  revealed: string | null;
  errors: FieldErrors;
  /** Which form the errors belong to. */
  errorsFor: "pin" | "reveal" | "erase" | "photo" | null;
}

function ActionForm({
  action,
  csrf,
  children,
}: {
  action: string;
  csrf: string;
  children: preact.ComponentChildren;
}) {
  return (
    <form method="post" action={action} class="stack">
      <CsrfInput token={csrf} />
      {children}
    </form>
  );
}

export function MemberDetailPage(v: MemberDetailView) {
  const { t } = v;
  const base = `/staff/members/${v.id}`;
  const errs = (form: MemberDetailView["errorsFor"]) => (v.errorsFor === form ? v.errors : {});
  return (
    <section>
      <h1>
        <bdi dir="ltr">{v.number}</bdi>
      </h1>
      {v.pending && (
        <div class="notice">
          <p>{t("members.pending_note")}</p>
          <ActionForm action={`${base}/confirm`} csrf={v.csrf}>
            <button type="submit">{t("members.confirm")}</button>
          </ActionForm>
        </div>
      )}
      {v.revealed && (
        <p class="notice ok" role="status">
          {t("members.revealed", { cnic: "" })}
          <bdi dir="ltr">{v.revealed}</bdi>
        </p>
      )}
      <h2>{t("members.details")}</h2>
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
        <a href={`${base}/edit`}>{t("members.edit")}</a>
      </p>

      <PhotoPanel
        t={t}
        csrf={v.csrf}
        number={v.number}
        photoSrc={v.photoSrc}
        base={base}
        errors={errs("photo")}
      />

      {!v.pending && (
        <section class="panel">
          <h2>{t("members.card")}</h2>
          <p>
            {v.card
              ? t("members.card_current", { serial: v.card.serial, date: v.card.issued })
              : t("members.card_none")}
          </p>
          {v.card && (
            <p>
              <a class="button" href={`${base}/card`}>
                {t("members.card_open")}
              </a>{" "}
              <a href={`${base}/card.pdf`}>{t("members.card_pdf")}</a>
            </p>
          )}
          {(v.card ? (["reprint", "lost"] as const) : (["first"] as const)).map((reason) => (
            <form method="post" action={`${base}/card`} class="inline-form">
              <CsrfInput token={v.csrf} />
              <input type="hidden" name="reason" value={reason} />
              <button type="submit" class={reason === "first" ? "" : "linkish"}>
                {t(reason === "first" ? "members.card_print_first" : `members.card_${reason}`)}
              </button>
            </form>
          ))}
        </section>
      )}

      <section class="panel">
        <h2>{t("members.pin_title")}</h2>
        <ActionForm action={`${base}/pin`} csrf={v.csrf}>
          <ErrorSummary errors={errs("pin")} t={t} />
          <Field name="identity_checked" label={t("label.identity_checked")} errors={errs("pin")}>
            <label class="check">
              <input type="checkbox" value="yes" {...inputProps("identity_checked", errs("pin"))} />{" "}
              {t("members.identity_checked")}
            </label>
          </Field>
          <div class="row">
            <Field name="pin" label={t("label.pin")} errors={errs("pin")}>
              <input
                type="password"
                inputMode="numeric"
                dir="ltr"
                maxLength={6}
                autoComplete="off"
                {...inputProps("pin", errs("pin"))}
              />
            </Field>
            <Field name="pin_again" label={t("members.pin_again")} errors={errs("pin")}>
              <input
                type="password"
                inputMode="numeric"
                dir="ltr"
                maxLength={6}
                autoComplete="off"
                {...inputProps("pin_again", errs("pin"))}
              />
            </Field>
          </div>
          <p>
            <button type="submit">{t("members.pin_set_submit")}</button>
          </p>
        </ActionForm>
      </section>

      {v.canManage && (
        <section class="panel">
          <h2>{t("members.reveal_title")}</h2>
          <ActionForm action={`${base}/reveal`} csrf={v.csrf}>
            <ErrorSummary errors={errs("reveal")} t={t} />
            <Field name="reason" label={t("members.reveal_reason")} errors={errs("reveal")}>
              <input type="text" maxLength={300} {...inputProps("reason", errs("reveal"))} />
            </Field>
            <p>
              <button type="submit">{t("members.reveal_submit")}</button>
            </p>
          </ActionForm>
        </section>
      )}

      {v.canManage && (
        <section class="panel">
          <h2>{t("members.erase_title")}</h2>
          <p>{t("members.erase_text")}</p>
          <ActionForm action={`${base}/erase`} csrf={v.csrf}>
            <ErrorSummary errors={errs("erase")} t={t} />
            <Field name="confirm" label={t("members.erase_confirm")} errors={errs("erase")}>
              <input type="text" dir="ltr" autoComplete="off" {...inputProps("confirm", errs("erase"))} />
            </Field>
            <p>
              <button type="submit" class="danger">
                {t("members.erase_submit")}
              </button>
            </p>
          </ActionForm>
        </section>
      )}
    </section>
  );
}

export function CategoriesPage(v: {
  t: Translate;
  csrf: string;
  categories: { id: string; code: string; name_ur: string; name_en: string; active: boolean }[];
  retentionMonths: number;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = v;
  return (
    <section>
      <h1>{t("members.categories_title")}</h1>
      <ErrorSummary errors={v.errors} t={t} />
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("members.category_code")}</th>
              <th scope="col">{t("label.name_ur")}</th>
              <th scope="col">{t("label.name_en")}</th>
              <th scope="col">{t("members.category_active")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {v.categories.map((c) => (
              <tr>
                <td>
                  <bdi dir="ltr">{c.code}</bdi>
                </td>
                <td colSpan={4}>
                  <form method="post" action={`/staff/members/categories/${c.id}`} class="inline-form">
                    <CsrfInput token={v.csrf} />
                    <label class="visually-hidden" for={`ur-${c.id}`}>
                      {t("label.name_ur")}
                    </label>
                    <input id={`ur-${c.id}`} name="name_ur" value={c.name_ur} maxLength={60} dir="rtl" />
                    <label class="visually-hidden" for={`en-${c.id}`}>
                      {t("label.name_en")}
                    </label>
                    <input id={`en-${c.id}`} name="name_en" value={c.name_en} maxLength={60} dir="ltr" />
                    <label class="check">
                      <input type="checkbox" name="active" value="1" checked={c.active} />{" "}
                      {t("members.category_active")}
                    </label>
                    <button type="submit">{t("members.save")}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("members.category_add")}</h2>
      <form method="post" action="/staff/members/categories" class="stack">
        <CsrfInput token={v.csrf} />
        <div class="row">
          <Field name="code" label={t("members.category_code")} errors={v.errors}>
            <input dir="ltr" maxLength={30} value={v.values.code ?? ""} {...inputProps("code", v.errors)} />
          </Field>
          <Field name="name_ur" label={t("label.name_ur")} errors={v.errors}>
            <input
              dir="rtl"
              maxLength={60}
              value={v.values.name_ur ?? ""}
              {...inputProps("name_ur", v.errors)}
            />
          </Field>
          <Field name="name_en" label={t("label.name_en")} errors={v.errors}>
            <input
              dir="ltr"
              maxLength={60}
              value={v.values.name_en ?? ""}
              {...inputProps("name_en", v.errors)}
            />
          </Field>
        </div>
        <p>
          <button type="submit">{t("members.category_add")}</button>
        </p>
      </form>
      <h2>{t("members.retention_title")}</h2>
      <p>{t("members.retention_text")}</p>
      <form method="post" action="/staff/members/retention" class="inline-form">
        <CsrfInput token={v.csrf} />
        <Field name="retention_months" label={t("label.retention_months")} errors={v.errors}>
          <input
            type="number"
            min={6}
            max={120}
            value={v.values.retention_months ?? String(v.retentionMonths)}
            {...inputProps("retention_months", v.errors)}
          />
        </Field>
        <button type="submit">{t("members.save")}</button>
      </form>
    </section>
  );
}
