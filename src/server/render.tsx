import type { FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { LOCALE_INFO, translator, type Locale } from "../i18n/index.ts";
import { sessionCsrfToken } from "../identity/sessions.ts";
import { staffNavigation, type NavCounts } from "../identity/navigation.ts";
import { DESK } from "../identity/policy.ts";
import { countByStatus } from "../portal/comments/queries.ts";
import { Layout } from "../ui/Layout.tsx";
import type { NavItem, PageContext } from "../ui/page.ts";

export interface PageOptions {
  title: string;
  body: VNode;
  status?: number;
  flash?: PageContext["flash"];
  /** For public pages: the path after the language prefix, e.g. "/courses". */
  publicPath?: string;
  canonical?: string | null;
  /** Overrides for pages whose other-language twin is not the same path (translated articles). */
  alternates?: PageContext["alternates"];
  switchHref?: string;
  meta?: PageContext["meta"];
  jsonLd?: string | null;
  scripts?: string[];
  feeds?: PageContext["feeds"];
}

function other(locale: Locale): Locale {
  return locale === "ur" ? "en" : "ur";
}

export function baseUrl(request: FastifyRequest): string {
  return request.server.deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
}

export async function pageContext(
  request: FastifyRequest,
  options: Omit<PageOptions, "body" | "status">,
): Promise<PageContext> {
  const locale = request.locale;
  const t = translator(locale);
  const assets = request.server.assets;
  const centre =
    request.server.deps.config.mode === "centre" ? await request.server.currentCentre() : undefined;
  const path = request.url.split("?")[0] ?? "/";
  const publicBase = `/${locale}`;
  const publicNav: NavItem[] = [
    { href: publicBase, label: t("nav.portal"), current: options.publicPath === "" },
    { href: `${publicBase}/courses`, label: t("nav.courses"), current: options.publicPath === "/courses" },
    { href: `${publicBase}/search`, label: t("nav.search"), current: options.publicPath === "/search" },
  ];
  const staff = request.staff;
  const csrf = staff ? sessionCsrfToken(staff.session) : null;
  const switchTo = other(locale);
  let languageSwitch: PageContext["languageSwitch"] = null;
  let staffLocaleForm: PageContext["staffLocaleForm"] = null;
  const alternates: PageContext["alternates"] = [];
  if (options.publicPath !== undefined) {
    const next = options.switchHref ?? `/${switchTo}${options.publicPath}`;
    languageSwitch = {
      label: t("lang.switch", { language: LOCALE_INFO[switchTo].name }),
      language: LOCALE_INFO[switchTo].name,
      locale: switchTo,
      href: `/lang/${switchTo}?next=${encodeURIComponent(next)}`,
    };
    const base = baseUrl(request);
    if (options.alternates) alternates.push(...options.alternates);
    else
      for (const l of ["ur", "en"] as const)
        alternates.push({ locale: l, href: `${base}/${l}${options.publicPath}` });
  } else if (staff && csrf) {
    staffLocaleForm = {
      action: "/staff/locale",
      csrf,
      locale: switchTo,
      label: LOCALE_INFO[switchTo].name,
      next: request.url,
    };
  } else {
    languageSwitch = {
      label: t("lang.switch", { language: LOCALE_INFO[switchTo].name }),
      language: LOCALE_INFO[switchTo].name,
      locale: switchTo,
      href: `/lang/${switchTo}?next=${encodeURIComponent(request.url)}`,
    };
  }
  const siteName = centre ? (locale === "ur" ? centre.name_ur : centre.name_en) : t("app.name");
  return {
    locale,
    dir: LOCALE_INFO[locale].dir,
    t,
    title: options.title,
    description: t("app.description"),
    css: assets.css,
    faviconUrl: assets.urls.favicon,
    homeHref: publicBase,
    siteName,
    siteSubtitle: centre ? `${t("app.name")} · ${t("app.tagline")}` : t("app.tagline"),
    publicNav,
    staffNav: staff ? staffNavigation(staff.user.role, t, path, await navCounts(request)) : [],
    languageSwitch,
    staffLocaleForm,
    signOut: staff && csrf ? { action: "/staff/logout", csrf, label: t("nav.logout") } : null,
    alternates,
    canonical: options.canonical ?? null,
    flash: options.flash ?? null,
    meta: options.meta ?? [],
    jsonLd: options.jsonLd ?? null,
    scripts: options.scripts ?? [],
    feeds: options.feeds ?? [],
    searchBox:
      options.publicPath === "/search"
        ? null
        : {
            action: `${publicBase}/search`,
            label: t("search.label"),
            placeholder: t("search.placeholder"),
            submit: t("search.submit"),
            locale,
          },
    searchScript: assets.urls.searchJs,
    footerLinks: [
      staff
        ? { href: "/staff", label: t("nav.dashboard"), current: false }
        : { href: "/staff/login", label: t("nav.login"), current: path === "/staff/login" },
      {
        href: `${publicBase}/account`,
        label: t("nav.account"),
        current: path.startsWith(`${publicBase}/account`),
      },
      { href: "/api/docs", label: t("nav.api_docs"), current: false },
    ],
  };
}

async function navCounts(request: FastifyRequest): Promise<NavCounts> {
  const user = request.staff?.user;
  if (!user || !DESK.includes(user.role)) return {};
  const pending = await countByStatus(
    request.server.deps.db,
    "pending",
    user.role === "hq_admin" ? undefined : (user.centre_id ?? undefined),
  );
  return { "/staff/comments": pending };
}

export function renderDocument(page: PageContext, body: VNode): string {
  return `<!doctype html>${renderToString(<Layout page={page}>{body}</Layout>)}`;
}

/** The whole page as HTML, for callers that cache it. */
export async function pageHtml(request: FastifyRequest, options: PageOptions): Promise<string> {
  return renderDocument(await pageContext(request, options), options.body);
}

export async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  options: PageOptions,
): Promise<FastifyReply> {
  const page = await pageContext(request, options);
  const html = renderDocument(page, options.body);
  if (request.staff) reply.header("cache-control", "private, no-store");
  return reply
    .code(options.status ?? 200)
    .header("content-language", request.locale)
    .type("text/html; charset=utf-8")
    .send(html);
}
