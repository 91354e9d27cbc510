/**
 * A member's photo from whatever the desk uploads (a phone's camera picture, a scan): checked,
 * turned upright by its EXIF orientation, cropped to a passport-like 3:4 portrait around what
 * matters in the picture, and re-encoded as a small JPEG with no metadata at all (no EXIF, GPS,
 * XMP or ICC profile). Pure: bytes in, bytes out; no HTTP, no database.
 *
 * The checks and limits are the portal's lead-image ones (src/portal/images.ts): the container is
 * identified from its magic bytes before any decoder sees the data, and sharp is told the pixel
 * limit so a decompression bomb fails while decoding.
 */
import type { Metadata, OutputInfo } from "sharp";
import type SharpFactory from "sharp";
import { ImageRejected, MAX_INPUT_BYTES, MAX_INPUT_PIXELS } from "../../portal/images.ts";

// libvips costs ~20 MiB of memory once loaded: load it only when a photo is processed.
let sharpModule: Promise<{ default: typeof SharpFactory }> | undefined;
async function loadSharp(): Promise<typeof SharpFactory> {
  sharpModule ??= import("sharp");
  return (await sharpModule).default;
}

/** The stored photo: 300 × 400 px, 3:4 like a passport photo; the card prints it 17.5 mm wide. */
export const PHOTO_WIDTH = 300;
export const PHOTO_HEIGHT = 400;
/** Smaller uploads are refused: 150 px across 17.5 mm of card is already only ~220 dpi. */
export const PHOTO_MIN_WIDTH = 150;
export const PHOTO_MIN_HEIGHT = 200;
/** Real photos fit at the first quality; one that does not is re-encoded lower, down to a floor. */
export const PHOTO_BUDGET_BYTES = 40 * 1024;
export const PHOTO_QUALITY = 80;
const QUALITY_STEP = 10;
const QUALITY_FLOOR = 40;

export { ImageRejected, MAX_INPUT_BYTES as PHOTO_MAX_INPUT_BYTES };

export interface ProcessedPhoto {
  jpeg: Buffer;
  width: number;
  height: number;
}

type Container = "jpeg" | "png" | "webp" | "avif" | "other";

/** The container from its magic bytes: the four formats accepted, or something else. */
function container(buf: Buffer): Container | undefined {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return "jpeg";
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from("89504e470d0a1a0a", "hex"))) return "png";
  const ascii = (a: number, b: number) => buf.subarray(a, b).toString("latin1");
  if (buf.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (buf.length >= 12 && ascii(4, 8) === "ftyp") {
    const brands = [ascii(8, 12)];
    const boxSize = Math.min(buf.readUInt32BE(0), buf.length, 256);
    for (let i = 16; i + 4 <= boxSize; i += 4) brands.push(ascii(i, i + 4));
    // HEIC (iPhones' own format) and others in the same box: images, but not ones we take.
    return brands.includes("avif") || brands.includes("avis") ? "avif" : "other";
  }
  const head = ascii(0, 12);
  if (/^(GIF8[79]a|BM|8BPS|II\*\0|MM\0\*)/.test(head)) return "other";
  const text = buf.subarray(0, 512).toString("utf8").trimStart().toLowerCase();
  if (text.startsWith("<svg") || (text.startsWith("<?xml") && text.includes("<svg"))) return "other";
  return undefined;
}

function rejectFromSharp(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) {
    throw new ImageRejected("too_many_pixels", "the image has too many pixels to decode");
  }
  throw new ImageRejected("not_an_image", "the image could not be decoded");
}

/**
 * Checks an upload and makes the member's photo from it. Throws ImageRejected (not_an_image,
 * unsupported_format, too_large, too_small, too_many_pixels) for anything it will not take.
 */
export async function processMemberPhoto(input: Buffer): Promise<ProcessedPhoto> {
  if (input.length > MAX_INPUT_BYTES) {
    throw new ImageRejected("too_large", `image is ${input.length} bytes; the limit is ${MAX_INPUT_BYTES}`);
  }
  const kind = container(input);
  if (!kind) throw new ImageRejected("not_an_image", "the file is not an image");
  if (kind === "other") {
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
  // Dimensions as the picture is meant to be seen (a phone's portrait photo is often stored
  // sideways with an EXIF orientation).
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new ImageRejected("not_an_image", "the image has no dimensions");
  if (width * height > MAX_INPUT_PIXELS) {
    throw new ImageRejected("too_many_pixels", `image is ${width}×${height}; the limit is 40 megapixels`);
  }
  if (width < PHOTO_MIN_WIDTH || height < PHOTO_MIN_HEIGHT) {
    throw new ImageRejected(
      "too_small",
      `image is ${width}×${height}; at least ${PHOTO_MIN_WIDTH}×${PHOTO_MIN_HEIGHT} is needed`,
    );
  }

  // Decode once into a small master; each encoding attempt works from it.
  let master: { data: Buffer; info: OutputInfo };
  try {
    master = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
      .autoOrient()
      .resize(PHOTO_WIDTH, PHOTO_HEIGHT, { fit: "cover", position: sharp.strategy.attention })
      // JPEG has no alpha: a transparent background becomes white, like a passport photo's.
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    rejectFromSharp(err);
  }
  const { width: w, height: h, channels } = master.info;
  const encode = (quality: number) =>
    sharp(master.data, { raw: { width: w, height: h, channels } })
      .jpeg({ quality, mozjpeg: true, progressive: false })
      .toBuffer();
  let quality = PHOTO_QUALITY;
  let jpeg = await encode(quality);
  while (jpeg.length > PHOTO_BUDGET_BYTES && quality > QUALITY_FLOOR) {
    quality = Math.max(QUALITY_FLOOR, quality - QUALITY_STEP);
    jpeg = await encode(quality);
  }
  // sharp writes no metadata unless asked to (withMetadata/keepExif): nothing of the upload's
  // EXIF (camera, time, GPS position) or XMP survives.
  return { jpeg, width: w, height: h };
}
