import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";

/**
 * The member's photo with the form to upload, replace or remove it. A plain file input works
 * without JavaScript; on a phone or tablet `accept="image/*"` offers the camera as well as saved
 * pictures. (No `capture`: it would force one camera, and "user" is the selfie camera, while the
 * desk photographs the person in front of it.)
 */
export function PhotoPanel(v: {
  t: Translate;
  csrf: string;
  number: string;
  /** Where the photo is served, or null without one. */
  photoSrc: string | null;
  /** The member's page, `/staff/members/<id>`: the forms post below it. */
  base: string;
  errors: FieldErrors;
}) {
  const { t } = v;
  return (
    <section class="panel" id="photo">
      <h2>{t("members.photo")}</h2>
      {v.photoSrc ? (
        <p>
          <img src={v.photoSrc} alt={t("members.photo_alt", { number: v.number })} width={150} height={200} />
        </p>
      ) : (
        <p>{t("members.photo_none")}</p>
      )}
      {/* #photo: a refused upload comes back as this page, scrolled to the form and its error
          rather than to the top of a long page (on a phone, several screens above). */}
      <form method="post" action={`${v.base}/photo#photo`} enctype="multipart/form-data" class="stack">
        <CsrfInput token={v.csrf} />
        <ErrorSummary errors={v.errors} t={t} />
        <Field
          name="photo"
          label={t("members.photo_choose")}
          hint={t("members.photo_hint")}
          errors={v.errors}
        >
          {/* In a paragraph: its margin keeps the long Nastaliq hint's last line off the input. */}
          <p>
            <input type="file" accept="image/*" required {...inputProps("photo", v.errors, true)} />
          </p>
        </Field>
        <p>
          <button type="submit">{t(v.photoSrc ? "members.photo_replace" : "members.photo_upload")}</button>
        </p>
      </form>
      {v.photoSrc && (
        <form method="post" action={`${v.base}/photo/remove`} class="inline-form">
          <CsrfInput token={v.csrf} />
          <button type="submit" class="linkish">
            {t("members.photo_remove")}
          </button>
        </form>
      )}
    </section>
  );
}
