// Small POST forms for one action (a button, perhaps with a field or a hidden value) that sit in a
// table row or a line of text, each carrying its CSRF token.

import type { ComponentChildren } from "preact";
import { CsrfInput } from "./forms.tsx";

export interface ActionFormProps {
  action: string;
  csrf: string;
  /** "row" (the default): fields and button side by side; "text": flows within a line of text. */
  layout?: "row" | "text";
  children?: ComponentChildren;
}

export function ActionForm({ action, csrf, layout = "row", children }: ActionFormProps) {
  return (
    <form method="post" action={action} class={layout === "text" ? "inline" : "inline-form"}>
      <CsrfInput token={csrf} />
      {children}
    </form>
  );
}

export interface ActionButtonProps extends Omit<ActionFormProps, "children"> {
  label: string;
  /** Drawn as a link: for the quieter action beside a main one. */
  quiet?: boolean;
  /** Values sent with the button, e.g. { out_of_order: "1" }. */
  hidden?: Record<string, string>;
}

/** An action form that is only its button. */
export function ActionButton({ label, quiet = false, hidden = {}, ...form }: ActionButtonProps) {
  return (
    <ActionForm {...form}>
      {Object.entries(hidden).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={quiet ? "linkish" : undefined}>
        {label}
      </button>
    </ActionForm>
  );
}
