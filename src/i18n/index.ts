import { IntlMessageFormat } from "intl-messageformat";
import { en, type MessageKey } from "./messages/en.ts";
import { ur } from "./messages/ur.ts";
import { LOCALE_INFO, type Locale } from "./locale.ts";

export * from "./locale.ts";
export type { MessageKey };

const catalogues: Record<Locale, Record<MessageKey, string>> = { en, ur };
const compiled = new Map<string, IntlMessageFormat>();

export type MessageValues = Record<string, string | number | Date>;
export type Translate = (key: MessageKey, values?: MessageValues) => string;

/** Formats one catalogue message with ICU syntax (plurals, selects) in the locale. */
export function t(locale: Locale, key: MessageKey, values?: MessageValues): string {
  const cacheKey = `${locale}:${key}`;
  let format = compiled.get(cacheKey);
  if (!format) {
    format = new IntlMessageFormat(catalogues[locale][key], LOCALE_INFO[locale].intl);
    compiled.set(cacheKey, format);
  }
  return String(format.format(values));
}

export function translator(locale: Locale): Translate {
  return (key, values) => t(locale, key, values);
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();
export function formatNumber(locale: Locale, value: number): string {
  let f = numberFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE_INFO[locale].intl);
    numberFormats.set(locale, f);
  }
  return f.format(value);
}

// Building an Intl formatter costs far more than using one: keep them.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDate(
  locale: Locale,
  iso: string | Date,
  timeZone: string,
  style: "date" | "datetime" = "date",
): string {
  const key = `${locale}|${timeZone}|${style}`;
  let f = dateFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      style === "date"
        ? { dateStyle: "long", timeZone }
        : { dateStyle: "long", timeStyle: "short", timeZone };
    f = new Intl.DateTimeFormat(LOCALE_INFO[locale].intl, options);
    dateFormats.set(key, f);
  }
  return f.format(new Date(iso));
}
