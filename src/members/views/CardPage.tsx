/**
 * The member card's print page: a standalone HTML document whose card is exactly ID-1 size
 * (85.6 mm × 53.98 mm, CSS @page) when printed, and shown larger on screen with Print and Back
 * controls. The desk prints it from its own browser, which shapes the Nastaliq; headless Chromium
 * makes the same page into a PDF (see ../card/pdf.ts).
 *
 * The CNIC is never on the card: the QR code and the barcode carry the signed member reference.
 *
 * CSP: the page has one inline <style> (its text is cardStyleText(props); hash it for style-src)
 * and no inline script. The optional print script (CARD_PRINT_JS, served from our own origin at
 * printScriptUrl) wires the Print button and, on a page rendered with autoPrint, prints once the
 * fonts have loaded. The icon link points at the site's own icon under /assets/ (img-src 'self').
 */

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

/**
 * Every rule of the card page. `__FONT_URDU__` and `__FONT_LATIN__` are replaced by the font URLs
 * (cardStyleText does it), the way src/ui/assets.ts fills in the site's stylesheet.
 *
 * Sizes are in mm and pt so the printed card is the same on every printer; on screen the whole
 * card is zoomed. Nastaliq's ink reaches far above and below its line box, so Urdu lines get a
 * generous line-height, and those that clip long text pad the clip box and pull the padding back.
 */
export const CARD_CSS = `@font-face {
  font-family: "Noto Nastaliq Urdu";
  font-style: normal;
  font-weight: 400;
  font-display: block;
  src: url(__FONT_URDU__) format("woff2");
}
@font-face {
  font-family: "Noto Sans";
  font-style: normal;
  font-weight: 400;
  font-display: block;
  src: url(__FONT_LATIN__) format("woff2");
  unicode-range: U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+2000-206F, U+20AC, U+2122, U+2212;
}
@page {
  size: 85.6mm 53.98mm;
  margin: 0;
}
* {
  box-sizing: border-box;
}
html {
  -webkit-print-color-adjust: exact;
  print-color-adjust: exact;
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}
body {
  margin: 0;
  background: #e9ecef;
  color: #1b1f23;
  font-family: "Noto Sans", "Noto Nastaliq Urdu", sans-serif;
}
[lang="ur"] {
  font-family: "Noto Nastaliq Urdu", "Noto Sans", serif;
}
p {
  margin: 0;
}
.controls {
  display: flex;
  flex-wrap: wrap;
  gap: 12px;
  justify-content: center;
  align-items: center;
  padding: 16px;
  font-size: 16px;
}
.controls a,
.controls button {
  font: inherit;
  line-height: 1.5;
  min-height: 44px;
  padding: 8px 20px;
  border-radius: 6px;
  border: 1px solid #0b6e4f;
  background: #fff;
  color: #0b6e4f;
  text-decoration: none;
  cursor: pointer;
  display: inline-flex;
  align-items: center;
}
.controls button {
  background: #0b6e4f;
  color: #fff;
}
.controls a:focus-visible,
.controls button:focus-visible {
  outline: 3px solid #f0a500;
  outline-offset: 2px;
}
.controls:lang(ur) a,
.controls:lang(ur) button {
  font-family: "Noto Nastaliq Urdu", "Noto Sans", serif;
  line-height: 2;
  padding-block: 2px;
}
.sheet {
  display: flex;
  justify-content: center;
  padding: 8px 16px 32px;
}
.card {
  position: relative;
  flex: none;
  width: 85.6mm;
  height: 53.98mm;
  overflow: hidden;
  background: #fff;
  border-radius: 3.18mm;
  box-shadow: 0 1px 3px rgb(0 0 0 / 0.25), 0 6px 20px rgb(0 0 0 / 0.12);
  display: flex;
  flex-direction: column;
  font-size: 7pt;
  line-height: 1.25;
}
@media screen and (min-width: 480px) {
  .card {
    zoom: 1.4;
  }
}
@media screen and (min-width: 720px) {
  .card {
    zoom: 2;
  }
}
.band {
  flex: none;
  height: 8.6mm;
  padding: 0 3mm;
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 2mm;
  background: #0b6e4f;
  color: #fff;
}
.band > * {
  min-width: 0;
  max-width: 60%;
  white-space: nowrap;
  overflow: hidden;
  text-overflow: ellipsis;
}
.centre-ur {
  font-size: 7.5pt;
  line-height: 1.3;
  padding-block: 0.9em;
  margin-block: -0.9em;
}
.centre-en {
  font-size: 6.5pt;
  font-weight: 700;
  letter-spacing: 0.01em;
}
.main {
  flex: 1;
  min-height: 0;
  display: grid;
  grid-template-columns: 17.5mm minmax(0, 1fr) 19mm;
  gap: 2.4mm;
  align-items: start;
  padding: 2.2mm 3mm 0;
}
.photo {
  width: 17.5mm;
  height: 21.9mm;
  border-radius: 1mm;
  overflow: hidden;
  background: #e3eee9;
  border: 0.25mm solid #c4d9cf;
  display: flex;
  align-items: center;
  justify-content: center;
  color: #0b6e4f;
}
.photo img {
  display: block;
  width: 100%;
  height: 100%;
  object-fit: cover;
}
.initials {
  font-size: 15pt;
  font-weight: 700;
  letter-spacing: 0.04em;
}
.initials:lang(ur) {
  font-weight: 400;
  font-size: 13pt;
  line-height: 1;
}
.silhouette {
  width: 70%;
  height: auto;
  fill: currentColor;
  opacity: 0.55;
}
.card[dir="ltr"] .who {
  text-align: left;
}
.card[dir="rtl"] .who {
  text-align: right;
}
.who {
  display: flex;
  flex-direction: column;
  gap: 0.35mm;
  min-width: 0;
}
.name-ur,
.name-en,
.kv {
  white-space: nowrap;
  overflow: hidden;
  text-overflow: ellipsis;
}
.name-ur {
  font-size: 11pt;
  line-height: 1.55;
  padding-block: 0.7em;
  margin-block: -0.75em -0.55em;
}
.name-ur.long {
  font-size: 9.5pt;
}
.name-ur.longer {
  font-size: 8pt;
}
.name-en {
  font-size: 8pt;
  font-weight: 700;
}
.name-en.long {
  font-size: 7pt;
}
/* A very long English name takes two lines rather than losing its end. */
.name-en.longer {
  font-size: 6.5pt;
  line-height: 1.2;
  white-space: normal;
  display: -webkit-box;
  -webkit-box-orient: vertical;
  -webkit-line-clamp: 2;
  line-clamp: 2;
}
.no {
  font-size: 12.5pt;
  font-weight: 700;
  line-height: 1.1;
  letter-spacing: 0.03em;
  font-variant-numeric: tabular-nums;
  white-space: nowrap;
}
.label {
  margin-top: 0.9mm;
  color: #57606a;
  font-size: 5.5pt;
  line-height: 1.5;
  white-space: nowrap;
  text-transform: uppercase;
  letter-spacing: 0.04em;
  padding-block: 0.5em;
  margin-bottom: -0.5em;
}
.label [lang="ur"],
.kv [lang="ur"] {
  text-transform: none;
  letter-spacing: 0;
  font-size: 6.5pt;
  line-height: 1.3;
}
.kv {
  font-size: 6.5pt;
  line-height: 1.6;
  padding-block: 0.35em;
  margin-block: -0.35em;
}
.kv .k {
  color: #57606a;
}
.kv [dir="ltr"] {
  unicode-bidi: isolate;
}
.qr {
  width: 19mm;
  height: 19mm;
  background: #fff;
}
.qr svg {
  display: block;
  width: 100%;
  height: 100%;
}
.barcode {
  flex: none;
  display: flex;
  justify-content: center;
  padding: 0 1.5mm 2.4mm;
  background: #fff;
}
.barcode svg {
  display: block;
  max-width: 100%;
}
@media print {
  html,
  body {
    width: 85.6mm;
    height: 53.98mm;
    overflow: hidden;
    background: #fff;
  }
  .controls {
    display: none;
  }
  .sheet {
    display: block;
    padding: 0;
  }
  .card {
    zoom: 1;
    border-radius: 0;
    box-shadow: none;
    break-inside: avoid;
  }
}
`;

/**
 * The print script, to be served as an external, hashed asset at printScriptUrl (the page has no
 * inline script). It makes the Print button print, and prints a page rendered with autoPrint once
 * its fonts have loaded, so the Nastaliq is never printed in a fallback face.
 */
export const CARD_PRINT_JS = `(function () {
  "use strict";
  function print() {
    var ready = document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve();
    ready.then(function () {
      window.print();
    });
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-card-print]")) print();
  });
  if (document.body && document.body.getAttribute("data-autoprint") === "1") {
    if (document.readyState === "complete") print();
    else window.addEventListener("load", print);
  }
})();
`;

/** A URL made safe to stand unquoted inside CSS url(…) in an inline <style>. */
function cssUrl(url: string): string {
  return url.replace(/[^A-Za-z0-9._~:/?#[\]@!$&*+,;=%-]/g, (ch) =>
    [...new TextEncoder().encode(ch)]
      .map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`)
      .join(""),
  );
}

/** The exact text of the page's inline <style>: what the route hashes for its style-src. */
export function cardStyleText(props: Pick<CardPageProps, "css" | "fontUrduUrl" | "fontLatinUrl">): string {
  return (
    CARD_CSS.replace("__FONT_URDU__", cssUrl(props.fontUrduUrl)).replace(
      "__FONT_LATIN__",
      cssUrl(props.fontLatinUrl),
    ) + props.css.replace(/<\/(style)/gi, "<\\/$1")
  );
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
