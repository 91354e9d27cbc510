import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import type { Sharp } from "sharp";
import {
  ImageRejected,
  pictureSources,
  processLeadImage,
  SMALL_VARIANT_BUDGET_BYTES,
  srcsetFor,
} from "../../src/portal/images.ts";
import type { ImageRejectedCode, ImageVariant, ProcessedImage } from "../../src/portal/images.ts";

const SEED = path.resolve("test/fixtures/wordpress-export/uploads/2021/05/seed-article-image.jpg");

let outDir: string;
let seed: Buffer;

before(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "rasai-images-"));
  seed = fs.readFileSync(SEED);
});

after(() => {
  fs.rmSync(outDir, { recursive: true, force: true });
});

async function rejects(input: Buffer, code: ImageRejectedCode): Promise<void> {
  await assert.rejects(processLeadImage(input, outDir, "rejected"), (err: unknown) => {
    assert.ok(err instanceof ImageRejected, `expected ImageRejected, got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  });
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function solid(width: number, height: number, channels: 3 | 4 = 3): Sharp {
  return sharp({ create: { width, height, channels, background: { r: 200, g: 40, b: 40, alpha: 0.5 } } });
}

describe("lead image processing", () => {
  let seedResult: ProcessedImage;

  before(async () => {
    seedResult = await processLeadImage(seed, outDir, "seed");
  });

  it("writes AVIF, WebP and JPEG at 480, 800 and 1200 px for the 1200×675 seed photo", async () => {
    assert.equal(seedResult.width, 1200);
    assert.equal(seedResult.height, 675);
    assert.deepEqual(
      seedResult.variants.map((v) => v.file),
      [
        "seed-480.avif",
        "seed-480.webp",
        "seed-480.jpg",
        "seed-800.avif",
        "seed-800.webp",
        "seed-800.jpg",
        "seed-1200.avif",
        "seed-1200.webp",
        "seed-1200.jpg",
      ],
    );
    for (const v of seedResult.variants) {
      const file = path.join(outDir, v.file);
      assert.equal(fs.statSync(file).size, v.bytes, v.file);
      const meta = await sharp(file).metadata();
      const format = meta.format === "heif" ? (meta.compression === "av1" ? "avif" : "heic") : meta.format;
      assert.equal(format, v.format, v.file);
      assert.equal(meta.width, v.width, v.file);
      assert.equal(meta.height, Math.round((675 * v.width) / 1200), v.file);
      if (v.format === "jpeg") assert.equal(meta.isProgressive, true, v.file);
      console.log(`${v.file.padEnd(16)} ${String(v.width).padStart(4)} px  ${kb(v.bytes)} (${v.bytes} B)`);
    }
    assert.deepEqual(
      fs.readdirSync(outDir).filter((f) => f.endsWith(".tmp")),
      [],
      "no temporary files are left behind",
    );
  });

  it("keeps every 480-px variant of the seed photo within 60 KB", () => {
    const small = seedResult.variants.filter((v) => v.width === 480);
    assert.equal(small.length, 3);
    for (const v of small) {
      assert.ok(v.bytes <= SMALL_VARIANT_BUDGET_BYTES, `${v.file} is ${kb(v.bytes)}`);
      assert.ok(v.bytes <= 60 * 1024, `${v.file} is ${kb(v.bytes)}`);
    }
  });

  it("auto-orients by EXIF and strips EXIF (GPS), XMP and ICC metadata", async () => {
    const tagged = await sharp(seed)
      .withExif({
        IFD0: { Make: "PhoneCo", Model: "Cheap 1", Copyright: "Someone" },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "33/1 41/1 0/1",
          GPSLongitudeRef: "E",
          GPSLongitude: "73/1 3/1 0/1",
        },
      })
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 90 })
      .toBuffer();
    const inMeta = await sharp(tagged).metadata();
    assert.ok(inMeta.exif, "the input carries EXIF");
    assert.match(inMeta.exif.toString("latin1"), /PhoneCo/);
    assert.equal(inMeta.orientation, 6);

    const result = await processLeadImage(tagged, outDir, "tagged");
    // Orientation 6 is a quarter turn: the 1200×675 photo becomes 675×1200, so only 480 fits.
    assert.deepEqual([result.width, result.height], [480, 853]);
    assert.deepEqual(
      result.variants.map((v) => v.file),
      ["tagged-480.avif", "tagged-480.webp", "tagged-480.jpg"],
    );
    for (const v of result.variants) {
      const file = path.join(outDir, v.file);
      const meta = await sharp(file).metadata();
      assert.equal(meta.exif, undefined, `${v.file} has no EXIF`);
      assert.equal(meta.xmp, undefined, `${v.file} has no XMP`);
      assert.equal(meta.icc, undefined, `${v.file} has no ICC profile`);
      assert.equal(meta.orientation, undefined, `${v.file} has no orientation tag`);
      assert.deepEqual([meta.width, meta.height], [480, 853], v.file);
      const bytes = fs.readFileSync(file).toString("latin1");
      assert.ok(!bytes.includes("PhoneCo") && !bytes.includes("Exif\0"), `${v.file} has no EXIF bytes`);
    }
  });

  it("handles a PNG with alpha: transparency kept in AVIF/WebP, flattened in JPEG", async () => {
    const png = await solid(800, 600, 4).png().toBuffer();
    const result = await processLeadImage(png, outDir, "alpha");
    assert.deepEqual(
      result.variants.map((v) => `${v.width}.${v.format}`),
      ["480.avif", "480.webp", "480.jpeg", "800.avif", "800.webp", "800.jpeg"],
    );
    for (const v of result.variants) {
      const meta = await sharp(path.join(outDir, v.file)).metadata();
      assert.equal(meta.width, v.width);
      assert.equal(meta.hasAlpha, v.format !== "jpeg", v.file);
    }
  });

  it("makes one variant at the original width for an image under 480 px wide", async () => {
    const narrow = await sharp(seed).resize({ width: 400 }).jpeg().toBuffer();
    const result = await processLeadImage(narrow, outDir, "narrow");
    assert.deepEqual([result.width, result.height], [400, 225]);
    assert.deepEqual(
      result.variants.map((v) => v.file),
      ["narrow-400.avif", "narrow-400.webp", "narrow-400.jpg"],
    );
    for (const v of result.variants) {
      const meta = await sharp(path.join(outDir, v.file)).metadata();
      assert.deepEqual([meta.width, meta.height], [400, 225]);
    }
  });

  it("never upscales: a 1000-px image gets 480 and 800 only", async () => {
    const wide = await sharp(seed).resize({ width: 1000 }).webp().toBuffer();
    const result = await processLeadImage(wide, outDir, "thousand");
    assert.deepEqual([...new Set(result.variants.map((v) => v.width))], [480, 800]);
    assert.deepEqual([result.width, result.height], [800, 450]);
  });

  it("rejects a text file as not_an_image", async () => {
    await rejects(Buffer.from("<!doctype html><p>not a photo</p>\n"), "not_an_image");
    await rejects(Buffer.alloc(0), "not_an_image");
  });

  it("rejects a truncated JPEG header as not_an_image", async () => {
    await rejects(seed.subarray(0, 40), "not_an_image");
  });

  it("rejects a tiny image as too_small", async () => {
    await rejects(await solid(100, 80).png().toBuffer(), "too_small");
    await rejects(await solid(319, 400).jpeg().toBuffer(), "too_small");
  });

  it("rejects GIF, TIFF and SVG as unsupported_format", async () => {
    await rejects(await solid(640, 480).gif().toBuffer(), "unsupported_format");
    await rejects(await solid(640, 480).tiff().toBuffer(), "unsupported_format");
    await rejects(
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="9"/></svg>'),
      "unsupported_format",
    );
  });

  it("rejects files over 15 MB as too_large, before decoding", async () => {
    const big = Buffer.alloc(15 * 1024 * 1024 + 1);
    seed.copy(big);
    await rejects(big, "too_large");
  });

  it("rejects more than 40 megapixels as too_many_pixels", async () => {
    const huge = await solid(8000, 5001).png({ compressionLevel: 9 }).toBuffer();
    assert.ok(huge.length < 15 * 1024 * 1024);
    await rejects(huge, "too_many_pixels");
  });

  it("writes nothing for a rejected image", () => {
    assert.deepEqual(
      fs.readdirSync(outDir).filter((f) => f.startsWith("rejected") || f.endsWith(".tmp")),
      [],
    );
  });
});

describe("srcset and <picture> data", () => {
  const variants: ImageVariant[] = [
    { width: 800, format: "webp", file: "x-800.webp", bytes: 2 },
    { width: 480, format: "webp", file: "x-480.webp", bytes: 1 },
    { width: 480, format: "avif", file: "x-480.avif", bytes: 1 },
    { width: 800, format: "avif", file: "x-800.avif", bytes: 2 },
    { width: 480, format: "jpeg", file: "x-480.jpg", bytes: 1 },
    { width: 800, format: "jpeg", file: "x-800.jpg", bytes: 2 },
  ];

  it("lists one format narrowest first with w descriptors", () => {
    assert.equal(srcsetFor(variants, "webp", "/media/"), "/media/x-480.webp 480w, /media/x-800.webp 800w");
    assert.equal(srcsetFor(variants, "jpeg", "/media"), "/media/x-480.jpg 480w, /media/x-800.jpg 800w");
    assert.equal(srcsetFor([], "avif", "/media/"), "");
  });

  it("gives AVIF then WebP sources and a JPEG fallback whose src is the narrowest", () => {
    assert.deepEqual(pictureSources(variants, "https://cdn.example/m/"), {
      sources: [
        {
          type: "image/avif",
          srcset: "https://cdn.example/m/x-480.avif 480w, https://cdn.example/m/x-800.avif 800w",
        },
        {
          type: "image/webp",
          srcset: "https://cdn.example/m/x-480.webp 480w, https://cdn.example/m/x-800.webp 800w",
        },
      ],
      fallback: {
        src: "https://cdn.example/m/x-480.jpg",
        srcset: "https://cdn.example/m/x-480.jpg 480w, https://cdn.example/m/x-800.jpg 800w",
      },
    });
  });

  it("leaves out formats that have no variants", () => {
    const onlyJpeg = variants.filter((v) => v.format === "jpeg");
    assert.deepEqual(pictureSources(onlyJpeg).sources, []);
    assert.equal(pictureSources(onlyJpeg).fallback.src, "/media/x-480.jpg");
  });
});
