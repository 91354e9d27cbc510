import type { ComponentChildren } from "preact";
import type { Translate } from "../i18n/index.ts";

/** Field errors keyed by field name, already translated. */
export type FieldErrors = Record<string, string>;

export function CsrfInput({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function ErrorSummary({ errors, t }: { errors: FieldErrors; t: Translate }) {
  const count = Object.keys(errors).length;
  if (count === 0) return null;
  return (
    <div class="notice bad" role="alert">
      {t("form.fix_errors", { count })}
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  errors: FieldErrors;
  hint?: string;
  children?: ComponentChildren;
}

/** A label, an optional hint and the error for one input, wired with aria attributes. */
export function Field({ name, label, errors, hint, children }: FieldProps) {
  const error = errors[name];
  return (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      {hint && (
        <span class="hint" id={`h-${name}`}>
          {hint}
        </span>
      )}
      {children}
      {error && (
        <span class="err" id={`e-${name}`}>
          {error}
        </span>
      )}
    </div>
  );
}

export function inputProps(name: string, errors: FieldErrors, hint?: boolean) {
  const describedBy = [hint ? `h-${name}` : "", errors[name] ? `e-${name}` : ""].filter(Boolean).join(" ");
  return {
    id: `f-${name}`,
    name,
    "aria-invalid": errors[name] ? ("true" as const) : undefined,
    "aria-describedby": describedBy || undefined,
  };
}
