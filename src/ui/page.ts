import type { Translate } from "../i18n/index.ts";
import type { Locale } from "../i18n/locale.ts";

export interface NavItem {
  href: string;
  label: string;
  current: boolean;
}

/** What every page's layout needs, already resolved and translated: views never see requests or rows. */
export interface PageContext {
  locale: Locale;
  dir: "rtl" | "ltr";
  t: Translate;
  title: string;
  description: string;
  css: string;
  faviconUrl: string;
  homeHref: string;
  siteName: string;
  siteSubtitle: string;
  publicNav: NavItem[];
  staffNav: NavItem[];
  /** The same page in the other language: a link for public pages, a form for staff pages. */
  languageSwitch: { label: string; language: string; locale: Locale; href: string } | null;
  staffLocaleForm: { action: string; csrf: string; locale: Locale; label: string; next: string } | null;
  signOut: { action: string; csrf: string; label: string } | null;
  /** Alternate-language URLs of this page, for hreflang. */
  alternates: { locale: Locale; href: string }[];
  canonical: string | null;
  flash: { kind: "ok" | "bad" | "info"; text: string } | null;
  /** Extra <meta> tags: Open Graph and the like. */
  meta: { property?: string; name?: string; content: string }[];
  /** Structured data (JSON-LD), already serialised; a data block, never executed. */
  jsonLd: string | null;
  /** Same-origin scripts that only enhance the page (deferred). */
  scripts: string[];
  /** Feeds for this page (Atom). */
  feeds: { href: string; title: string }[];
  footerLinks: NavItem[];
  /** The search box in the header; null on the search page, which has its own. */
  searchBox: { action: string; label: string; placeholder: string; submit: string; locale: Locale } | null;
  /** Enhancement for every search box: suggestions as you type. */
  searchScript: string;
}
