import type { ComponentChildren } from "preact";
import type { PageContext } from "./page.ts";

function Nav({
  items,
  label,
  className,
}: {
  items: PageContext["publicNav"];
  label: string;
  className?: string;
}) {
  return (
    <nav aria-label={label} class={className}>
      <ul>
        {items.map((item) => (
          <li>
            <a href={item.href} aria-current={item.current ? "page" : undefined}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Layout({ page, children }: { page: PageContext; children: ComponentChildren }) {
  const { t } = page;
  return (
    <html lang={page.locale} dir={page.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{page.title ? `${page.title} · ${page.siteName}` : page.siteName}</title>
        <meta name="description" content={page.description} />
        <link rel="icon" href={page.faviconUrl} type="image/svg+xml" />
        {page.canonical && <link rel="canonical" href={page.canonical} />}
        {page.alternates.map((a) => (
          <link rel="alternate" hrefLang={a.locale} href={a.href} />
        ))}
        {page.meta.map((m) => (
          <meta property={m.property} name={m.name} content={m.content} />
        ))}
        {page.feeds.map((f) => (
          <link rel="alternate" type="application/atom+xml" title={f.title} href={f.href} />
        ))}
        {page.jsonLd && (
          <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: page.jsonLd }} />
        )}
        <style dangerouslySetInnerHTML={{ __html: page.css }} />
        {[page.searchScript, ...page.scripts].map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          {t("nav.skip")}
        </a>
        <header class="site">
          <div class="wrap bar">
            <a class="brand" href={page.homeHref}>
              {page.siteName}
              <small>{page.siteSubtitle}</small>
            </a>
            {page.languageSwitch && (
              <a
                href={page.languageSwitch.href}
                lang={page.languageSwitch.locale}
                hrefLang={page.languageSwitch.locale}
                title={page.languageSwitch.label}
              >
                {page.languageSwitch.language}
              </a>
            )}
            {page.staffLocaleForm && (
              <form class="inline" method="post" action={page.staffLocaleForm.action}>
                <input type="hidden" name="_csrf" value={page.staffLocaleForm.csrf} />
                <input type="hidden" name="locale" value={page.staffLocaleForm.locale} />
                <input type="hidden" name="next" value={page.staffLocaleForm.next} />
                <button class="linkish" type="submit" lang={page.staffLocaleForm.locale}>
                  {page.staffLocaleForm.label}
                </button>
              </form>
            )}
          </div>
          <div class="wrap bar">
            <Nav items={page.publicNav} label={t("nav.main")} />
            {page.searchBox && (
              <form class="site-search" role="search" method="get" action={page.searchBox.action}>
                <label class="visually-hidden" for="site-q">
                  {page.searchBox.label}
                </label>
                <input
                  id="site-q"
                  type="search"
                  name="q"
                  maxLength={200}
                  autoComplete="off"
                  placeholder={page.searchBox.placeholder}
                  data-suggest={page.searchBox.locale}
                />
                <button type="submit">{page.searchBox.submit}</button>
              </form>
            )}
          </div>
        </header>
        {page.staffNav.length > 0 && (
          <div class="staff">
            <div class="wrap bar">
              <Nav items={page.staffNav} label={t("nav.staff")} className="staff" />
              {page.signOut && (
                <form class="inline" method="post" action={page.signOut.action}>
                  <input type="hidden" name="_csrf" value={page.signOut.csrf} />
                  <button class="linkish" type="submit">
                    {page.signOut.label}
                  </button>
                </form>
              )}
            </div>
          </div>
        )}
        <main id="main" class="wrap" tabIndex={-1}>
          {page.flash && (
            <p class={`notice ${page.flash.kind}`} role={page.flash.kind === "bad" ? "alert" : "status"}>
              {page.flash.text}
            </p>
          )}
          {children}
        </main>
        <footer class="site">
          <div class="wrap">
            <Nav items={page.footerLinks} label={page.siteName} />
          </div>
        </footer>
      </body>
    </html>
  );
}
