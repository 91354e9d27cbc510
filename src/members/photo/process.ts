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
import type { OutputInfo } from "sharp";
import {
  checkImageUpload,
  ImageRejected,
  loadSharp,
  MAX_INPUT_BYTES,
  MAX_INPUT_PIXELS,
  rejectFromSharp,
} from "../../portal/images.ts";

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

/**
 * Checks an upload and makes the member's photo from it. Throws ImageRejected (not_an_image,
 * unsupported_format, too_large, too_small, too_many_pixels) for anything it will not take.
 */
export async function processMemberPhoto(input: Buffer): Promise<ProcessedPhoto> {
  const { width, height } = await checkImageUpload(input);
  const sharp = await loadSharp();
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
