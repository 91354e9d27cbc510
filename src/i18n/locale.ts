export const LOCALES = ["ur", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "ur";

export const LOCALE_INFO: Record<Locale, { dir: "rtl" | "ltr"; intl: string; name: string }> = {
  ur: { dir: "rtl", intl: "ur-PK", name: "اردو" },
  en: { dir: "ltr", intl: "en-PK", name: "English" },
};

export function isLocale(value: unknown): value is Locale {
  return value === "ur" || value === "en";
}

/** Picks ur or en from an Accept-Language header by quality; Urdu when nothing matches. */
export function negotiateLocale(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((e) => e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const base = tag.split("-")[0];
    if (isLocale(base)) return base;
  }
  return DEFAULT_LOCALE;
}
