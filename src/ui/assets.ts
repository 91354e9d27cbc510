import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export interface Asset {
  /** Public URL with the content hash in it, e.g. /assets/urdu.3f9a1c2b.woff2 */
  url: string;
  body: Buffer;
  type: string;
}

export interface AssetRegistry {
  byUrl: Map<string, Asset>;
  urls: {
    fontUrdu: string;
    fontLatin: string;
    fontLatinBold: string;
    favicon: string;
    commentsJs: string;
    searchJs: string;
    pcsJs: string;
    kioskJs: string;
    queueDisplayJs: string;
  };
  /** The whole stylesheet, inlined in every page so nothing blocks the first paint. */
  css: string;
  /** CSP source for the inline stylesheet. */
  cssHash: string;
}

function fontFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), "files", file);
}

function hashed(name: string, ext: string, body: Buffer, type: string): Asset {
  const hash = crypto.createHash("sha256").update(body).digest("hex").slice(0, 10);
  return { url: `/assets/${name}.${hash}.${ext}`, body, type };
}

/** The Urdu face: the subset made by scripts/build-fonts.ts when present, else the package's full face. */
export function urduFontPath(): string {
  const subset = path.join(here, "assets", "fonts", "noto-nastaliq-urdu-subset.woff2");
  if (fs.existsSync(subset)) return subset;
  return fontFile("@fontsource/noto-nastaliq-urdu", "noto-nastaliq-urdu-arabic-400-normal.woff2");
}

function minifyCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\s+/g, " ")
    .replace(/\s*([{};,>])\s*/g, "$1")
    .replace(/:\s+/g, ":")
    .replace(/;}/g, "}")
    .trim();
}

/** One of our own enhancement scripts from src/ui/assets, served hashed like the fonts. */
function script(name: string): Asset {
  return hashed(
    name,
    "js",
    fs.readFileSync(path.join(here, "assets", `${name}.js`)),
    "text/javascript; charset=utf-8",
  );
}

export function loadAssets(): AssetRegistry {
  const urdu = hashed("urdu", "woff2", fs.readFileSync(urduFontPath()), "font/woff2");
  const latin = hashed(
    "latin",
    "woff2",
    fs.readFileSync(fontFile("@fontsource/noto-sans", "noto-sans-latin-400-normal.woff2")),
    "font/woff2",
  );
  const latinBold = hashed(
    "latin-bold",
    "woff2",
    fs.readFileSync(fontFile("@fontsource/noto-sans", "noto-sans-latin-700-normal.woff2")),
    "font/woff2",
  );
  const favicon = hashed(
    "favicon",
    "svg",
    fs.readFileSync(path.join(here, "assets", "favicon.svg")),
    "image/svg+xml",
  );
  const commentsJs = script("comments");
  const searchJs = script("search");
  const pcsJs = script("pcs");
  const kioskJs = script("kiosk");
  const queueDisplayJs = script("queue-display");
  const css = minifyCss(
    ["styles.css", "search.css", "access.css"]
      .map((file) => fs.readFileSync(path.join(here, "assets", file), "utf8"))
      .join("\n")
      .replace("__FONT_URDU__", urdu.url)
      .replace("__FONT_LATIN__", latin.url)
      .replace("__FONT_LATIN_BOLD__", latinBold.url),
  );
  const cssHash = `'sha256-${crypto.createHash("sha256").update(css).digest("base64")}'`;
  const all = [urdu, latin, latinBold, favicon, commentsJs, searchJs, pcsJs, kioskJs, queueDisplayJs];
  return {
    byUrl: new Map(all.map((a) => [a.url, a])),
    urls: {
      fontUrdu: urdu.url,
      fontLatin: latin.url,
      fontLatinBold: latinBold.url,
      favicon: favicon.url,
      commentsJs: commentsJs.url,
      searchJs: searchJs.url,
      pcsJs: pcsJs.url,
      kioskJs: kioskJs.url,
      queueDisplayJs: queueDisplayJs.url,
    },
    css,
    cssHash,
  };
}
