// The member card page's own stylesheet and print script, kept apart from its markup
// (CardPage.tsx): the route serves the script as an asset and hashes the style text for its CSP.

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
export function cardStyleText(props: { css: string; fontUrduUrl: string; fontLatinUrl: string }): string {
  return (
    CARD_CSS.replace("__FONT_URDU__", cssUrl(props.fontUrduUrl)).replace(
      "__FONT_LATIN__",
      cssUrl(props.fontLatinUrl),
    ) + props.css.replace(/<\/(style)/gi, "<\\/$1")
  );
}
