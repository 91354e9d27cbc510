// `rasai import wordpress`: brings a WordPress export (WXR) into Rasai. Three passes over the file, each
// streaming it: the first checks the whole file and indexes attachments and addresses; the second imports
// each post and page with its comments in its own transaction; the last links also-read blocks whose
// articles came later in the file. A post is known by the site's address and its id, so running the import
// again adds nothing (new comments on known posts are still added).
import fs from "node:fs";
import { recordAudit } from "../../audit/recordAudit.ts";
import { findCentreByCode } from "../../centres/queries.ts";
import type { Db, Executor } from "../../db/connect.ts";
import { createArticle } from "../articles/saveArticle.ts";
import { findArticleBySourceKey } from "../queries.ts";
import { ensureCategory } from "./ensureCategory.ts";
import { importWxrComments } from "./importWxrComments.ts";
import { altText, attachImportedImage, uploadsFileFor } from "./leadImage.ts";
import { linkAlsoRead, MAX_ALSO_READ } from "./linkAlsoRead.ts";
import {
  assertReadableFile,
  describeFailure,
  fileFailure,
  ImportFailed,
  Tally,
  type ImportCtx,
  type ImportReport,
} from "./report.ts";
import { readWxr } from "./wxr.ts";
import type { WxrItem } from "./wxrRecords.ts";
import { indexWxr, planWxrPost, postIdOf, wxrLabel, wxrSourceKey, type WxrIndex } from "./wxrPost.ts";

export interface ImportWordpressInput {
  /** the export file (WXR) */
  file: string;
  /** the site's wp-content/uploads folder, copied; without it no lead images are imported */
  uploadsDir?: string | null;
  /** a centre's code; national content when absent */
  centre?: string | null;
  /** every article in this language, instead of judging each by its title */
  lang?: "ur" | "en" | null;
}

interface PendingLinks {
  articleId: string;
  label: string;
  urls: string[];
}

async function resolveLinks(db: Executor, urls: string[], index: WxrIndex) {
  const shortIds: string[] = [];
  const waiting: string[] = [];
  const elsewhere: string[] = [];
  for (const url of urls) {
    const postId = postIdOf(url, index);
    if (postId === null) {
      elsewhere.push(url);
      continue;
    }
    const article = await findArticleBySourceKey(db, wxrSourceKey(index.site, postId));
    if (article && !article.deleted_at) shortIds.push(article.short_id);
    else waiting.push(url);
  }
  return { shortIds: [...new Set(shortIds)].slice(0, MAX_ALSO_READ), waiting, elsewhere };
}

async function importItem(
  db: Db,
  item: WxrItem,
  index: WxrIndex,
  input: ImportWordpressInput,
  ctx: ImportCtx,
  tally: Tally,
  pending: PendingLinks[],
): Promise<void> {
  const label = wxrLabel(item);
  try {
    const plan = planWxrPost(item, index, {
      lang: input.lang ?? null,
      centre: input.centre ?? null,
      now: ctx.clock.now().toISOString(),
    });
    const outcome = await db.transaction().execute(async (trx) => {
      const existing = await findArticleBySourceKey(trx, plan.sourceKey);
      if (existing) {
        const comments = existing.deleted_at
          ? { added: 0, existing: 0, skipped: item.comments.length }
          : await importWxrComments(
              trx,
              { article: existing, site: index.site, comments: item.comments },
              ctx,
            );
        return { article: null, comments, categoryAdded: false, warnings: [] as string[], waiting: false };
      }
      const warnings = [...plan.warnings];
      let category: string | null = null;
      let categoryAdded = false;
      if (plan.category) {
        const ensured = await ensureCategory(trx, plan.category, ctx);
        category = ensured.category.slug;
        categoryAdded = ensured.created;
      }
      const links = await resolveLinks(trx, plan.alsoRead, index);
      for (const url of links.elsewhere) warnings.push(`also-read link ${url} is not a post of this export`);

      let imageFile: string | null = null;
      if (plan.image && input.uploadsDir) {
        imageFile = uploadsFileFor(input.uploadsDir, plan.image.url, plan.image.file);
        if (!imageFile) warnings.push(`image ${plan.image.url ?? "?"} is not under /wp-content/uploads/`);
      }
      const article = await createArticle(
        trx,
        {
          ...plan.input,
          category,
          also_read: links.shortIds,
          image_caption: imageFile ? plan.image?.caption : null,
        },
        ctx,
        plan.extra,
      );
      if (imageFile && plan.image) {
        const warning = await attachImportedImage(
          trx,
          {
            articleId: article.id,
            file: imageFile,
            shownAs: plan.image.url ?? imageFile,
            alt: altText(plan.image.alt, plan.image.caption, plan.input.title),
            dataDir: ctx.dataDir,
          },
          ctx,
        );
        if (warning) warnings.push(warning);
      }
      const comments = await importWxrComments(
        trx,
        { article, site: index.site, comments: item.comments },
        ctx,
      );
      return { article, comments, categoryAdded, warnings, waiting: links.waiting.length > 0 };
    });
    const r = tally.report;
    if (outcome.article) r.added++;
    else r.existing++;
    if (outcome.article && outcome.waiting) {
      pending.push({ articleId: outcome.article.id, label, urls: plan.alsoRead });
    }
    if (outcome.categoryAdded) r.categoriesAdded++;
    r.comments.added += outcome.comments.added;
    r.comments.existing += outcome.comments.existing;
    r.comments.skipped += outcome.comments.skipped;
    for (const w of outcome.warnings) tally.warn(label, w);
  } catch (error) {
    tally.reject({ item: label, postId: item.postId, reason: describeFailure(error) });
  }
}

/** The last pass: also-read links to posts that came later in the file. */
async function linkLater(db: Db, pending: PendingLinks[], index: WxrIndex, ctx: ImportCtx, tally: Tally) {
  for (const p of pending) {
    try {
      const missing = await db.transaction().execute(async (trx) => {
        const links = await resolveLinks(trx, p.urls, index);
        await linkAlsoRead(trx, { articleId: p.articleId, shortIds: links.shortIds }, ctx);
        return links.waiting;
      });
      for (const url of missing) tally.warn(p.label, `also-read link ${url}: that post was not imported`);
    } catch (error) {
      tally.warn(p.label, `also-read links not set: ${describeFailure(error)}`);
    }
  }
}

/**
 * Imports a WordPress export. Resolves with the report once the file has been read through, whatever
 * was rejected on the way; throws ImportFailed when the file cannot be read or is refused whole.
 */
export async function importWordpress(
  db: Db,
  input: ImportWordpressInput,
  ctx: ImportCtx,
): Promise<ImportReport> {
  const tally = new Tally(ctx.onProgress);
  await assertReadableFile(input.file, "the export");
  if (input.uploadsDir) {
    const stat = await fs.promises.stat(input.uploadsDir).catch(() => null);
    if (!stat) throw new ImportFailed(`The uploads folder ${input.uploadsDir} does not exist.`);
    if (!stat.isDirectory())
      throw new ImportFailed(`The uploads folder ${input.uploadsDir} is not a folder.`);
  }
  if (input.centre && !(await findCentreByCode(db, input.centre))) {
    throw new ImportFailed(`No centre with code ${input.centre}: see rasai centre list.`);
  }

  let index: WxrIndex;
  try {
    index = await indexWxr(input.file, (n) => tally.scanning(n));
  } catch (error) {
    throw fileFailure(error, input.file, null);
  }
  if (index.site === "") {
    throw new ImportFailed(`${input.file} refused: it names no site (no <link> in its <channel>).`);
  }
  tally.total = index.total;
  if (!input.uploadsDir && index.attachments.size > 0) {
    tally.warn(null, "no --uploads folder given: lead images are not imported");
  }

  const pending: PendingLinks[] = [];
  try {
    for await (const ev of readWxr(fs.createReadStream(input.file))) {
      if (ev.kind !== "item" || (ev.item.type !== "post" && ev.item.type !== "page")) continue;
      tally.report.items++;
      await importItem(db, ev.item, index, input, ctx, tally, pending);
      tally.progress();
    }
  } catch (error) {
    throw fileFailure(error, input.file, tally.report);
  }
  await linkLater(db, pending, index, ctx, tally);

  const r = tally.report;
  if (r.added > 0 || r.comments.added > 0) {
    await recordAudit(
      db,
      ctx.actor,
      {
        action: "import.wordpress",
        entity: "import",
        entityId: null,
        centreId: null,
        details: {
          site: index.site,
          added: r.added,
          existing: r.existing,
          rejected: r.rejected.length,
          comments: r.comments.added,
        },
      },
      ctx.clock,
    );
  }
  return r;
}
