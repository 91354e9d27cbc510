import type { ArticleTable } from "../../db/schema.ts";
import { utcToZonedLocal, zonedLocalToUtc } from "../../i18n/zonedTime.ts";
import type { ArticleFormValues } from "./ArticleForm.tsx";

export function valuesFromArticle(
  a: ArticleTable,
  ids: { centreCode: string; categorySlug: string; alsoRead: string[] },
  timeZone: string,
): ArticleFormValues {
  return {
    lang: a.lang,
    kind: a.kind,
    centre: ids.centreCode,
    title: a.title,
    strap: a.strap,
    body: a.body_md,
    category: ids.categorySlug,
    tags: (JSON.parse(a.tags) as string[]).join(", "),
    also_read: ids.alsoRead.join(" "),
    also_read_after: String(a.also_read_after),
    expires_at: a.expires_at ? utcToZonedLocal(a.expires_at, timeZone) : "",
    image_alt: a.image_alt ?? "",
    image_caption: a.image_caption ?? "",
    byline: a.byline ?? "",
    slug: a.slug,
    comments_open: a.comments_open ? "1" : "",
  };
}

/** Posted form strings to the use case's input; bad times become a field problem there. */
export function inputFromValues(v: ArticleFormValues, timeZone: string): Record<string, unknown> {
  const expires = (v.expires_at ?? "").trim();
  const expiresUtc = expires ? zonedLocalToUtc(expires, timeZone) : null;
  return {
    lang: v.lang,
    kind: v.kind,
    centre: v.centre || undefined,
    title: v.title ?? "",
    strap: v.strap ?? "",
    body: v.body ?? "",
    slug: v.slug?.trim() || undefined,
    category: v.category || null,
    tags: (v.tags ?? "")
      .split(/[,،]/)
      .map((s) => s.trim())
      .filter(Boolean),
    also_read: (v.also_read ?? "")
      .split(/[\s,،]+/)
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
    also_read_after: v.also_read_after?.trim() ? v.also_read_after.trim() : 2,
    image_alt: v.image_alt ?? null,
    image_caption: v.image_caption ?? null,
    byline: v.byline ?? null,
    expires_at: expires ? (expiresUtc ? expiresUtc.toISOString() : "not-a-date") : null,
    comments_open: v.comments_open === "1",
  };
}

/** Related articles by shared title words: a starting point for the editor's also-read choice. */
export function suggestAlsoRead(
  current: { id?: string; title: string; tags: string[] },
  candidates: Pick<ArticleTable, "id" | "short_id" | "title" | "tags">[],
  limit = 5,
) {
  const words = (s: string) =>
    new Set(
      s
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length > 2),
    );
  const mine = words(`${current.title} ${current.tags.join(" ")}`);
  return candidates
    .filter((c) => c.id !== current.id)
    .map((c) => {
      const theirs = words(`${c.title} ${(JSON.parse(c.tags) as string[]).join(" ")}`);
      let shared = 0;
      for (const w of theirs) if (mine.has(w)) shared++;
      return { shortId: c.short_id, title: c.title, shared };
    })
    .filter((c) => c.shared >= 2)
    .sort((a, b) => b.shared - a.shared)
    .slice(0, limit);
}
