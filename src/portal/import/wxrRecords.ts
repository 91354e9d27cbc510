// The records a WordPress export holds (site, authors, terms, items with their comments and meta), and
// how each element's text becomes a field: the XML reading itself is in wxr.ts.

/** Why a WXR file was refused. `line`/`column` point into the input when the problem has a place. */
export class WxrRejected extends Error {
  readonly line: number | null;
  readonly column: number | null;
  constructor(message: string, line: number | null = null, column: number | null = null) {
    super(message);
    this.name = "WxrRejected";
    this.line = line;
    this.column = column;
  }
}

export type WxrPostType = "post" | "page" | "attachment" | (string & {});

export interface WxrSite {
  kind: "site";
  /** channel <link> */
  siteUrl: string;
  /** wp:base_site_url */
  baseSiteUrl: string;
  /** wp:base_blog_url (usually equal to baseSiteUrl) */
  baseBlogUrl: string;
  title: string;
  /** channel <language>, e.g. "ur", "en-US" */
  language: string;
  /** wp:wxr_version, e.g. "1.2" */
  wxrVersion: string;
}

export interface WxrAuthor {
  kind: "author";
  id: number | null;
  login: string;
  displayName: string;
  email: string;
}

export interface WxrCategory {
  kind: "category";
  nicename: string;
  name: string;
  /** nicename of the parent category, null at top level */
  parent: string | null;
}

export interface WxrTag {
  kind: "tag";
  slug: string;
  name: string;
}

export interface WxrItemCategory {
  /** "category" or "post_tag"; other taxonomies (post_format, custom ones) come through as their name */
  domain: "category" | "post_tag" | (string & {});
  nicename: string;
  name: string;
}

export interface WxrComment {
  id: number;
  author: string;
  email: string;
  url: string;
  ip: string;
  /** ISO 8601 (UTC) from wp:comment_date_gmt; null for 0000-00-00 or unparsable */
  dateGmt: string | null;
  /** raw comment text as stored by WordPress: may contain HTML, treat as untrusted */
  content: string;
  /** "1" approved, "0" held for moderation, "spam", "trash" (raw wp:comment_approved) */
  approved: string;
  /** null for a top-level comment */
  parentId: number | null;
  /** "comment" (or "" in old exports), "pingback", "trackback", … */
  type: string;
}

export interface WxrItem {
  postId: number;
  type: WxrPostType;
  title: string;
  link: string;
  /** wp:post_name */
  slug: string;
  /** wp:status: publish, draft, pending, private, future, inherit, trash, … */
  status: string;
  /** ISO 8601 (UTC) from wp:post_date_gmt; null for 0000-00-00 (drafts) or unparsable */
  publishedAtGmt: string | null;
  /** wp:post_date as written (site-local time, "YYYY-MM-DD HH:MM:SS"), for drafts whose GMT date is zero */
  postDateLocal: string | null;
  /** ISO 8601 (UTC) from wp:post_modified_gmt */
  modifiedAtGmt: string | null;
  /** dc:creator (author login); "" for attachments WordPress attributes to nobody */
  creatorLogin: string;
  /** content:encoded, raw HTML */
  contentHtml: string;
  /** excerpt:encoded */
  excerpt: string;
  categories: WxrItemCategory[];
  /** wp:attachment_url (attachments only, else null) */
  attachmentUrl: string | null;
  /** wp:post_parent; null when 0 */
  parentId: number | null;
  /** wp:post_password; non-empty means the post is password-protected */
  password: string;
  /** wp:postmeta key → value (null-prototype object; the first value wins when a key repeats) */
  meta: Record<string, string>;
  comments: WxrComment[];
}

export type WxrEvent = WxrSite | WxrAuthor | WxrCategory | WxrTag | { kind: "item"; item: WxrItem };

/** Refuses the file at the reader's current position (it adds the line and column). */
export type Reject = (message: string) => never;

/** "2021-05-10 10:00:00" (UTC) → "2021-05-10T10:00:00.000Z"; zero or junk dates → null. */
export function wpGmtToIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h = "0", mi = "0", s = "0"] = m.slice(1) as [
    string,
    string,
    string,
    string?,
    string?,
    string?,
  ];
  if (Number(y) === 0 || Number(mo) === 0 || Number(d) === 0) return null;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (
    Number.isNaN(date.getTime()) ||
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d)
  ) {
    return null;
  }
  return date.toISOString();
}

export function toInt(value: string): number | null {
  const t = value.trim();
  if (!/^-?\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

function toId(value: string): number | null {
  const n = toInt(value);
  return n === null || n === 0 ? null : n;
}

export function emptyItem(): WxrItem {
  return {
    postId: 0,
    type: "post",
    title: "",
    link: "",
    slug: "",
    status: "",
    publishedAtGmt: null,
    postDateLocal: null,
    modifiedAtGmt: null,
    creatorLogin: "",
    contentHtml: "",
    excerpt: "",
    categories: [],
    attachmentUrl: null,
    parentId: null,
    password: "",
    meta: Object.create(null) as Record<string, string>,
    comments: [],
  };
}

export function emptyComment(): WxrComment {
  return {
    id: 0,
    author: "",
    email: "",
    url: "",
    ip: "",
    dateGmt: null,
    content: "",
    approved: "",
    parentId: null,
    type: "",
  };
}

/**
 * Sets the item's field that a child element of <item> holds; false for the elements the reader
 * keeps state for itself (categories, post meta, comments) and for those Rasai does not read.
 */
export function setItemField(
  item: WxrItem,
  name: string | undefined,
  value: string,
  reject: Reject,
): boolean {
  switch (name) {
    case "title":
      item.title = value.trim();
      return true;
    case "link":
      item.link = value.trim();
      return true;
    case "dc:creator":
      item.creatorLogin = value.trim();
      return true;
    case "content:encoded":
      item.contentHtml = value;
      return true;
    case "excerpt:encoded":
      item.excerpt = value;
      return true;
    case "wp:post_id":
      item.postId = toInt(value) ?? reject(`<wp:post_id> is not a number: "${value.trim()}"`);
      return true;
    case "wp:post_date":
      item.postDateLocal = value.trim() || null;
      return true;
    case "wp:post_date_gmt":
      item.publishedAtGmt = wpGmtToIso(value);
      return true;
    case "wp:post_modified_gmt":
      item.modifiedAtGmt = wpGmtToIso(value);
      return true;
    case "wp:post_name":
      item.slug = value.trim();
      return true;
    case "wp:status":
      item.status = value.trim();
      return true;
    case "wp:post_parent":
      item.parentId = toId(value);
      return true;
    case "wp:post_type":
      item.type = value.trim();
      return true;
    case "wp:post_password":
      item.password = value;
      return true;
    case "wp:attachment_url":
      item.attachmentUrl = value.trim() || null;
      return true;
  }
  return false;
}

/** Sets the comment's field that a child element of <wp:comment> holds. */
export function setCommentField(
  comment: WxrComment,
  name: string | undefined,
  value: string,
  reject: Reject,
): void {
  switch (name) {
    case "wp:comment_id":
      comment.id = toInt(value) ?? reject(`<wp:comment_id> is not a number: "${value.trim()}"`);
      return;
    case "wp:comment_author":
      comment.author = value.trim();
      return;
    case "wp:comment_author_email":
      comment.email = value.trim();
      return;
    case "wp:comment_author_url":
      comment.url = value.trim();
      return;
    case "wp:comment_author_IP":
      comment.ip = value.trim();
      return;
    case "wp:comment_date_gmt":
      comment.dateGmt = wpGmtToIso(value);
      return;
    case "wp:comment_content":
      comment.content = value;
      return;
    case "wp:comment_approved":
      comment.approved = value.trim();
      return;
    case "wp:comment_parent":
      comment.parentId = toId(value);
      return;
    case "wp:comment_type":
      comment.type = value.trim();
      return;
  }
}
