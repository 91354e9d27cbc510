import { recordAudit } from "../../audit/recordAudit.ts";
import type { Executor } from "../../db/connect.ts";
import { newId } from "../../db/ids.ts";
import type { CategoryTable } from "../../db/schema.ts";
import type { Ctx } from "../articles/saveArticle.ts";
import { bumpPortalVersion } from "../contentVersion.ts";
import { findCategoryBySlug, insertCategory } from "../queries.ts";
import { slugify } from "../slugs.ts";
import { decodeSlug, isMostlyArabicScript } from "./text.ts";

/** ArticleInput's limit on a category slug. */
const MAX_SLUG = 60;

/** A slug Rasai accepts for a WordPress category nicename (percent-decoded, at most 60 characters). */
export function categorySlug(nicename: string, name: string): string {
  const fromNicename = slugify(decodeSlug(nicename));
  const slug = fromNicename || slugify(name);
  return slug.slice(0, MAX_SLUG).replace(/-+$/, "");
}

/** "e-services" → "E services": an English name for an Urdu-named category with a Latin slug. */
function nameFromSlug(slug: string): string {
  const words = slug.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The category with this slug, created when missing. An Urdu name becomes name_ur, and name_en is made
 * from a Latin slug when there is one; otherwise the one name serves both languages.
 */
export async function ensureCategory(
  db: Executor,
  input: { slug: string; name: string },
  ctx: Ctx,
): Promise<{ category: CategoryTable; created: boolean }> {
  const existing = await findCategoryBySlug(db, input.slug);
  if (existing) return { category: existing, created: false };
  const name = input.name.trim() || input.slug;
  const latinSlug = /^[a-z0-9-]+$/.test(input.slug) && /[a-z]/.test(input.slug);
  const urdu = isMostlyArabicScript(name);
  const now = ctx.clock.now().toISOString();
  const category: CategoryTable = {
    id: newId(),
    centre_id: null,
    slug: input.slug,
    name_ur: name,
    name_en: urdu && latinSlug ? nameFromSlug(input.slug) : name,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await insertCategory(db, category);
  await recordAudit(
    db,
    ctx.actor,
    {
      action: "category.created",
      entity: "category",
      entityId: category.id,
      centreId: null,
      details: { slug: category.slug, name: name },
    },
    ctx.clock,
  );
  bumpPortalVersion();
  return { category, created: true };
}
