// The first pass over a WordPress export (what can be known only from the whole file: attachments, which
// often come after the posts that show them, and every post's address), and the plan for importing one post
// or page: the article input, its category, its lead image and the addresses its also-read block links to.
// Nothing here touches the database.
import fs from "node:fs";
import type { ArticleKind, ArticleTable } from "../../db/schema.ts";
import { slugify } from "../slugs.ts";
import { categorySlug } from "./ensureCategory.ts";
import { originalOfResized } from "./leadImage.ts";
import { clip, ItemRejected } from "./report.ts";
import { decodeSlug, detectLanguage, plainTextOf } from "./text.ts";
import { articleFromWpHtml } from "./wpContent.ts";
import { readWxr } from "./wxr.ts";
import { wpGmtToIso, type WxrItem } from "./wxrRecords.ts";

export interface WxrAttachment {
  url: string | null;
  /** `_wp_attached_file`: the path inside the uploads folder */
  file: string | null;
  alt: string | null;
  caption: string | null;
}

export interface WxrIndex {
  /** the site's address, the first half of every source key */
  site: string;
  /** author login → display name */
  authors: Map<string, string>;
  /** category nicename → name */
  categories: Map<string, string>;
  attachments: Map<number, WxrAttachment>;
  /** address of each post and page (see {@link linkKey}) → its WordPress id */
  posts: Map<string, number>;
  /** posts and pages in the file */
  total: number;
}

export interface WxrPostPlan {
  sourceKey: string;
  /** what createArticle takes, without also_read and image_caption (the importer adds them) */
  input: Record<string, unknown> & { lang: "ur" | "en"; title: string };
  extra: Partial<Pick<ArticleTable, "status" | "published_at" | "view_count" | "source_key" | "created_at">>;
  category: { slug: string; name: string } | null;
  /** addresses of the also-read links, in order */
  alsoRead: string[];
  image: (WxrAttachment & { caption: string | null }) | null;
  warnings: string[];
}

/** The categories WordPress gives a post nobody categorised: not brought over as a Rasai category. */
const PLACEHOLDER_CATEGORIES = new Set(["uncategorized"]);
/** Statuses that are not content: trashed posts, editor autosaves, revisions. */
const NOT_CONTENT = new Set(["trash", "auto-draft", "inherit"]);
/** Where the view-counter plugins keep their count. */
const VIEW_KEYS = ["post_views_count", "views"];
/** ArticleInput's limits. */
const MAX = { strap: 400, caption: 500, byline: 120, tag: 40, tags: 12, slug: 100, alsoReadAfter: 100 };

export function wxrSourceKey(site: string, postId: number): string {
  return `wxr:${site}#${postId}`;
}

/** An address without its scheme, `www.`, trailing slash or fragment: the same post however it was linked. */
export function linkKey(url: string, base: string): string | null {
  try {
    const u = new URL(url, `${base}/`);
    let pathname = u.pathname;
    try {
      pathname = decodeURIComponent(pathname);
    } catch {
      // keep it encoded
    }
    return `${u.host.toLowerCase().replace(/^www\./, "")}${pathname.replace(/\/+$/, "")}${u.search}`;
  } catch {
    return null;
  }
}

/** The WordPress id an address names: a known permalink, or a plain `?p=N` / `?page_id=N` link to the site. */
export function postIdOf(url: string, index: WxrIndex): number | null {
  const key = linkKey(url, index.site);
  if (key === null) return null;
  const known = index.posts.get(key);
  if (known !== undefined) return known;
  const host = (u: URL) => u.host.toLowerCase().replace(/^www\./, "");
  const u = new URL(url, `${index.site}/`);
  if (host(u) !== host(new URL(`${index.site}/`))) return null;
  const id = u.searchParams.get("p") ?? u.searchParams.get("page_id");
  return id && /^\d+$/.test(id) ? Number(id) : null;
}

function toId(value: string | undefined): number | null {
  return value && /^\d+$/.test(value.trim()) && Number(value) > 0 ? Number(value) : null;
}

/**
 * Reads the whole export once, keeping only the small things the import needs from it. Throws
 * WxrRejected for a file that is refused whole, before anything is imported.
 */
export async function indexWxr(file: string, onScan: (items: number) => void): Promise<WxrIndex> {
  const index: WxrIndex = {
    site: "",
    authors: new Map(),
    categories: new Map(),
    attachments: new Map(),
    posts: new Map(),
    total: 0,
  };
  let items = 0;
  for await (const ev of readWxr(fs.createReadStream(file))) {
    if (ev.kind === "site") {
      index.site = (ev.siteUrl || ev.baseBlogUrl || ev.baseSiteUrl).trim().replace(/\/+$/, "");
    } else if (ev.kind === "author") {
      index.authors.set(ev.login, plainTextOf(ev.displayName) || ev.login);
    } else if (ev.kind === "category") {
      index.categories.set(ev.nicename, plainTextOf(ev.name));
    } else if (ev.kind === "item") {
      const item = ev.item;
      if (item.type === "attachment") {
        index.attachments.set(item.postId, {
          url: item.attachmentUrl,
          file: item.meta["_wp_attached_file"] || null,
          alt: plainTextOf(item.meta["_wp_attachment_image_alt"] ?? "") || null,
          caption: plainTextOf(item.excerpt) || null,
        });
      } else if (item.type === "post" || item.type === "page") {
        index.total++;
        const key = linkKey(item.link, index.site);
        if (key !== null) index.posts.set(key, item.postId);
      }
      if (++items % 100 === 0) onScan(items);
    }
  }
  return index;
}

/** The lead image: the featured image, else the first image in the text, at its original size. */
function leadImage(item: WxrItem, inline: ReturnType<typeof articleFromWpHtml>["image"], index: WxrIndex) {
  const featured = toId(item.meta["_thumbnail_id"]);
  const useInline =
    inline !== null &&
    (featured === null || inline.attachmentId === featured || !index.attachments.has(featured));
  const id = useInline ? inline.attachmentId : featured;
  const attachment = id !== null ? index.attachments.get(id) : undefined;
  if (!useInline && !attachment) return null;
  return {
    url: attachment?.url ?? (inline ? originalOfResized(inline.url) : null),
    file: attachment?.file ?? null,
    caption: (useInline ? inline.caption : null) ?? attachment?.caption ?? null,
    alt: (useInline ? inline.alt : null) ?? attachment?.alt ?? null,
  };
}

/** `post 7 "Title"`: how messages name a post or page. */
export function wxrLabel(item: WxrItem): string {
  const title = plainTextOf(item.title);
  return `${item.type} ${item.postId} ${title ? `"${clip(title, 60)}"` : "(no title)"}`;
}

/** How one post or page becomes an article; throws ItemRejected for one that must not be imported. */
export function planWxrPost(
  item: WxrItem,
  index: WxrIndex,
  options: { lang: "ur" | "en" | null; centre: string | null; now: string },
): WxrPostPlan {
  const title = plainTextOf(item.title);
  const reject = (reason: string): never => {
    throw new ItemRejected(reason);
  };
  if (NOT_CONTENT.has(item.status)) reject(`its WordPress status is "${item.status}"`);
  if (item.password !== "") reject("password-protected in WordPress: not imported, so it does not go public");
  if (title === "") reject("it has no title");

  const parts = articleFromWpHtml(item.contentHtml, { excerpt: item.excerpt });
  if (parts.paragraphs.length === 0) reject("it has no text to import");
  const warnings: string[] = [];
  let strap = parts.strap ?? "";
  if (strap.length > MAX.strap) {
    warnings.push(`strap shortened to ${MAX.strap} characters`);
    strap = clip(strap, MAX.strap);
  }

  const nicename = item.categories.find(
    (c) => c.domain === "category" && !PLACEHOLDER_CATEGORIES.has(c.nicename),
  );
  const category = nicename
    ? {
        slug: categorySlug(nicename.nicename, nicename.name),
        name: index.categories.get(nicename.nicename) || plainTextOf(nicename.name),
      }
    : null;
  const tags = [
    ...new Set(
      item.categories
        .filter((c) => c.domain === "post_tag")
        .map((c) => clip(plainTextOf(c.name), MAX.tag))
        .filter(Boolean),
    ),
  ].slice(0, MAX.tags);

  const published = item.status === "publish";
  const kind: ArticleKind = item.type === "page" ? "guide" : "news";
  const views = VIEW_KEYS.map((k) => toId(item.meta[k])).find((n) => n !== null) ?? 0;
  const byline = plainTextOf(index.authors.get(item.creatorLogin) ?? item.creatorLogin);
  // A published post always has a GMT date; an old export may carry only the local one.
  const publishedAt = item.publishedAtGmt ?? wpGmtToIso(item.postDateLocal ?? "") ?? options.now;
  const image = leadImage(item, parts.image, index);

  return {
    sourceKey: wxrSourceKey(index.site, item.postId),
    input: {
      lang: options.lang ?? detectLanguage(title, parts.paragraphs.join(" ")),
      kind,
      centre: options.centre ?? "national",
      title,
      strap,
      body: parts.paragraphs.join("\n\n"),
      slug: slugify(decodeSlug(item.slug)).slice(0, MAX.slug) || undefined,
      tags,
      also_read_after: Math.min(parts.alsoReadAfter ?? 2, MAX.alsoReadAfter),
      byline: byline ? clip(byline, MAX.byline) : null,
    },
    extra: {
      status: published ? "published" : "draft",
      published_at: published ? publishedAt : null,
      view_count: views,
      source_key: wxrSourceKey(index.site, item.postId),
      created_at: item.publishedAtGmt ?? item.modifiedAtGmt ?? options.now,
    },
    category,
    alsoRead: parts.alsoRead.map((l) => l.url),
    image: image && { ...image, caption: image.caption && clip(image.caption, MAX.caption) },
    warnings,
  };
}
