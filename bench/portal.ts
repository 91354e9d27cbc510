// Portal bench: the seed article page and the Urdu home page under load, SQLite and
// PostgreSQL side by side (req/s, p50/p99, bytes on the wire, RSS), plus the page-weight
// budget of the issue: HTML+CSS compressed, the Urdu font, the 480-px lead image.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { runPathsBench, type Target } from "./http.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ENCODING = {
  "accept-encoding": "br, gzip",
  "user-agent": "Mozilla/5.0 (Linux; Android 10) rasai-bench",
};

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false, timeout: 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

async function articlePath(baseUrl: string): Promise<string> {
  const home = (await get(`${baseUrl}/ur`)).body.toString();
  const m = /href="(\/ur\/articles\/[^"]+)">جنوبی/.exec(home);
  if (!m) throw new Error("the seed article is not on the home page");
  return m[1]!;
}

async function resolveTargets(baseUrl: string): Promise<Target[]> {
  return [
    { label: "article /ur/articles/…", path: await articlePath(baseUrl), headers: ENCODING },
    { label: "home /ur", path: "/ur", headers: ENCODING },
    { label: "search /ur/search?q=کمپیوٹر", path: SEARCH_PATH, headers: ENCODING },
  ];
}

// A query with several results in the demo content, each with a highlighted snippet.
const SEARCH_PATH = `/ur/search?q=${encodeURIComponent("کمپیوٹر")}`;

async function budget(urls: Record<string, string>): Promise<Record<string, unknown>> {
  const baseUrl = Object.values(urls)[0]!;
  const article = await articlePath(baseUrl);
  const plain = await get(`${baseUrl}${article}`, { "user-agent": "rasai-bench" });
  const html = plain.body;
  const br = zlib.brotliCompressSync(html, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }).length;
  const onWireBr = (
    await get(`${baseUrl}${article}`, { "accept-encoding": "br", "user-agent": "rasai-bench" })
  ).body.length;
  const onWireGzip = (
    await get(`${baseUrl}${article}`, { "accept-encoding": "gzip", "user-agent": "rasai-bench" })
  ).body.length;
  const text = html.toString();
  const css = /<style>([\s\S]*?)<\/style>/.exec(text)?.[1] ?? "";
  const blocking = [
    ...text.matchAll(
      /<link[^>]+rel="stylesheet"|<script(?![^>]*(defer|async|application\/ld\+json))[^>]*src=/g,
    ),
  ].length;
  const fontUrl = /url\((\/assets\/urdu\.[0-9a-f]+\.woff2)\)/.exec(text)?.[1];
  const font = fontUrl ? (await get(`${baseUrl}${fontUrl}`)).body.length : null;
  const sourceFont = fs.statSync(
    path.join(
      root,
      "node_modules/@fontsource/noto-nastaliq-urdu/files/noto-nastaliq-urdu-arabic-400-normal.woff2",
    ),
  ).size;
  const images: Record<string, number> = {};
  for (const m of text.matchAll(/\/media\/([a-z0-9-]+-480\.(avif|webp|jpg))/g)) {
    images[m[2]!] = (await get(`${baseUrl}/media/${m[1]}`)).body.length;
  }
  const searchPlain = (await get(`${baseUrl}${SEARCH_PATH}`, { "user-agent": "rasai-bench" })).body.length;
  const searchBr = (
    await get(`${baseUrl}${SEARCH_PATH}`, { "accept-encoding": "br", "user-agent": "rasai-bench" })
  ).body.length;
  const searchGzip = (
    await get(`${baseUrl}${SEARCH_PATH}`, { "accept-encoding": "gzip", "user-agent": "rasai-bench" })
  ).body.length;
  const kb = (n: number | null) => (n === null ? "–" : `${(n / 1024).toFixed(1)} KB`);
  const lines = [
    "Budget (seed article page, SQLite server):",
    `  HTML incl. inline CSS: ${kb(html.length)} raw; on the wire ${kb(onWireBr)} br, ${kb(onWireGzip)} gzip (budget 14 KB compressed)`,
    `  of which inline CSS: ${kb(css.length)} raw; blocking requests besides the HTML: ${blocking}; scripts needed: none (comments.js only enhances)`,
    `  Urdu font: ${kb(font)} woff2 (package face ${kb(sourceFont)}; budget 100 KB)`,
    `  lead image at 480 px: ${Object.entries(images)
      .map(([f, n]) => `${f} ${kb(n)}`)
      .join(", ")} (budget 60 KB)`,
    `Search results page (${SEARCH_PATH}): ${kb(searchPlain)} raw; on the wire ${kb(searchBr)} br, ${kb(searchGzip)} gzip (budget 14 KB compressed)`,
  ];
  return {
    report: lines.join("\n"),
    articleHtmlBytes: html.length,
    articleBrotliBytesOnWire: onWireBr,
    articleGzipBytesOnWire: onWireGzip,
    articleBrotliBytesQ5: br,
    inlineCssBytes: css.length,
    blockingRequests: blocking,
    urduFontBytes: font,
    sourceFontBytes: sourceFont,
    leadImage480Bytes: images,
    searchPageBytes: searchPlain,
    searchPageBrotliBytesOnWire: searchBr,
    searchPageGzipBytesOnWire: searchGzip,
  };
}

export async function run(args: string[]): Promise<void> {
  await runPathsBench("portal", "portal", args, resolveTargets, budget);
}
