/**
 * Lead images for articles: validate an upload, then write small responsive variants
 * (AVIF, WebP and a progressive JPEG fallback at 480/800/1200 px) for readers on cheap
 * phones over slow links. Pure: no HTTP, no database — bytes in, files in outDir out.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Metadata, OutputInfo, Sharp } from "sharp";
import type SharpFactory from "sharp";

// libvips costs ~20 MiB of memory once loaded: load it only when an image is processed,
// so a centre's server that serves pages (most of the time) does not carry it.
let sharpModule: Promise<{ default: typeof SharpFactory }> | undefined;
export async function loadSharp(): Promise<typeof SharpFactory> {
  sharpModule ??= import("sharp");
  return (await sharpModule).default;
}

export type ImageFormat = "avif" | "webp" | "jpeg";

export interface ImageVariant {
  width: number;
  format: ImageFormat;
  /** File name inside outDir, `${baseName}-${width}.${ext}`. */
  file: string;
  bytes: number;
}

export interface ProcessedImage {
  /** Size of the largest variant written (the EXIF-oriented original, capped at 1200 px wide). */
  width: number;
  height: number;
  variants: ImageVariant[];
}

export type ImageRejectedCode =
  "not_an_image" | "unsupported_format" | "too_large" | "too_small" | "too_many_pixels";

export class ImageRejected extends Error {
  readonly code: ImageRejectedCode;

  constructor(code: ImageRejectedCode, message: string) {
    super(message);
    this.name = "ImageRejected";
    this.code = code;
  }
}

/** Upload limit, checked before anything is decoded. */
export const MAX_INPUT_BYTES = 15 * 1024 * 1024;
/** Narrower images are rejected: they would look poor even on a phone. */
export const MIN_INPUT_WIDTH = 320;
/** Also handed to sharp as limitInputPixels, so a decompression bomb fails while decoding. */
export const MAX_INPUT_PIXELS = 40_000_000;
export const LEAD_IMAGE_WIDTHS: readonly number[] = [480, 800, 1200];
/**
 * Byte budget for each variant at most 480 px wide. Real photos fit at the default settings; one that
 * does not is re-encoded at lower quality down to a floor (pure noise can still exceed it there).
 */
export const SMALL_VARIANT_BUDGET_BYTES = 60 * 1024;
const SMALL_VARIANT_MAX_WIDTH = 480;

/**
 * Encoder settings. Measured on a 480 px street photo: AVIF ≈ 9 KB, WebP ≈ 12 KB, JPEG ≈ 15 KB;
 * on a detailed circuit-board photo: ≈ 24 / 38 / 38 KB. AVIF effort 3 is within ~2 % of effort 4
 * in size and about four times faster.
 */
export const ENCODER_SETTINGS = {
  avif: { quality: 55, effort: 3 },
  webp: { quality: 75, effort: 6, smartSubsample: true },
  jpeg: { quality: 75, progressive: true, mozjpeg: true },
} as const;
/** If a small variant is over budget, quality drops in these steps down to the floor. */
const QUALITY_STEP = 10;
const QUALITY_FLOOR: Record<ImageFormat, number> = { avif: 35, webp: 50, jpeg: 50 };

const FORMATS: readonly ImageFormat[] = ["avif", "webp", "jpeg"];
const EXTENSION: Record<ImageFormat, string> = { avif: "avif", webp: "webp", jpeg: "jpg" };
const SAFE_BASE_NAME = /^[a-z0-9][a-z0-9_-]{0,80}$/i;

type Sniffed = "jpeg" | "png" | "webp" | "avif" | "other-image" | "unknown";

function ascii(buf: Buffer, start: number, end: number): string {
  return buf.subarray(start, end).toString("latin1");
}

/** Identify the container from its magic bytes, before any decoder sees the data. */
function sniff(buf: Buffer): Sniffed {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return "jpeg";
  if (
    buf.length >= 8 &&
    buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return "png";
  if (buf.length >= 12 && ascii(buf, 0, 4) === "RIFF" && ascii(buf, 8, 12) === "WEBP") return "webp";
  if (buf.length >= 12 && ascii(buf, 4, 8) === "ftyp") {
    const boxSize = Math.min(buf.readUInt32BE(0), buf.length, 256);
    const brands: string[] = [ascii(buf, 8, 12)];
    for (let i = 16; i + 4 <= boxSize; i += 4) brands.push(ascii(buf, i, i + 4));
    if (brands.includes("avif") || brands.includes("avis")) return "avif";
    if (brands.some((b) => ["heic", "heix", "hevc", "heim", "heis", "mif1", "msf1", "jxl "].includes(b)))
      return "other-image";
    return "unknown";
  }
  const head = ascii(buf, 0, 12);
  if (head.startsWith("GIF87a") || head.startsWith("GIF89a")) return "other-image";
  if (head.startsWith("BM") || head.startsWith("8BPS")) return "other-image";
  if (head.startsWith("II*\0") || head.startsWith("MM\0*")) return "other-image";
  if (buf.length >= 4 && buf.readUInt32BE(0) === 0x00000100) return "other-image"; // ICO
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0x0a) return "other-image"; // JPEG XL
  if (ascii(buf, 0, 12).startsWith("\0\0\0\x0cJXL ")) return "other-image";
  const text = buf.subarray(0, 512).toString("utf8").trimStart().toLowerCase();
  if (text.startsWith("<svg") || (text.startsWith("<?xml") && text.includes("<svg"))) return "other-image";
  return "unknown";
}

/** A decoder error as the rejection a person is shown. */
export function rejectFromSharp(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) {
    throw new ImageRejected("too_many_pixels", "the image has too many pixels to decode");
  }
  throw new ImageRejected("not_an_image", "the image could not be decoded");
}

export interface Validated {
  /** Dimensions after EXIF auto-orientation. */
  width: number;
  height: number;
}

/**
 * The checks every upload gets, whatever it is for (lead image, member photo): size, magic
 * bytes of an accepted format that the decoder agrees with, and the pixel limit. Returns the
 * dimensions after EXIF auto-orientation; each use checks its own minimum.
 */
export async function checkImageUpload(input: Buffer): Promise<Validated> {
  if (input.length > MAX_INPUT_BYTES) {
    throw new ImageRejected("too_large", `image is ${input.length} bytes; the limit is ${MAX_INPUT_BYTES}`);
  }
  const kind = sniff(input);
  if (kind === "unknown") throw new ImageRejected("not_an_image", "the file is not an image");
  if (kind === "other-image") {
    throw new ImageRejected("unsupported_format", "only JPEG, PNG, WebP and AVIF images are accepted");
  }
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch (err) {
    rejectFromSharp(err);
  }
  const decoded = meta.format === "heif" && meta.compression === "av1" ? "avif" : meta.format;
  if (decoded !== kind) {
    throw new ImageRejected("unsupported_format", "only JPEG, PNG, WebP and AVIF images are accepted");
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new ImageRejected("not_an_image", "the image has no dimensions");
  if (width * height > MAX_INPUT_PIXELS) {
    throw new ImageRejected("too_many_pixels", `image is ${width}×${height}; the limit is 40 megapixels`);
  }
  return { width, height };
}

async function validate(input: Buffer): Promise<Validated> {
  const { width, height } = await checkImageUpload(input);
  if (width < MIN_INPUT_WIDTH) {
    throw new ImageRejected(
      "too_small",
      `image is ${width} px wide; at least ${MIN_INPUT_WIDTH} px is needed`,
    );
  }
  return { width, height };
}

/** Widths to produce: the standard ones that do not upscale, or the original width if under 480. */
export function variantWidths(originalWidth: number): number[] {
  const widths = LEAD_IMAGE_WIDTHS.filter((w) => w <= originalWidth);
  return widths.length > 0 ? widths : [originalWidth];
}

function encode(pipeline: Sharp, format: ImageFormat, quality: number): Promise<Buffer> {
  switch (format) {
    case "avif":
      return pipeline.avif({ ...ENCODER_SETTINGS.avif, quality }).toBuffer();
    case "webp":
      return pipeline.webp({ ...ENCODER_SETTINGS.webp, quality }).toBuffer();
    case "jpeg":
      // JPEG has no alpha: transparent areas become white, as on the page background.
      return pipeline
        .flatten({ background: "#ffffff" })
        .jpeg({ ...ENCODER_SETTINGS.jpeg, quality })
        .toBuffer();
  }
}

/**
 * Validate `input`, then write AVIF, WebP and JPEG variants to `outDir` as `${baseName}-${width}.${ext}`.
 * The output is auto-oriented, converted to sRGB and carries no metadata (EXIF, GPS, XMP, ICC).
 * Files are first written under temporary names and renamed only once every variant has encoded,
 * so a failure leaves the existing files alone.
 */
export async function processLeadImage(
  input: Buffer,
  outDir: string,
  baseName: string,
): Promise<ProcessedImage> {
  if (!SAFE_BASE_NAME.test(baseName))
    throw new TypeError(`unsafe image base name: ${JSON.stringify(baseName)}`);
  const original = await validate(input);
  const widths = variantWidths(original.width);
  const largest = Math.max(...widths);

  // Decode once: orient, convert to 8-bit sRGB and scale to the largest width we will serve.
  // Everything after this works from this small master instead of re-decoding the upload.
  const sharp = await loadSharp();
  let master: { data: Buffer; info: OutputInfo };
  try {
    master = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
      .autoOrient()
      .resize({ width: largest, withoutEnlargement: true })
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    rejectFromSharp(err);
  }
  const { width: masterWidth, height: masterHeight, channels } = master.info;
  const fromMaster = (): Sharp =>
    sharp(master.data, { raw: { width: masterWidth, height: masterHeight, channels } });

  await fs.mkdir(outDir, { recursive: true });
  const staged: { tmp: string; final: string }[] = [];
  const variants: ImageVariant[] = [];
  try {
    for (const width of widths) {
      for (const format of FORMATS) {
        const base = width === masterWidth ? fromMaster() : fromMaster().resize({ width });
        let quality: number = ENCODER_SETTINGS[format].quality;
        let data = await encode(base.clone(), format, quality);
        while (
          width <= SMALL_VARIANT_MAX_WIDTH &&
          data.length > SMALL_VARIANT_BUDGET_BYTES &&
          quality > QUALITY_FLOOR[format]
        ) {
          quality = Math.max(QUALITY_FLOOR[format], quality - QUALITY_STEP);
          data = await encode(base.clone(), format, quality);
        }
        const file = `${baseName}-${width}.${EXTENSION[format]}`;
        const final = path.join(outDir, file);
        // A leading dot keeps half-written files out of anything that lists or serves media names.
        const tmp = path.join(outDir, `.${file}.${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
        staged.push({ tmp, final });
        await fs.writeFile(tmp, data);
        variants.push({ width, format, file, bytes: data.length });
      }
    }
    for (const { tmp, final } of staged) await fs.rename(tmp, final);
  } catch (err) {
    await Promise.all(staged.map(({ tmp }) => fs.rm(tmp, { force: true })));
    throw err;
  }

  return { width: masterWidth, height: masterHeight, variants };
}

function joinUrl(prefix: string, file: string): string {
  return `${prefix.endsWith("/") ? prefix : `${prefix}/`}${file}`;
}

/** What a page needs of a stored variant (its byte count stays with the upload step). */
export type VariantRef = Pick<ImageVariant, "width" | "format" | "file">;

function ofFormat(variants: readonly VariantRef[], format: ImageFormat): VariantRef[] {
  return variants.filter((v) => v.format === format).sort((a, b) => a.width - b.width);
}

/** `srcset` for one format, narrowest first: "/media/x-480.webp 480w, /media/x-800.webp 800w". */
export function srcsetFor(
  variants: readonly VariantRef[],
  format: ImageFormat,
  urlPrefix: string = "/media/",
): string {
  return ofFormat(variants, format)
    .map((v) => `${joinUrl(urlPrefix, v.file)} ${v.width}w`)
    .join(", ");
}

export interface PictureSource {
  type: "image/avif" | "image/webp";
  srcset: string;
}

export interface PictureSources {
  /** `<source>` elements in order of preference (AVIF, then WebP); formats with no variants are left out. */
  sources: PictureSource[];
  /** For the `<img>`: `src` is the narrowest JPEG, for browsers that ignore `srcset`. */
  fallback: { src: string; srcset: string };
}

/**
 * Plain data for `<picture><source type srcset sizes>…<img src srcset sizes width height alt loading>`;
 * `sizes`, `alt`, `loading` and the dimensions are the page's to add.
 */
export function pictureSources(
  variants: readonly VariantRef[],
  urlPrefix: string = "/media/",
): PictureSources {
  const sources: PictureSource[] = [];
  for (const [format, type] of [
    ["avif", "image/avif"],
    ["webp", "image/webp"],
  ] as const) {
    const srcset = srcsetFor(variants, format, urlPrefix);
    if (srcset) sources.push({ type, srcset });
  }
  const jpegs = ofFormat(variants, "jpeg");
  const narrowest = jpegs[0];
  return {
    sources,
    fallback: {
      src: narrowest ? joinUrl(urlPrefix, narrowest.file) : "",
      srcset: srcsetFor(variants, "jpeg", urlPrefix),
    },
  };
}
