import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";
import { EDUCATION_LEVELS, ID_KINDS } from "../memberInput.ts";
import { PRIVACY_NOTICE } from "../privacyNotice.ts";

export interface MemberFormView {
  t: Translate;
  locale: "ur" | "en";
  action: string;
  csrf: string;
  submitLabel: string;
  values: Record<string, string>;
  errors: FieldErrors;
  categories: { id: string; name: string }[];
  /** Registration asks for consent (and offers a PIN); an edit does not. */
  mode: "desk-new" | "edit" | "join";
  centres?: { code: string; name: string }[];
  /** Set when the server found a possible duplicate: offer the override box. */
  offerNotDuplicate: boolean;
}

function Text({
  name,
  label,
  v,
  hint,
  type = "text",
  autoComplete,
  dir,
  inputMode,
  maxLength,
}: {
  name: string;
  label: string;
  v: MemberFormView;
  hint?: string;
  type?: string;
  autoComplete?: string;
  dir?: "ltr" | "rtl" | "auto";
  inputMode?: "numeric" | "tel" | "text";
  maxLength?: number;
}) {
  return (
    <Field name={name} label={label} errors={v.errors} hint={hint}>
      <input
        type={type}
        value={v.values[name] ?? ""}
        autoComplete={autoComplete}
        dir={dir}
        inputMode={inputMode}
        maxLength={maxLength}
        {...inputProps(name, v.errors, !!hint)}
      />
    </Field>
  );
}

function Select({
  name,
  label,
  v,
  options,
}: {
  name: string;
  label: string;
  v: MemberFormView;
  options: { value: string; label: string }[];
}) {
  return (
    <Field name={name} label={label} errors={v.errors}>
      <select {...inputProps(name, v.errors)}>
        {options.map((o) => (
          <option value={o.value} selected={(v.values[name] ?? "") === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function PrivacyNoticeBox({ t, locale }: { t: Translate; locale: "ur" | "en" }) {
  return (
    <section class="panel" aria-labelledby="notice-h">
      <h2 id="notice-h">{t("members.notice_title", { version: PRIVACY_NOTICE.version })}</h2>
      {PRIVACY_NOTICE[locale].map((p) => (
        <p>{p}</p>
      ))}
    </section>
  );
}

export function MemberForm(v: MemberFormView) {
  const { t } = v;
  const registering = v.mode !== "edit";
  return (
    <form method="post" action={v.action} class="stack wide" novalidate>
      <CsrfInput token={v.csrf} />
      <ErrorSummary errors={v.errors} t={t} />
      {v.centres && v.centres.length > 1 && (
        <Select
          name="centre"
          label={t("join.centre")}
          v={v}
          options={v.centres.map((c) => ({ value: c.code, label: c.name }))}
        />
      )}
      <div class="row">
        <Text
          name="full_name_ur"
          label={t("label.full_name_ur")}
          v={v}
          hint={t("members.name_hint")}
          dir="rtl"
          autoComplete="name"
          maxLength={100}
        />
        <Text
          name="full_name_en"
          label={t("label.full_name_en")}
          v={v}
          dir="ltr"
          autoComplete="name"
          maxLength={100}
        />
      </div>
      <div class="row">
        <Select
          name="id_kind"
          label={t("label.id_kind")}
          v={v}
          options={ID_KINDS.map((k) => ({ value: k, label: t(`id_kind.${k}`) }))}
        />
        <Text
          name="cnic"
          label={t("label.cnic")}
          v={v}
          hint={t("members.cnic_hint")}
          dir="ltr"
          inputMode="numeric"
          autoComplete="off"
          maxLength={20}
        />
      </div>
      <div class="row">
        <Text
          name="phone"
          label={t("label.phone")}
          v={v}
          hint={t("members.phone_hint")}
          type="tel"
          dir="ltr"
          autoComplete="tel"
          maxLength={20}
        />
        <Text
          name="date_of_birth"
          label={t("label.date_of_birth")}
          v={v}
          hint={t("members.dob_hint")}
          type="date"
          dir="ltr"
          autoComplete="bday"
        />
      </div>
      <div class="row">
        <Text name="district" label={t("label.district")} v={v} maxLength={60} />
        <Select
          name="education"
          label={t("label.education")}
          v={v}
          options={[
            { value: "", label: "—" },
            ...EDUCATION_LEVELS.map((e) => ({ value: e, label: t(`education.${e}`) })),
          ]}
        />
      </div>
      <div class="row">
        <Select
          name="category_id"
          label={t("label.category_id")}
          v={v}
          options={v.categories.map((c) => ({ value: c.id, label: c.name }))}
        />
        <Text name="gender" label={t("label.gender")} v={v} hint={t("members.gender_hint")} maxLength={40} />
      </div>
      <Text
        name="disability"
        label={t("label.disability")}
        v={v}
        hint={t("members.disability_hint")}
        maxLength={100}
      />
      {registering && (
        <div class="row">
          <Text
            name="pin"
            label={t("label.pin")}
            v={v}
            hint={t("members.pin_hint")}
            type="password"
            dir="ltr"
            inputMode="numeric"
            autoComplete="new-password"
            maxLength={6}
          />
          <Text
            name="pin_again"
            label={t("members.pin_again")}
            v={v}
            type="password"
            dir="ltr"
            inputMode="numeric"
            autoComplete="new-password"
            maxLength={6}
          />
        </div>
      )}
      {registering && <PrivacyNoticeBox t={t} locale={v.locale} />}
      {registering && (
        <Field name="consent" label={t("label.consent")} errors={v.errors}>
          <input type="hidden" name="consent_version" value={PRIVACY_NOTICE.version} />
          <label class="check">
            <input
              type="checkbox"
              value="yes"
              checked={v.values.consent === "yes"}
              {...inputProps("consent", v.errors)}
            />{" "}
            {t("members.consent")}
          </label>
        </Field>
      )}
      {(v.offerNotDuplicate || v.errors.confirm_not_duplicate) && (
        <Field name="confirm_not_duplicate" label={t("label.confirm_not_duplicate")} errors={v.errors}>
          <label class="check">
            <input type="checkbox" value="yes" {...inputProps("confirm_not_duplicate", v.errors)} />{" "}
            {t("members.not_duplicate")}
          </label>
        </Field>
      )}
      <p>
        <button type="submit">{v.submitLabel}</button>
      </p>
    </form>
  );
}
