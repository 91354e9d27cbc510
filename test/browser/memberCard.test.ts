// The member card's print page in a real Chromium: printed at ID-1 size, the Urdu shaped in
// Nastaliq, the QR code and the Code 128 barcode read back from the rendered pixels to the signed
// member reference, no CNIC anywhere; and the same page made into a one-page PDF by renderPdf.
// The page is served by a tiny node:http server with the app's CSP, so a style attribute or an
// inline script would show up as a problem. Screenshots go to test-artifacts/member-card-*.png.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import jsqr from "jsqr";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import sharp from "sharp";
import type { Browser, Page } from "playwright-core";
import { formatDate } from "../../src/i18n/index.ts";
import { code128Svg, qrSvg } from "../../src/members/card/codes.ts";
import { chromiumPath, renderPdf } from "../../src/members/card/pdf.ts";
import { signMemberRef, verifyMemberRef } from "../../src/members/card/reference.ts";
import { CARD_PRINT_JS, cardStyleText } from "../../src/members/views/cardAssets.ts";
import { CardPage, type CardPageProps } from "../../src/members/views/CardPage.tsx";
import { urduFontPath } from "../../src/ui/assets.ts";
import {
  ARTIFACTS_DIR,
  CHROMIUM_PATH,
  horizontalOverflow,
  launchBrowser,
  PHONE,
  screenshot,
  watchedPage,
} from "./browser.ts";

// jsqr is CommonJS with an ES-style declaration file: its function is also its `default`.
const jsQR = jsqr.default;
const require = createRequire(import.meta.url);
const LATIN_FONT = path.join(
  path.dirname(require.resolve("@fontsource/noto-sans/package.json")),
  "files",
  "noto-sans-latin-400-normal.woff2",
);

const SECRET = crypto.randomBytes(32).toString("hex");
const MEMBER_NO = "ISB01-000123";
const SERIAL = 2;
const REF = signMemberRef(SECRET, MEMBER_NO, SERIAL);
/** The member's CNIC, which the card must never show or encode. */
const CNIC = "3520212345673";
const NAME_UR = "محمد عثمان خان";
const NAME_EN = "Muhammad Usman Khan";
const URDU_FAMILY = "Noto Nastaliq Urdu";
const COOKIE = { name: "rasai_sid", value: crypto.randomBytes(12).toString("hex") };

/** ID-1 at 96 CSS px to the inch. */
const CARD_PX = { width: (85.6 / 25.4) * 96, height: (53.98 / 25.4) * 96 };

type Variant = "ur" | "en" | "ur-nophoto" | "ur-noname" | "en-long";
const LONG_UR = "سیدہ فاطمہ الزہرا بنت محمد عبدالرحمٰن قریشی چشتی";
const LONG_EN = "Syeda Fatima-tuz-Zahra binte Muhammad Abdul Rehman Qureshi Chishti";

async function cardProps(variant: Variant, autoPrint = false): Promise<CardPageProps> {
  const locale = variant.startsWith("ur") ? "ur" : "en";
  return {
    locale,
    css: "",
    fontUrduUrl: "/fonts/urdu.woff2",
    fontLatinUrl: "/fonts/latin.woff2",
    centreNameUr: "انفارمیشن ایکسیس سنٹر اسلام آباد",
    centreNameEn: "Information Access Centre Islamabad",
    memberNo: MEMBER_NO,
    fullNameUr: variant === "ur-noname" ? null : variant === "en-long" ? LONG_UR : NAME_UR,
    fullNameEn:
      variant === "ur-noname" || variant === "ur-nophoto" ? null : variant === "en-long" ? LONG_EN : NAME_EN,
    categoryUr: "طالب علم",
    categoryEn: "Student",
    issued: formatDate(locale, "2026-11-25T06:00:00Z", "Asia/Karachi"),
    photoUrl: variant === "ur" ? "/photo.jpg" : null,
    qrSvg: await qrSvg(REF),
    barcodeSvg: code128Svg(REF),
    autoPrint,
    printScriptUrl: "/print.js",
    backHref: "/back",
    labels: locale === "ur" ? { print: "پرنٹ کریں", back: "واپس" } : { print: "Print", back: "Back" },
  };
}

/** A stand-in passport photo: a figure on a plain background. */
async function photo(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="350" height="440">
    <rect width="350" height="440" fill="#b9c9d6"/>
    <circle cx="175" cy="170" r="80" fill="#8a5a44"/>
    <path d="M35 440c0-100 60-160 140-160s140 60 140 160z" fill="#34495e"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

interface TestServer {
  url: string;
  close(): Promise<void>;
}

async function startCardServer(): Promise<TestServer> {
  const files: Record<string, { body: Buffer; type: string }> = {
    "/fonts/urdu.woff2": { body: fs.readFileSync(urduFontPath()), type: "font/woff2" },
    "/fonts/latin.woff2": { body: fs.readFileSync(LATIN_FONT), type: "font/woff2" },
    "/print.js": { body: Buffer.from(CARD_PRINT_JS), type: "text/javascript; charset=utf-8" },
    "/photo.jpg": { body: await photo(), type: "image/jpeg" },
    "/favicon.ico": { body: Buffer.alloc(0), type: "image/x-icon" },
    "/back": { body: Buffer.from("<!doctype html><title>back</title>"), type: "text/html; charset=utf-8" },
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const card = /^\/card\/(ur|en|ur-nophoto|ur-noname|en-long)$/.exec(url.pathname);
      const isPrivate = url.pathname === "/private/card";
      if (card || isPrivate) {
        if (isPrivate && !(req.headers.cookie ?? "").includes(`${COOKIE.name}=${COOKIE.value}`)) {
          res.writeHead(403, { "content-type": "text/plain" }).end("sign in first");
          return;
        }
        const props = await cardProps((card?.[1] ?? "ur") as Variant, url.searchParams.has("print"));
        const styleHash = crypto.createHash("sha256").update(cardStyleText(props)).digest("base64");
        const html = `<!doctype html>${renderToString(h(CardPage, props))}`;
        res
          .writeHead(200, {
            "content-type": "text/html; charset=utf-8",
            "content-security-policy": [
              "default-src 'self'",
              "script-src 'self'",
              `style-src 'self' 'sha256-${styleHash}'`,
              "img-src 'self' data:",
              "font-src 'self'",
              "object-src 'none'",
              "base-uri 'self'",
            ].join("; "),
          })
          .end(html);
        return;
      }
      const file = files[url.pathname];
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": file.type, "cache-control": "no-store" }).end(file.body);
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Whether the Nastaliq face is loaded and used for `text`. */
async function urduFontLoaded(page: Page, text: string): Promise<{ check: boolean; statuses: string[] }> {
  return page.evaluate(
    async ({ family, text }) => {
      await document.fonts.ready;
      const statuses: string[] = [];
      document.fonts.forEach((face) => {
        if (face.family.replace(/["']/g, "") === family) statuses.push(face.status);
      });
      return { check: document.fonts.check(`16px "${family}"`, text), statuses };
    },
    { family: URDU_FAMILY, text },
  );
}

/**
 * The rendered width of an Urdu line beside the same letters kept apart by ZERO WIDTH NON-JOINER:
 * shaped Nastaliq joins the letters of a word into a descending ligature, far narrower than its
 * isolated letters side by side. Measured on a clone of the card's own element, in its own CSS.
 */
async function joinedWidths(
  page: Page,
  selector: string,
): Promise<{ joined: number; apart: number; family: string }> {
  // No named functions in here: tsx would wrap them in a helper the page does not have.
  return page.evaluate((selector) => {
    const element = document.querySelector(selector) as HTMLElement;
    const apart = element.cloneNode(true) as HTMLElement;
    apart.textContent = [...(element.textContent ?? "")].join("\u200c");
    apart.style.overflow = "visible";
    element.after(apart);
    const [joined, separate] = [element, apart].map((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return range.getBoundingClientRect().width;
    });
    apart.remove();
    return { joined: joined!, apart: separate!, family: getComputedStyle(element).fontFamily };
  }, selector);
}

/** The PNG's pixels as luminance, row by row. */
async function grey(
  png: Buffer,
): Promise<{ data: Uint8ClampedArray; width: number; height: number; rgba: Uint8ClampedArray }> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const rgba = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  const lum = new Uint8ClampedArray(info.width * info.height);
  for (let i = 0; i < lum.length; i++) {
    lum[i] = Math.round(0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!);
  }
  return { data: lum, width: info.width, height: info.height, rgba };
}

// Code 128 bar/space patterns for values 0–106 (106 is the stop pattern), from ISO/IEC 15417.
const CODE128 =
  `212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132
  122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211
  212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 113123
  113321 133121 313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 314111 221411
  431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111
  241112 134111 111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 412121 111143 111341
  131141 114113 114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112`.split(/\s+/);

/**
 * Reads a Code 128 symbol from one row of pixels: the runs between the first and the last bar,
 * each symbol's six runs scaled to its eleven modules, looked up, check digit verified, decoded
 * through code sets A, B and C. Also returns the quiet zones either side, in modules.
 */
function decodeCode128(row: Uint8ClampedArray): { text: string; quietLeft: number; quietRight: number } {
  const dark = [...row].map((v) => v < 128);
  const first = dark.indexOf(true);
  const last = dark.lastIndexOf(true);
  assert.ok(first >= 0, "no bars in the barcode row");
  const runs: number[] = [];
  for (let i = first, start = first; i <= last + 1; i++) {
    if (i === last + 1 || dark[i] !== dark[start]) {
      runs.push(i - start);
      start = i;
    }
  }
  assert.equal((runs.length - 7) % 6, 0, `run count ${runs.length} is not a Code 128 symbol`);
  const symbols = (runs.length - 7) / 6;
  const module = (last + 1 - first) / (symbols * 11 + 13);
  const values: number[] = [];
  for (let s = 0; s < symbols; s++) {
    const group = runs.slice(s * 6, s * 6 + 6);
    const total = group.reduce((a, b) => a + b, 0);
    const pattern = group.map((r) => Math.min(4, Math.max(1, Math.round((r * 11) / total)))).join("");
    const value = CODE128.indexOf(pattern);
    assert.ok(value >= 0 && value < 106, `symbol ${s}: unknown pattern ${pattern}`);
    values.push(value);
  }
  const stop = runs
    .slice(-7)
    .map((r) => Math.round(r / module))
    .join("");
  assert.equal(stop, "2331112", "stop pattern");
  const [start, ...rest] = values as [number, ...number[]];
  const check = rest.pop()!;
  assert.equal((start + rest.reduce((sum, v, i) => sum + v * (i + 1), 0)) % 103, check, "check symbol");
  let set = ({ 103: "A", 104: "B", 105: "C" } as Record<number, string>)[start];
  assert.ok(set, `start symbol ${start}`);
  let text = "";
  for (const v of rest) {
    if (v === 99 && set !== "C") set = "C";
    else if (v === 100 && set !== "B") set = "B";
    else if (v === 101 && set !== "A") set = "A";
    else if (set === "C") text += String(v).padStart(2, "0");
    else if (v < 64) text += String.fromCharCode(v + 32);
    else if (set === "B" && v < 96) text += String.fromCharCode(v + 32);
    else if (set === "A" && v < 96) text += String.fromCharCode(v - 64);
    else assert.fail(`function code ${v} in set ${set}`);
  }
  return { text, quietLeft: first / module, quietRight: (row.length - 1 - last) / module };
}

describe("the member card", () => {
  let browser: Browser;
  let server: TestServer;

  before(async () => {
    browser = await launchBrowser();
    server = await startCardServer();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const variant of ["ur", "en", "ur-nophoto", "ur-noname", "en-long"] as const) {
    it(`prints at ID-1 size with shaped Nastaliq, and its QR code and barcode read back the signed reference (${variant})`, async () => {
      const screen = await watchedPage(browser, {
        viewport: { width: 1000, height: 700 },
        deviceScaleFactor: 1,
      });
      try {
        const { page } = screen;
        await page.goto(`${server.url}/card/${variant}`);
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        await screenshot(page, `member-card-screen-${variant}`);
        const onScreen = await page.locator("#member-card").boundingBox();
        assert.ok(onScreen && onScreen.width > CARD_PX.width * 1.5, "the screen shows the card larger");
        assert.equal(await page.locator(".controls").isVisible(), true);
        assert.equal(await page.locator(".controls a").getAttribute("href"), "/back");
        assert.deepEqual(screen.problems, []);
      } finally {
        await screen.close();
      }

      // On the desk's phone the card fits the screen without sideways scrolling.
      const phone = await watchedPage(browser, PHONE);
      try {
        const { page } = phone;
        await page.goto(`${server.url}/card/${variant}`);
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        const { scrollWidth, viewport } = await horizontalOverflow(page);
        assert.ok(scrollWidth <= viewport, `no sideways scroll at 360 px (${scrollWidth})`);
        if (variant === "ur") await screenshot(page, "member-card-screen-ur-360");
        assert.deepEqual(phone.problems, []);
      } finally {
        await phone.close();
      }

      // Four device pixels to the CSS pixel: about 390 dpi, finer than a card printer's 300.
      const print = await watchedPage(browser, {
        viewport: { width: 1000, height: 700 },
        deviceScaleFactor: 4,
      });
      try {
        const { page } = print;
        await page.emulateMedia({ media: "print" });
        await page.goto(`${server.url}/card/${variant}`);
        await page.evaluate(() => document.fonts.ready.then(() => undefined));

        const box = await page.locator("#member-card").boundingBox();
        assert.ok(box, "the card is laid out");
        assert.ok(Math.abs(box.width - CARD_PX.width) < 0.5, `card width ${box.width} px, not 85.6 mm`);
        assert.ok(Math.abs(box.height - CARD_PX.height) < 0.5, `card height ${box.height} px, not 53.98 mm`);
        assert.equal(await page.locator(".controls").isVisible(), false, "no controls on the printed card");
        // Nothing but the card on the printed page, so it prints as one page.
        const printed = await page.evaluate(() => {
          const r = document.body.getBoundingClientRect();
          return { width: r.width, height: r.height };
        });
        assert.ok(
          printed.width <= CARD_PX.width + 0.5 && printed.height <= CARD_PX.height + 0.5,
          `the printed page is larger than the card: ${JSON.stringify(printed)}`,
        );

        const font = await urduFontLoaded(page, NAME_UR);
        assert.ok(
          font.check && font.statuses.includes("loaded"),
          `Noto Nastaliq Urdu loaded: ${JSON.stringify(font)}`,
        );
        for (const selector of [variant === "ur-noname" ? null : ".name-ur", ".centre-ur"]) {
          if (!selector) continue;
          const widths = await joinedWidths(page, selector);
          assert.match(widths.family, /^"?Noto Nastaliq Urdu"?/, `${selector} is set in Nastaliq`);
          assert.ok(
            widths.joined < widths.apart * 0.7,
            `${selector} is shaped: joined ${widths.joined.toFixed(1)} px, letters apart ${widths.apart.toFixed(1)} px`,
          );
        }

        const text = await page.locator("#member-card").innerText();
        const html = await page.content();
        assert.ok(text.includes(MEMBER_NO), "member number on the card");
        assert.ok(!html.includes(CNIC) && !/\d{5}-?\d{7}-?\d/.test(html), "no CNIC on the page");
        if (variant === "en-long") assert.ok(text.includes(LONG_UR) && text.includes(LONG_EN));
        else if (variant !== "ur-noname") assert.ok(text.includes(NAME_UR));
        if (variant === "ur" || variant === "en") assert.ok(text.includes(NAME_EN));

        // Every part stays inside the card and clear of its neighbours, however long the names.
        const parts = await page.evaluate(() =>
          [".band", ".photo", ".who", ".qr", ".barcode svg", ".who > *"].flatMap((sel) =>
            [...document.querySelectorAll(sel)].map((el) => {
              const r = el.getBoundingClientRect();
              return { sel, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
            }),
          ),
        );
        const inCard = (p: (typeof parts)[number]) =>
          p.left >= box.x - 0.5 &&
          p.right <= box.x + box.width + 0.5 &&
          p.top >= box.y - 0.5 &&
          p.bottom <= box.y + box.height + 0.5;
        const overlap = (a: (typeof parts)[number], b: (typeof parts)[number]) =>
          a.left < b.right - 0.5 &&
          b.left < a.right - 0.5 &&
          a.top < b.bottom - 0.5 &&
          b.top < a.bottom - 0.5;
        for (const p of parts) assert.ok(inCard(p), `${p.sel} inside the card: ${JSON.stringify(p)}`);
        const blocks = parts.filter((p) => [".photo", ".qr", ".barcode svg"].includes(p.sel));
        for (const line of parts.filter((p) => p.sel === ".who > *")) {
          for (const b of blocks) assert.ok(!overlap(line, b), `a line of text overlaps ${b.sel}`);
        }
        assert.equal(await page.locator(".photo img").count(), variant === "ur" ? 1 : 0);
        if (variant === "ur") {
          assert.ok(
            await page.locator(".photo img").evaluate((img: HTMLImageElement) => img.naturalWidth > 0),
          );
        }

        await screenshot(page, `member-card-print-${variant}-page`);
        const png = await page
          .locator("#member-card")
          .screenshot({ path: path.join(ARTIFACTS_DIR, `member-card-print-${variant}.png`) });
        const img = await grey(png);
        assert.ok(Math.abs(img.width - CARD_PX.width * 4) <= 4, `screenshot width ${img.width}`);
        const qr = jsQR(img.rgba, img.width, img.height);
        assert.ok(qr, "the QR code is found in the rendered card");
        assert.equal(qr.data, REF);
        assert.deepEqual(verifyMemberRef(SECRET, qr.data), { memberNo: MEMBER_NO, serial: SERIAL });

        // The QR code is at least 18 mm across.
        const qrBox = await page.locator(".qr svg").boundingBox();
        assert.ok(qrBox && qrBox.width >= (18 / 25.4) * 96, `QR ${qrBox?.width} px`);

        // The barcode, read across three rows of pixels, with its quiet zones.
        const bar = await page.locator(".barcode svg").boundingBox();
        assert.ok(bar, "the barcode is laid out");
        assert.ok(bar.width <= box.width, "the barcode fits the card");
        const y0 = Math.round((bar.y - box.y) * 4);
        for (const fraction of [0.25, 0.5, 0.75]) {
          const y = y0 + Math.round(bar.height * 4 * fraction);
          const row = img.data.slice(y * img.width, (y + 1) * img.width);
          const read = decodeCode128(row);
          assert.equal(read.text, REF);
          assert.ok(read.quietLeft >= 10 && read.quietRight >= 10, `quiet zones ${JSON.stringify(read)}`);
        }
        assert.deepEqual(print.problems, []);
      } finally {
        await print.close();
      }
    });
  }

  it("prints from the Print button, and by itself when rendered to print, once the fonts are in", async () => {
    for (const [pathname, click, expected] of [
      ["/card/en", true, 1],
      ["/card/ur?print", false, 1],
      ["/card/ur", false, 0],
    ] as const) {
      const w = await watchedPage(browser, { viewport: { width: 800, height: 600 } });
      try {
        const { page } = w;
        await page.addInitScript(() => {
          const state = window as unknown as { __prints: number; __fontsAtPrint: string };
          state.__prints = 0;
          window.print = () => {
            state.__prints += 1;
            state.__fontsAtPrint = document.fonts.status;
          };
        });
        await page.goto(`${server.url}${pathname}`, { waitUntil: "load" });
        if (click) await page.getByRole("button", { name: "Print" }).click();
        await page.waitForTimeout(300);
        const { prints, fonts } = await page.evaluate(() => {
          const s = window as unknown as { __prints: number; __fontsAtPrint?: string };
          return { prints: s.__prints, fonts: s.__fontsAtPrint ?? null };
        });
        assert.equal(prints, expected, `${pathname}: window.print() called ${prints} times`);
        if (expected) assert.equal(fonts, "loaded", "printed only after the fonts loaded");
        assert.deepEqual(w.problems, []);
      } finally {
        await w.close();
      }
    }
  });

  it("is made into a one-page ID-1 PDF by headless Chromium, behind a session cookie too", async () => {
    assert.equal(chromiumPath({ RASAI_CHROMIUM: CHROMIUM_PATH }), CHROMIUM_PATH);
    assert.equal(chromiumPath({ RASAI_CHROMIUM: "/nonexistent/chromium" }), chromiumPath({}));

    for (const url of [`${server.url}/card/ur`, `${server.url}/card/ur?print`]) {
      const pdf = await renderPdf(url);
      assert.ok(pdf, "Chromium is installed, so there is a PDF");
      assertOnePageCard(pdf);
    }

    const host = new URL(server.url).hostname;
    await assert.rejects(renderPdf(`${server.url}/private/card`), /answered 403/);
    const pdf = await renderPdf(`${server.url}/private/card`, { cookie: { ...COOKIE, domain: host } });
    assert.ok(pdf);
    assertOnePageCard(pdf);
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS_DIR, "member-card.pdf"), pdf);
  });
});

function assertOnePageCard(pdf: Buffer): void {
  const text = pdf.toString("latin1");
  assert.equal(text.slice(0, 5), "%PDF-");
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? [];
  assert.equal(pages.length, 1, `${pages.length} pages`);
  // The Nastaliq and Latin faces are embedded, and nothing was drawn in a fallback face.
  const fonts = new Set([...text.matchAll(/\/FontName\s*\/[A-Z]{6}\+([^\s/]+)/g)].map((m) => m[1]));
  assert.deepEqual([...fonts].sort(), ["NotoNastaliqUrdu-Regular", "NotoSans-Regular"]);
  const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text);
  assert.ok(box, "a MediaBox");
  // 85.6 mm × 53.98 mm in points.
  assert.ok(Math.abs(Number(box[1]) - (85.6 / 25.4) * 72) < 1, `PDF page width ${box[1]} pt`);
  assert.ok(Math.abs(Number(box[2]) - (53.98 / 25.4) * 72) < 1, `PDF page height ${box[2]} pt`);
}
