import type { Locale } from "../i18n/locale.ts";
import type { FieldErrors } from "../ui/forms.tsx";
import { DomainError, type FieldProblem } from "./errors.ts";
import { fieldMessage } from "./errorHandler.tsx";

/** Field problems as the messages a form shows next to each input, keyed by input name. */
export function formErrors(locale: Locale, problems: FieldProblem[]): FieldErrors {
  const out: FieldErrors = {};
  for (const p of problems) {
    const name = p.path.replace(/^\//, "").replace(/\//g, ".") || "_";
    out[name] ??= fieldMessage(locale, p);
  }
  return out;
}

/** Runs a form action; a domain error with fields comes back as form errors, anything else is rethrown. */
export async function tryForm<T>(
  locale: Locale,
  action: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; errors: FieldErrors; error: DomainError }> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    if (error instanceof DomainError && error.fields.length > 0) {
      return { ok: false, errors: formErrors(locale, error.fields), error };
    }
    throw error;
  }
}

/** Only same-site paths are followed after a form, never another host. */
export function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.includes("\\"))
    return fallback;
  return next;
}
