/**
 * The member card's print page: a standalone HTML document whose card is exactly ID-1 size
 * (85.6 mm × 53.98 mm, CSS @page) when printed, and shown larger on screen with Print and Back
 * controls. The desk prints it from its own browser, which shapes the Nastaliq; headless Chromium
 * makes the same page into a PDF (see ../card/pdf.ts).
 *
 * The CNIC is never on the card: the QR code and the barcode carry the signed member reference.
 *
 * CSP: the page has one inline <style> (its text is cardStyleText(props), cardAssets.ts; hash it for style-src)
 * and no inline script. The optional print script (CARD_PRINT_JS, served from our own origin at
 * printScriptUrl) wires the Print button and, on a page rendered with autoPrint, prints once the
 * fonts have loaded. The icon link points at the site's own icon under /assets/ (img-src 'self').
 */

import { cardStyleText } from "./cardAssets.ts";

export interface CardPageProps {
  locale: "ur" | "en";
  /** Extra CSS appended to CARD_CSS (may be ""). */
  css: string;
  fontUrduUrl: string;
  fontLatinUrl: string;
  /** The site's icon (the Layout's, from the asset registry), so the browser asks for no /favicon.ico. */
  faviconUrl?: string;
  centreNameUr: string;
  centreNameEn: string;
  memberNo: string;
  fullNameUr: string | null;
  fullNameEn: string | null;
  categoryUr: string;
  categoryEn: string;
  /** Already formatted. */
  issued: string;
  photoUrl: string | null;
  /** SVG markup from qrSvg(); generated, never user text. */
  qrSvg: string;
  /** SVG markup from code128Svg(); generated, never user text. */
  barcodeSvg: string;
  autoPrint: boolean;
  printScriptUrl: string | null;
  backHref: string;
  labels: { print: string; back: string };
}

function lengthClass(text: string, long: number, longer: number): string {
  const n = [...text].length;
  return n > longer ? "longer" : n > long ? "long" : "";
}

/** Up to two initials, from the English name, else the Urdu name; null when there is no name. */
function initials(
  fullNameEn: string | null,
  fullNameUr: string | null,
): { text: string; lang: "en" | "ur" } | null {
  for (const [name, lang] of [
    [fullNameEn, "en"],
    [fullNameUr, "ur"],
  ] as const) {
    const words = (name ?? "").trim().split(/\s+/u).filter(Boolean);
    if (words.length === 0) continue;
    const first = [...words[0]!][0]!;
    const last = words.length > 1 ? [...words[words.length - 1]!][0]! : "";
    return { text: lang === "en" ? `${first}${last}`.toUpperCase() : `${first} ${last}`.trim(), lang };
  }
  return null;
}

function Photo({
  photoUrl,
  fullNameEn,
  fullNameUr,
}: Pick<CardPageProps, "photoUrl" | "fullNameEn" | "fullNameUr">) {
  if (photoUrl) {
    return (
      <div class="photo">
        <img src={photoUrl} alt="" />
      </div>
    );
  }
  const mark = initials(fullNameEn, fullNameUr);
  return (
    <div class="photo placeholder" aria-hidden="true">
      {mark ? (
        <span class="initials" lang={mark.lang} dir={mark.lang === "ur" ? "rtl" : "ltr"}>
          {mark.text}
        </span>
      ) : (
        <svg class="silhouette" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <circle cx="12" cy="8" r="4.5" />
          <path d="M3 22c0-5 4-8.5 9-8.5s9 3.5 9 8.5z" />
        </svg>
      )}
    </div>
  );
}

/** Urdu and English side by side, the page's own language first (rightmost on an Urdu card). */
function Both({ locale, ur, en }: { locale: "ur" | "en"; ur: string; en: string }) {
  const urdu = (
    <span lang="ur" dir="rtl">
      {ur}
    </span>
  );
  const english = (
    <span lang="en" dir="ltr">
      {en}
    </span>
  );
  return locale === "ur" ? (
    <>
      {urdu}
      {" · "}
      {english}
    </>
  ) : (
    <>
      {english}
      {" · "}
      {urdu}
    </>
  );
}

export function CardPage(props: CardPageProps) {
  const { locale, fullNameUr, fullNameEn } = props;
  const dir = locale === "ur" ? "rtl" : "ltr";
  const centreName = locale === "ur" ? props.centreNameUr : props.centreNameEn;
  return (
    <html lang={locale} dir={dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.memberNo} · ${centreName}`}</title>
        {props.faviconUrl && <link rel="icon" href={props.faviconUrl} type="image/svg+xml" />}
        <style dangerouslySetInnerHTML={{ __html: cardStyleText(props) }} />
        {props.printScriptUrl && <script src={props.printScriptUrl} defer />}
      </head>
      <body data-autoprint={props.autoPrint ? "1" : undefined}>
        <nav class="controls">
          <a href={props.backHref}>{props.labels.back}</a>
          {props.printScriptUrl && (
            <button type="button" data-card-print>
              {props.labels.print}
            </button>
          )}
        </nav>
        <main class="sheet">
          <article class="card" id="member-card" dir={dir} aria-label={`${props.memberNo}`}>
            <header class="band">
              <span class="centre-ur" lang="ur" dir="rtl">
                {props.centreNameUr}
              </span>
              <span class="centre-en" lang="en" dir="ltr">
                {props.centreNameEn}
              </span>
            </header>
            <div class="main">
              <Photo photoUrl={props.photoUrl} fullNameEn={fullNameEn} fullNameUr={fullNameUr} />
              <div class="who">
                {fullNameUr && (
                  <p class={`name-ur ${lengthClass(fullNameUr, 22, 30)}`.trim()} lang="ur" dir="rtl">
                    {fullNameUr}
                  </p>
                )}
                {fullNameEn && (
                  <p class={`name-en ${lengthClass(fullNameEn, 24, 32)}`.trim()} lang="en" dir="ltr">
                    {fullNameEn}
                  </p>
                )}
                <p class="label">
                  <Both locale={locale} ur="رکنیت نمبر" en="Member No." />
                </p>
                <p class="no" dir="ltr" lang="en">
                  {props.memberNo}
                </p>
                <p class="kv">
                  <Both locale={locale} ur={props.categoryUr} en={props.categoryEn} />
                </p>
                <p class="kv">
                  <span class="k">
                    <Both locale={locale} ur="تاریخ اجرا" en="Issued" />
                  </span>{" "}
                  <bdi>{props.issued}</bdi>
                </p>
              </div>
              <div class="qr" dangerouslySetInnerHTML={{ __html: props.qrSvg }} />
            </div>
            <div class="barcode" dangerouslySetInnerHTML={{ __html: props.barcodeSvg }} />
          </article>
        </main>
      </body>
    </html>
  );
}
