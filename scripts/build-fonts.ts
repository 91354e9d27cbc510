/**
 * Builds src/ui/assets/fonts/noto-nastaliq-urdu-subset.woff2: Noto Nastaliq Urdu 400 cut down to the
 * characters Urdu text needs, with every OpenType layout feature kept.
 *
 *   npm run build:fonts
 *
 * The subsetter is HarfBuzz's own (hb-subset, through subset-font). Leaving subset-font's `keepFeatures`
 * unset keeps every GSUB/GPOS feature, the equivalent of `hb-subset --layout-features='*'`, and HarfBuzz
 * then keeps every glyph those features can reach from the kept characters (layout closure). Nastaliq
 * depends on that: most of its glyphs are never in the cmap and only exist as the output of
 * ccmp/init/medi/fina/isol/rlig substitutions, positioned by curs/mark/mkmk.
 *
 * After writing the file the script proves nothing was lost: it shapes the Urdu messages, the seed
 * article, and every kept letter pair and mark/base pair with both the original face and the subset,
 * and fails unless the glyph outlines, glyph names (from a name-keeping build of the same subset),
 * clusters, advances and offsets are identical.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import * as hb from "harfbuzzjs";
import { ur } from "../src/i18n/messages/ur.ts";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

type SubsetFont = (
  font: Buffer,
  text: string,
  options: { targetFormat: "woff2" | "sfnt"; glyphNames?: boolean },
) => Promise<Buffer>;
const subsetFont = require("subset-font") as SubsetFont;
// fontverter comes with subset-font; HarfBuzz reads SFNT only, so the WOFF2 files are unpacked with it.
const fontverter = require("fontverter") as { convert(font: Buffer, to: "truetype"): Promise<Buffer> };

const SOURCE = path.join(
  path.dirname(require.resolve("@fontsource/noto-nastaliq-urdu/package.json")),
  "files",
  "noto-nastaliq-urdu-arabic-400-normal.woff2",
);
const OUT = path.join(root, "src", "ui", "assets", "fonts", "noto-nastaliq-urdu-subset.woff2");
const BUDGET = 100 * 1024;

type Range = readonly [number, number];
const one = (ch: string): Range => {
  const cp = ch.codePointAt(0) ?? 0;
  return [cp, cp];
};

/** What the subset keeps. Code points the source face does not have are ignored by the subsetter. */
const KEEP: readonly { label: string; ranges: readonly Range[] }[] = [
  {
    // ء آ أ ؤ إ ئ ا ب ة ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ, ـ, ف ق ك ل م ن ه و ى ي
    label: "Arabic letters U+0621–U+063A, tatweel U+0640, U+0641–U+064A",
    ranges: [
      [0x0621, 0x063a],
      [0x0640, 0x064a],
    ],
  },
  {
    label: "Urdu and Persian letters ٹ پ چ ڈ ڑ ژ ک گ ں ھ ۀ ہ ۂ ۃ ی ے ۓ",
    ranges: [..."ٹپچڈڑژکگںھۀہۂۃیےۓ"].map(one),
  },
  {
    // tanwin, zabar, pesh, zer, shadda, jazm, maddah, hamza above/below, khari zer, ulti pesh, noon ghunna
    // mark, khari zabar. U+0659–U+065F are Pashto, Kashmiri and African marks that Urdu does not use.
    label: "harakat U+064B–U+0658, superscript alef U+0670",
    ranges: [
      [0x064b, 0x0658],
      [0x0670, 0x0670],
    ],
  },
  { label: "honorific and takhallus signs U+0610–U+061A", ranges: [[0x0610, 0x061a]] },
  {
    label: "Urdu digits U+06F0–U+06F9, Arabic-Indic digits U+0660–U+0669",
    ranges: [
      [0x06f0, 0x06f9],
      [0x0660, 0x0669],
    ],
  },
  { label: "Arabic punctuation ، ؛ ؟ ۔ ٪ ٫ ٬ ﴾ ﴿", ranges: [..."،؛؟۔٪٫٬﴾﴿"].map(one) },
  {
    label: "space, NBSP, ZWSP, ZWNJ, ZWJ, LRM, RLM, ALM",
    ranges: [
      [0x0020, 0x0020],
      [0x00a0, 0x00a0],
      [0x200b, 0x200f],
      [0x061c, 0x061c],
    ],
  },
  {
    // The source (Fontsource's Arabic slice) has none of these; Urdu pages get them from Noto Sans,
    // which is next in the :lang(ur) font stack.
    label: "ASCII digits and punctuation used inside Urdu text",
    ranges: [[0x0030, 0x0039], ..."., :;!?()-–—'\"/%+".split("").map(one)],
  },
];

const hex = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;

function codePoints(ranges: readonly Range[]): number[] {
  const out: number[] = [];
  for (const [from, to] of ranges) for (let cp = from; cp <= to; cp++) out.push(cp);
  return out;
}

function rangeList(cps: Iterable<number>): string {
  const sorted = [...new Set(cps)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const cp of sorted) {
    const last = runs.at(-1);
    if (last && last[1] === cp - 1) last[1] = cp;
    else runs.push([cp, cp]);
  }
  return runs.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}–${hex(b)}`)).join(", ");
}

function kb(bytes: number): string {
  return `${bytes} bytes (${(bytes / 1024).toFixed(1)} KB)`;
}

interface Shaper {
  font: hb.Font;
  face: hb.Face;
  outlines: Map<number, string>;
}

function shaper(sfnt: Buffer): Shaper {
  const face = new hb.Face(new hb.Blob(sfnt));
  return { face, font: new hb.Font(face), outlines: new Map() };
}

/** One line per glyph: cluster, glyph identity (outline or name), advance and offset. */
function shapeText(s: Shaper, text: string, language: string | null, identity: "outline" | "name"): string[] {
  const buffer = new hb.Buffer();
  buffer.addText(text);
  buffer.guessSegmentProperties();
  if (language) buffer.setLanguage(language);
  hb.shape(s.font, buffer);
  const positions = buffer.getGlyphPositions();
  return buffer.getGlyphInfos().map((info, i) => {
    const gid = info.codepoint;
    let id: string;
    if (gid === 0) {
      // hb-subset blanks the .notdef outline (its default without --notdef-outline). Browsers never draw
      // it from this face: characters it lacks fall through to the next font in the stack.
      id = ".notdef";
    } else if (identity === "name") {
      id = s.font.glyphName(gid);
    } else {
      id = s.outlines.get(gid) ?? s.font.glyphToPath(gid);
      s.outlines.set(gid, id);
    }
    const p = positions[i];
    return `${info.cluster} ${id} ${p?.xAdvance},${p?.yAdvance} ${p?.xOffset},${p?.yOffset}`;
  });
}

/** script/language → feature tags, for GSUB and GPOS. */
function layoutFeatures(face: hb.Face): string[] {
  const out: string[] = [];
  for (const table of ["GSUB", "GPOS"] as const) {
    face.getTableScriptTags(table).forEach((script, si) => {
      const languages: [string, number][] = [
        ["dflt", 0xffff],
        ...face.getScriptLanguageTags(table, si).map((l, li): [string, number] => [l, li]),
      ];
      for (const [language, li] of languages) {
        const tags = face.getLanguageFeatureTags(table, si, li);
        out.push(`${table} ${script}/${language.trim()}: ${tags.join(" ")}`);
      }
    });
  }
  return out;
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) collectStrings(v, out);
}

function corpus(available: Set<number>, kept: number[]): string[] {
  const texts = [
    "جنوبی کوریا کا پاکستان میں انفارمیشن ایکسیس سنٹر کے قیام کا عندیہ",
    "ٹیلی کمیونیکیشن",
    "۲۰۲۱",
    "٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ ۱۲٫۵٪ ۱٬۲۳۴",
    "کیا آپ نے پڑھا؟ ہاں، پڑھا؛ بہت اچھا۔ ﴿قرآن﴾",
    "بی\u200Cبی، بی\u200Dبی، بـــب، صلی اللہ علیہ وسلمؐ، حضرت علیؑ، رحمۃ اللہ علیہؒ، رضی اللہ عنہؓ",
    "مُحَمَّدٌ، عِلْمٌ، کِتَابًا، قُرْآن، جُزْءٍ، ھٰذا، اِنْ شَاءَ اللّٰہ",
    "\u200Fالو\u200E \u061Cسلام\u00A0دنیا",
  ];
  texts.push(...Object.values(ur));
  const article: unknown = JSON.parse(
    fs.readFileSync(path.join(root, "test", "fixtures", "seed-article", "article.json"), "utf8"),
  );
  collectStrings(article, texts);
  const has = (cp: number): boolean => available.has(cp);
  const isMark = (cp: number): boolean =>
    (cp >= 0x0610 && cp <= 0x061a) || (cp >= 0x064b && cp <= 0x065f) || cp === 0x0670;
  const letters = kept.filter((cp) => has(cp) && cp >= 0x0621 && cp <= 0x06d3 && !isMark(cp));
  const marks = kept.filter((cp) => has(cp) && isMark(cp));
  const ch = String.fromCodePoint;
  // Every letter pair alone and between joining neighbours: initial, medial, final and isolated forms and
  // the Nastaliq contextual (cascading) variants that depend on the next letter.
  for (const a of letters) {
    for (const b of letters) texts.push(`${ch(a)}${ch(b)} ب${ch(a)}${ch(b)}ی س${ch(a)}ہ${ch(b)}ے`);
  }
  // Every mark on a few base shapes, alone and stacked under or over shadda.
  for (const m of marks) {
    texts.push([..."باسدرکیےہمع"].map((base) => `${base}${ch(m)} ب${base}${ch(m)}ّن`).join(" "));
  }
  return texts;
}

function compare(
  label: string,
  a: Shaper,
  b: Shaper,
  texts: string[],
  identity: "outline" | "name",
): { checked: number; glyphs: number; failures: string[] } {
  const failures: string[] = [];
  let checked = 0;
  let glyphs = 0;
  for (const text of texts) {
    for (const language of [null, "ur"]) {
      const left = shapeText(a, text, language, identity);
      const right = shapeText(b, text, language, identity);
      checked++;
      glyphs += left.length;
      const same = left.length === right.length && left.every((g, i) => g === right[i]);
      if (!same && failures.length < 10) failures.push(`${label} [${language ?? "no language"}] ${text}`);
    }
  }
  return { checked, glyphs, failures };
}

async function main(): Promise<void> {
  const source = fs.readFileSync(SOURCE);
  const kept = KEEP.flatMap((g) => codePoints(g.ranges));
  const text = String.fromCodePoint(...kept);

  const subset = await subsetFont(source, text, { targetFormat: "woff2" });
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, subset);

  const originalSfnt = await fontverter.convert(source, "truetype");
  const subsetSfnt = await fontverter.convert(subset, "truetype");
  // The same subset with PostScript glyph names kept, so glyph names can be compared too.
  const namedSfnt = await subsetFont(source, text, { targetFormat: "sfnt", glyphNames: true });
  const original = shaper(originalSfnt);
  const shipped = shaper(subsetSfnt);
  const named = shaper(namedSfnt);

  const available = new Set(original.face.collectUnicodes());
  const covered = new Set(shipped.face.collectUnicodes());
  const absent = kept.filter((cp) => !available.has(cp));

  console.log(`source  ${path.relative(root, SOURCE)}`);
  console.log(`        ${kb(source.length)}`);
  console.log(`subset  ${path.relative(root, OUT)}`);
  console.log(
    `        ${kb(subset.length)} (${Math.round((100 * subset.length) / source.length)}% of the source)`,
  );
  console.log("kept:");
  for (const g of KEEP) console.log(`  ${g.label}`);
  console.log(`in the subset's cmap (${covered.size}): ${rangeList(covered)}`);
  console.log(`asked for but not in the source face (${absent.length}): ${rangeList(absent)}`);

  const problems: string[] = [];
  const lost = kept.filter((cp) => available.has(cp) && !covered.has(cp));
  if (lost.length) problems.push(`code points dropped by the subsetter: ${rangeList(lost)}`);

  const before = layoutFeatures(original.face);
  const after = layoutFeatures(shipped.face);
  console.log("layout features (script/language: features), identical in source and subset:");
  for (const line of after) console.log(`  ${line}`);
  if (before.join("\n") !== after.join("\n")) {
    problems.push(`layout features differ:\n  source: ${before.join("; ")}\n  subset: ${after.join("; ")}`);
  }

  const texts = corpus(available, kept);
  const byOutline = compare("outline", original, shipped, texts, "outline");
  const byName = compare("name", original, named, texts, "name");
  console.log(
    `shaping: ${byOutline.checked} runs (${texts.length} texts × no language / ur), ${byOutline.glyphs} glyphs: ` +
      `outlines, clusters, advances and offsets ${byOutline.failures.length ? "DIFFER" : "identical"}; ` +
      `glyph names ${byName.failures.length ? "DIFFER" : "identical"}`,
  );
  problems.push(...byOutline.failures, ...byName.failures);

  if (subset.length > BUDGET) {
    console.warn(
      `over budget: ${kb(subset.length)} > ${kb(BUDGET)}. The size is the Nastaliq layout data ` +
        "(GSUB contextual rlig lookups and the glyphs they reach), not the character list.",
    );
  }
  if (problems.length) {
    console.error(`FAILED:\n${problems.join("\n")}`);
    process.exitCode = 1;
  }
}

await main();
