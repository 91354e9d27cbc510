// `rasai import articles`: one article per line of a JSONL file (the fields of article.json plus slug,
// published_at, category, kind, image and image_alt). Each line is imported in its own transaction; a bad
// line is reported and the run goes on. An article is known by its language and slug (or, without a slug,
// its title), so running the import again adds nothing. An article with published_at comes in published
// at that date; one without comes in as a draft.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { recordAudit } from "../../audit/recordAudit.ts";
import { findCentreByCode } from "../../centres/queries.ts";
import type { Db, Executor } from "../../db/connect.ts";
import { createArticle } from "../articles/saveArticle.ts";
import { findArticleBySourceKey, findCategoryBySlug } from "../queries.ts";
import { readArticleLines, type ImportedArticle } from "./jsonl.ts";
import { altText, attachImportedImage, insideFolder } from "./leadImage.ts";
import { linkAlsoRead, MAX_ALSO_READ } from "./linkAlsoRead.ts";
import { findArticlesByTitle } from "./queries.ts";
import {
  assertReadableFile,
  clip,
  describeFailure,
  fileFailure,
  ImportFailed,
  ItemRejected,
  quoteTitle,
  Tally,
  type ImportCtx,
  type ImportReport,
} from "./report.ts";

export interface ImportArticlesInput {
  /** the JSONL file; image paths in it are relative to its folder */
  file: string;
  /** a centre's code; national content when absent */
  centre?: string | null;
}

interface PendingTitles {
  articleId: string;
  label: string;
  lang: "ur" | "en";
  titles: string[];
}

/** ArticleInput's limit on the position of the also-read block. */
const MAX_ALSO_READ_AFTER = 100;

export function jsonlSourceKey(a: Pick<ImportedArticle, "language" | "slug" | "title">): string {
  if (a.slug !== null) return `jsonl:${a.language}:${a.slug}`;
  const hash = crypto.createHash("sha1").update(a.title.normalize("NFC")).digest("hex");
  return `jsonl:${a.language}:title:${hash}`;
}

/** Short ids of the articles the titles name (in order), and the titles that name none yet. */
async function resolveTitles(db: Executor, lang: "ur" | "en", titles: string[], self: string | null) {
  const shortIds: string[] = [];
  const missing: string[] = [];
  for (const title of titles) {
    const match = (await findArticlesByTitle(db, lang, title)).find((a) => a.id !== self);
    if (match) shortIds.push(match.short_id);
    else missing.push(title);
  }
  return { shortIds: [...new Set(shortIds)].slice(0, MAX_ALSO_READ), missing };
}

async function importLine(
  db: Db,
  line: number,
  a: ImportedArticle,
  input: ImportArticlesInput,
  ctx: ImportCtx,
  tally: Tally,
  pending: PendingTitles[],
): Promise<void> {
  const label = `line ${line} ${quoteTitle(a.title)}`;
  const folder = path.dirname(path.resolve(input.file));
  const warnings: string[] = [];
  let imageFile: string | null = null;
  if (a.image !== null) {
    imageFile = insideFolder(folder, a.image);
    if (!imageFile) warnings.push(`image ${a.image} is outside the file's folder: not imported`);
  }
  const outcome = await db.transaction().execute(async (trx) => {
    if (await findArticleBySourceKey(trx, jsonlSourceKey(a))) return null;
    if (a.category !== null && !(await findCategoryBySlug(trx, a.category))) {
      throw new ItemRejected(`category: there is no category "${a.category}"`);
    }
    const links = await resolveTitles(trx, a.language, a.also_read_titles, null);
    const article = await createArticle(
      trx,
      {
        lang: a.language,
        kind: a.kind,
        centre: input.centre ?? "national",
        title: a.title,
        strap: a.strap ?? "",
        body: a.body_paragraphs.join("\n\n"),
        slug: a.slug ?? undefined,
        category: a.category,
        also_read: links.shortIds,
        also_read_after: Math.min(a.also_read_after_paragraph ?? 2, MAX_ALSO_READ_AFTER),
        image_caption: imageFile && a.image_caption ? clip(a.image_caption, 500) : null,
        expires_at: a.expires_at,
      },
      ctx,
      {
        status: a.published_at ? "published" : "draft",
        published_at: a.published_at,
        view_count: a.view_count ?? 0,
        source_key: jsonlSourceKey(a),
        ...(a.published_at ? { created_at: a.published_at } : {}),
      },
    );
    if (imageFile && a.image) {
      const warning = await attachImportedImage(
        trx,
        {
          articleId: article.id,
          file: imageFile,
          shownAs: a.image,
          alt: altText(a.image_alt, a.image_caption, a.title),
          dataDir: ctx.dataDir,
        },
        ctx,
      );
      if (warning) warnings.push(warning);
    }
    return { article, missing: links.missing };
  });
  if (!outcome) {
    tally.report.existing++;
    return;
  }
  tally.report.added++;
  if (outcome.missing.length > 0) {
    pending.push({ articleId: outcome.article.id, label, lang: a.language, titles: a.also_read_titles });
  }
  for (const w of warnings) tally.warn(label, w);
}

/** The last pass: also-read titles of articles that came later in the file. */
async function linkLater(db: Db, pending: PendingTitles[], ctx: ImportCtx, tally: Tally) {
  for (const p of pending) {
    try {
      const missing = await db.transaction().execute(async (trx) => {
        const links = await resolveTitles(trx, p.lang, p.titles, p.articleId);
        await linkAlsoRead(trx, { articleId: p.articleId, shortIds: links.shortIds }, ctx);
        return links.missing;
      });
      for (const title of missing) {
        tally.warn(p.label, `also-read title ${quoteTitle(title)} matches no article in that language`);
      }
    } catch (error) {
      tally.warn(p.label, `also-read links not set: ${describeFailure(error)}`);
    }
  }
}

/**
 * Imports a JSONL file of articles. Resolves with the report once every line has been read, whatever was
 * rejected on the way; throws ImportFailed when the file cannot be read.
 */
export async function importArticles(
  db: Db,
  input: ImportArticlesInput,
  ctx: ImportCtx,
): Promise<ImportReport> {
  const tally = new Tally(ctx.onProgress);
  await assertReadableFile(input.file, "the file");
  if (input.centre && !(await findCentreByCode(db, input.centre))) {
    throw new ImportFailed(`No centre with code ${input.centre}: see rasai centre list.`);
  }
  const pending: PendingTitles[] = [];
  try {
    for await (const entry of readArticleLines(fs.createReadStream(input.file))) {
      tally.report.items++;
      if (!entry.ok) {
        tally.reject({ item: `line ${entry.line}`, line: entry.line, reason: entry.reason });
      } else {
        try {
          await importLine(db, entry.line, entry.article, input, ctx, tally, pending);
          if (entry.ignoredFields.length > 0) {
            tally.warn(`line ${entry.line}`, `fields ignored: ${entry.ignoredFields.join(", ")}`);
          }
        } catch (error) {
          tally.reject({
            item: `line ${entry.line} ${quoteTitle(entry.article.title)}`,
            line: entry.line,
            reason: describeFailure(error),
          });
        }
      }
      tally.progress();
    }
  } catch (error) {
    throw fileFailure(error, input.file, tally.report);
  }
  await linkLater(db, pending, ctx, tally);

  const r = tally.report;
  if (r.added > 0) {
    await recordAudit(
      db,
      ctx.actor,
      {
        action: "import.articles",
        entity: "import",
        entityId: null,
        centreId: null,
        details: {
          file: path.basename(input.file),
          added: r.added,
          existing: r.existing,
          rejected: r.rejected.length,
        },
      },
      ctx.clock,
    );
  }
  return r;
}
