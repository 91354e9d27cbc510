import type { ArticleTable } from "../../db/schema.ts";

/** The fields a revision keeps: what an editor can change. */
export const SNAPSHOT_FIELDS = [
  "lang",
  "kind",
  "title",
  "strap",
  "body_md",
  "slug",
  "category_id",
  "tags",
  "also_read",
  "also_read_after",
  "image_path",
  "image_alt",
  "image_caption",
  "image_width",
  "image_height",
  "image_variants",
  "byline",
  "expires_at",
  "comments_open",
] as const;

export type Snapshot = Pick<ArticleTable, (typeof SNAPSHOT_FIELDS)[number]>;

export function snapshotOf(a: ArticleTable): Snapshot {
  const out = {} as Record<string, unknown>;
  for (const f of SNAPSHOT_FIELDS) out[f] = a[f];
  return out as Snapshot;
}
