import crypto from "node:crypto";
import type { Executor } from "../../db/connect.ts";
import type { ArticleTable } from "../../db/schema.ts";
import { NotFound, ValidationFailed } from "../../server/errors.ts";
import { ImageRejected, processLeadImage } from "../images.ts";
import { mediaDir } from "../media.ts";
import { assertMay, mayDraft, mayPublish } from "../policy.ts";
import { findArticleById } from "../queries.ts";
import { setArticleImage, type Ctx } from "./saveArticle.ts";

/**
 * Takes an uploaded lead image: checks and resizes it to a few widths (AVIF, WebP, JPEG)
 * under the data folder's media/, then records it on the article. Alt text is required.
 */
export async function attachLeadImage(
  db: Executor,
  input: { articleId: string; bytes: Buffer; alt: string; dataDir: string },
  ctx: Ctx,
): Promise<ArticleTable> {
  const article = await findArticleById(db, input.articleId);
  if (!article) throw new NotFound("article");
  assertMay(article.status === "published" ? mayPublish(ctx.actor, article) : mayDraft(ctx.actor, article));
  if (!input.alt.trim()) throw new ValidationFailed([{ path: "/image_alt", code: "required" }]);
  // A fresh name per upload, so the long cache on /media never serves an old picture.
  const baseName = `${article.short_id}-${crypto.randomBytes(4).toString("hex")}`;
  let processed;
  try {
    processed = await processLeadImage(input.bytes, mediaDir(input.dataDir), baseName);
  } catch (error) {
    if (error instanceof ImageRejected)
      throw new ValidationFailed([{ path: "/image", code: `image_${error.code}` }]);
    throw error;
  }
  const largest = [...processed.variants]
    .filter((v) => v.format === "jpeg")
    .sort((a, b) => b.width - a.width)[0]!;
  return setArticleImage(
    db,
    article.id,
    {
      image_path: largest.file,
      image_width: processed.width,
      image_height: processed.height,
      image_variants: JSON.stringify(
        processed.variants.map(({ width, format, file }) => ({ width, format, file })),
      ),
      image_alt: input.alt,
    },
    ctx,
  );
}
