// Checks what the desk or a citizen typed into the registration form, field by field.

import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { IdKind, MemberCategoryTable } from "../db/schema.ts";
import type { FieldProblem } from "../server/errors.ts";
import { parseCnic } from "./cnic.ts";
import { PRIVACY_NOTICE } from "./privacyNotice.ts";

export const EDUCATION_LEVELS = [
  "none",
  "primary",
  "middle",
  "matric",
  "intermediate",
  "graduate",
  "postgraduate",
  "other",
] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];
export const ID_KINDS: readonly IdKind[] = ["cnic", "bform"];

export interface MemberFields {
  full_name_ur: string | null;
  full_name_en: string | null;
  id_kind: IdKind;
  cnic_digits: string;
  phone_e164: string;
  date_of_birth: string;
  gender: string | null;
  district: string;
  education: EducationLevel;
  disability: string | null;
  category_id: string;
}

const str = (raw: Record<string, unknown>, key: string) =>
  typeof raw[key] === "string" ? (raw[key] as string).normalize("NFC").trim() : "";

/** Urdu and Arabic-Indic digits typed on a phone keyboard become ASCII. */
export function asciiDigits(s: string): string {
  return s.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => {
    const c = d.charCodeAt(0);
    return String(c >= 0x06f0 ? c - 0x06f0 : c - 0x0660);
  });
}

export function parsePhone(input: string): string | null {
  const p = parsePhoneNumberFromString(asciiDigits(input), "PK");
  return p && p.isValid() ? p.number : null;
}

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function checkMemberFields(
  raw: Record<string, unknown>,
  categories: readonly MemberCategoryTable[],
  today: string,
): { fields: MemberFields | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const limit = (key: string, value: string, max: number) => {
    if (value.length > max) problems.push({ path: `/${key}`, code: "too_long", params: { limit: max } });
  };
  const nameUr = str(raw, "full_name_ur");
  const nameEn = str(raw, "full_name_en");
  limit("full_name_ur", nameUr, 100);
  limit("full_name_en", nameEn, 100);
  if (!nameUr && !nameEn) problems.push({ path: "/full_name_ur", code: "name_needed" });

  const idKind = (str(raw, "id_kind") || "cnic") as IdKind;
  if (!ID_KINDS.includes(idKind)) problems.push({ path: "/id_kind", code: "invalid_choice" });
  const cnic = parseCnic(str(raw, "cnic"));
  if (!cnic.ok) problems.push({ path: "/cnic", code: cnic.code });

  const phoneRaw = str(raw, "phone");
  const phone = phoneRaw ? parsePhone(phoneRaw) : null;
  if (!phoneRaw) problems.push({ path: "/phone", code: "required" });
  else if (!phone) problems.push({ path: "/phone", code: "invalid_phone" });

  const dob = asciiDigits(str(raw, "date_of_birth"));
  if (!dob) problems.push({ path: "/date_of_birth", code: "required" });
  else if (!validDate(dob) || dob < "1900-01-01")
    problems.push({ path: "/date_of_birth", code: "invalid_format" });
  else if (dob > today) problems.push({ path: "/date_of_birth", code: "in_future" });

  const gender = str(raw, "gender");
  limit("gender", gender, 40);
  const district = str(raw, "district");
  if (!district) problems.push({ path: "/district", code: "required" });
  limit("district", district, 60);
  const education = (str(raw, "education") || "") as EducationLevel;
  if (!education) problems.push({ path: "/education", code: "required" });
  else if (!EDUCATION_LEVELS.includes(education))
    problems.push({ path: "/education", code: "invalid_choice" });
  const disability = str(raw, "disability");
  limit("disability", disability, 100);

  const categoryId = str(raw, "category_id");
  const category = categories.find((c) => c.id === categoryId && c.active === 1);
  if (!categoryId) problems.push({ path: "/category_id", code: "required" });
  else if (!category) problems.push({ path: "/category_id", code: "invalid_choice" });

  if (problems.length > 0 || !cnic.ok || !phone) return { fields: null, problems };
  return {
    fields: {
      full_name_ur: nameUr || null,
      full_name_en: nameEn || null,
      id_kind: idKind,
      cnic_digits: cnic.digits,
      phone_e164: phone,
      date_of_birth: dob,
      gender: gender || null,
      district,
      education,
      disability: disability || null,
      category_id: categoryId,
    },
    problems,
  };
}

/** The consent box must be ticked on the current notice. */
export function checkConsent(raw: Record<string, unknown>): FieldProblem[] {
  const given = raw.consent === "yes" || raw.consent === true;
  if (!given) return [{ path: "/consent", code: "consent_required" }];
  const version = str(raw, "consent_version") || PRIVACY_NOTICE.version;
  if (version !== PRIVACY_NOTICE.version) return [{ path: "/consent", code: "notice_changed" }];
  return [];
}

export const PIN_PATTERN = /^[0-9]{4,6}$/;

export function checkPin(
  raw: Record<string, unknown>,
  required: boolean,
): { pin: string | null; problems: FieldProblem[] } {
  const pin = asciiDigits(str(raw, "pin"));
  const again = asciiDigits(str(raw, "pin_again"));
  if (!pin) return { pin: null, problems: required ? [{ path: "/pin", code: "required" }] : [] };
  if (!PIN_PATTERN.test(pin)) return { pin: null, problems: [{ path: "/pin", code: "invalid_pin" }] };
  if (/^(\d)\1+$/.test(pin) || "0123456789".includes(pin) || "9876543210".includes(pin)) {
    return { pin: null, problems: [{ path: "/pin", code: "weak_pin" }] };
  }
  if ("pin_again" in raw && pin !== again)
    return { pin: null, problems: [{ path: "/pin_again", code: "mismatch" }] };
  return { pin, problems: [] };
}
