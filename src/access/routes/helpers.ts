// Small pieces the access route modules share: the centre a staff member works at, reading form
// values, and a refusal in words.

import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Locale } from "../../i18n/index.ts";
import { asciiDigits } from "../../members/memberInput.ts";
import { errorBody } from "../../server/errorHandler.tsx";
import { NotFound, type DomainError } from "../../server/errors.ts";
import { localToInstant } from "../centreTime.ts";

/** The centre a staff member works at: their own, or for headquarters the centre this server runs. */
export async function staffCentreId(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  const user = request.staff!.user;
  if (user.centre_id) return user.centre_id;
  const current = await app.currentCentre();
  if (!current) throw new NotFound("centre");
  return current.id;
}

/** A form value as trimmed text ("" when absent or not text). */
export function formText(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** A form's text values as sent, to fill the form in again. */
export function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (typeof v === "string") out[k] = v;
  return out;
}

/**
 * A refusal in one sentence, in the error handler's words: its first field's message (with the
 * field's label) when it names fields, otherwise its own message.
 */
export function refusalText(locale: Locale, error: Pick<DomainError, "code" | "params" | "fields">): string {
  const body = errorBody(locale, error.code, error.params, error.fields).error;
  return body.fields?.[0]?.message ?? body.message;
}

/** A form value sent once or several times (checkboxes) as a list. */
export function formList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : [];
}

/** A booking form's date and start time (Urdu digits allowed) as an instant; null when malformed. */
export function bookingStart(body: Record<string, unknown>, timeZone: string): Date | null {
  return localToInstant(formText(body.date), asciiDigits(formText(body.start)), timeZone);
}
