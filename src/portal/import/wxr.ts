// Streaming reader for WordPress eXtended RSS (WXR 1.0–1.2), the file WordPress writes under Tools → Export.
// It feeds the input to saxes chunk by chunk and yields each <item> as soon as it closes, so memory stays
// bounded by the largest single item, never by the file. Any DOCTYPE is refused outright: WordPress never
// writes one, and without a DTD there are no custom entities to expand (no XXE, no entity bombs).
import { SaxesParser } from "saxes";
import type { SaxesAttributeNS, SaxesTagNS } from "saxes";
import {
  emptyComment,
  emptyItem,
  setCommentField,
  setItemField,
  toInt,
  WxrRejected,
  type WxrAuthor,
  type WxrCategory,
  type WxrComment,
  type WxrEvent,
  type WxrItem,
  type WxrItemCategory,
  type WxrSite,
  type WxrTag,
} from "./wxrRecords.ts";

export interface ReadWxrOptions {
  /**
   * Largest run of characters the parser may buffer without producing any event (one text/CDATA node,
   * one comment, one tag). Bounds memory on hostile input. Default 64 MiB.
   */
  maxNodeChars?: number;
}

const WP_NS = /^https?:\/\/wordpress\.org\/export\/1\.\d+\/$/;
const EXCERPT_NS = /^https?:\/\/wordpress\.org\/export\/1\.\d+\/excerpt\/$/;
const CONTENT_NS = "http://purl.org/rss/1.0/modules/content/";
const DC_NS = "http://purl.org/dc/elements/1.1/";

// Prefixes some hand-edited or truncated-header exports use without declaring them.
const FALLBACK_PREFIXES: Record<string, string> = {
  wp: "http://wordpress.org/export/1.2/",
  excerpt: "http://wordpress.org/export/1.2/excerpt/",
  content: CONTENT_NS,
  dc: DC_NS,
  wfw: "http://wellformedweb.org/CommentAPI/",
};

const SLICE = 64 * 1024;

/** Canonical element name: "wp:post_id", "content:encoded", "title", or "?:local" for foreign namespaces. */
function canonical(tag: SaxesTagNS): string {
  const uri = tag.uri;
  if (uri === "") return tag.local;
  if (WP_NS.test(uri)) return `wp:${tag.local}`;
  if (EXCERPT_NS.test(uri)) return `excerpt:${tag.local}`;
  if (uri === CONTENT_NS) return `content:${tag.local}`;
  if (uri === DC_NS) return `dc:${tag.local}`;
  return `?:${tag.local}`;
}

async function* chunksOf(
  input: NodeJS.ReadableStream | AsyncIterable<Buffer | string>,
): AsyncGenerator<Buffer | string> {
  for await (const chunk of input as AsyncIterable<Buffer | string | Uint8Array>) {
    yield typeof chunk === "string" || Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
  }
}

/**
 * Read a WXR file as a stream of events: "site" once (from the channel header), then "author", "category"
 * and "tag" as they appear, and one "item" per <item> as soon as it closes. Throws {@link WxrRejected} for a
 * DOCTYPE, malformed or truncated XML (with the line number), invalid UTF-8, or a root that is not <rss>.
 */
export async function* readWxr(
  input: NodeJS.ReadableStream | AsyncIterable<Buffer | string>,
  options: ReadWxrOptions = {},
): AsyncGenerator<WxrEvent> {
  const maxNodeChars = options.maxNodeChars ?? 64 * 1024 * 1024;
  const parser = new SaxesParser({
    xmlns: true,
    position: true,
    resolvePrefix: (prefix: string) => FALLBACK_PREFIXES[prefix],
  });

  const queue: WxrEvent[] = [];
  const stack: string[] = [];
  let text = "";
  let charsSinceEvent = 0;

  const site: Omit<WxrSite, "kind"> = {
    siteUrl: "",
    baseSiteUrl: "",
    baseBlogUrl: "",
    title: "",
    language: "",
    wxrVersion: "",
  };
  let siteEmitted = false;
  let author: WxrAuthor | null = null;
  let category: WxrCategory | null = null;
  let tag: WxrTag | null = null;
  let item: WxrItem | null = null;
  let itemCategory: WxrItemCategory | null = null;
  let comment: WxrComment | null = null;
  let metaKey: string | null = null;
  let metaValue: string | null = null;

  const reject = (message: string): never => {
    throw new WxrRejected(
      `${message} (line ${parser.line}, column ${parser.column})`,
      parser.line,
      parser.column,
    );
  };

  const emitSite = () => {
    if (!siteEmitted) {
      siteEmitted = true;
      queue.push({ kind: "site", ...site });
    }
  };

  const touched = () => {
    charsSinceEvent = 0;
  };

  parser.on("error", (err: Error) => {
    const bare = err.message.replace(/^\d+:\d+: /, "");
    reject(`Malformed XML: ${bare}`);
  });
  parser.on("doctype", () => {
    reject("DTDs are not accepted: a WordPress export never contains a <!DOCTYPE>, and this file does");
  });
  parser.on("xmldecl", (decl) => {
    touched();
    const enc = decl.encoding?.toLowerCase();
    if (enc !== undefined && enc !== "utf-8" && enc !== "utf8") {
      reject(`Only UTF-8 exports are accepted; this one declares encoding="${decl.encoding ?? ""}"`);
    }
  });
  parser.on("comment", touched);
  parser.on("processinginstruction", touched);
  parser.on("text", (t: string) => {
    touched();
    text += t;
  });
  parser.on("cdata", (t: string) => {
    touched();
    text += t;
  });

  parser.on("opentag", (tagNS: SaxesTagNS) => {
    touched();
    const name = canonical(tagNS);
    const depth = stack.length;
    if (depth === 0 && name !== "rss") {
      reject(`Not a WordPress export: the root element is <${tagNS.name}>, expected <rss>`);
    }
    stack.push(name);
    text = "";
    const parent = stack[depth - 1];
    if (depth === 2 && parent === "channel") {
      switch (name) {
        case "wp:author":
          emitSite();
          author = { kind: "author", id: null, login: "", displayName: "", email: "" };
          break;
        case "wp:category":
          emitSite();
          category = { kind: "category", nicename: "", name: "", parent: null };
          break;
        case "wp:tag":
          emitSite();
          tag = { kind: "tag", slug: "", name: "" };
          break;
        case "item":
          emitSite();
          item = emptyItem();
          break;
        case "wp:term":
          emitSite();
          break;
      }
    } else if (item && depth === 3) {
      if (name === "category") {
        const attrs = tagNS.attributes as Record<string, SaxesAttributeNS>;
        const domain = attrs["domain"]?.value;
        // WXR 1.0 also wrote a domain-less duplicate of every category; only the attributed ones count.
        itemCategory = domain ? { domain, nicename: attrs["nicename"]?.value ?? "", name: "" } : null;
      } else if (name === "wp:comment") {
        comment = emptyComment();
      } else if (name === "wp:postmeta") {
        metaKey = null;
        metaValue = null;
      }
    }
  });

  parser.on("closetag", () => {
    touched();
    const name = stack.pop();
    const depth = stack.length; // depth of the closed element
    const value = text;
    text = "";
    const parent = stack[depth - 1];

    if (depth === 2 && parent === "channel") {
      if (name === "wp:author" && author) {
        queue.push(author);
        author = null;
      } else if (name === "wp:category" && category) {
        queue.push(category);
        category = null;
      } else if (name === "wp:tag" && tag) {
        queue.push(tag);
        tag = null;
      } else if (name === "item" && item) {
        queue.push({ kind: "item", item });
        item = null;
      } else {
        switch (name) {
          case "title":
            site.title = value.trim();
            break;
          case "link":
            site.siteUrl = value.trim();
            break;
          case "language":
            site.language = value.trim();
            break;
          case "wp:base_site_url":
            site.baseSiteUrl = value.trim();
            break;
          case "wp:base_blog_url":
            site.baseBlogUrl = value.trim();
            break;
          case "wp:wxr_version":
            site.wxrVersion = value.trim();
            break;
        }
      }
      return;
    }
    if (depth === 1 && name === "channel") {
      emitSite();
      return;
    }
    if (depth === 3 && parent === "wp:author" && author) {
      if (name === "wp:author_id") author.id = toInt(value);
      else if (name === "wp:author_login") author.login = value.trim();
      else if (name === "wp:author_display_name") author.displayName = value.trim();
      else if (name === "wp:author_email") author.email = value.trim();
      return;
    }
    if (depth === 3 && parent === "wp:category" && category) {
      if (name === "wp:category_nicename") category.nicename = value.trim();
      else if (name === "wp:cat_name") category.name = value.trim();
      else if (name === "wp:category_parent") category.parent = value.trim() || null;
      return;
    }
    if (depth === 3 && parent === "wp:tag" && tag) {
      if (name === "wp:tag_slug") tag.slug = value.trim();
      else if (name === "wp:tag_name") tag.name = value.trim();
      return;
    }
    if (!item) return;
    if (depth === 3) {
      if (setItemField(item, name, value, reject)) return;
      switch (name) {
        case "category":
          if (itemCategory) {
            itemCategory.name = value.trim();
            item.categories.push(itemCategory);
          }
          itemCategory = null;
          break;
        case "wp:postmeta":
          if (metaKey !== null && !Object.prototype.hasOwnProperty.call(item.meta, metaKey)) {
            item.meta[metaKey] = metaValue ?? "";
          }
          metaKey = null;
          metaValue = null;
          break;
        case "wp:comment":
          if (comment) item.comments.push(comment);
          comment = null;
          break;
      }
      return;
    }
    if (depth === 4 && parent === "wp:postmeta") {
      if (name === "wp:meta_key") metaKey = value.trim();
      else if (name === "wp:meta_value") metaValue = value;
      return;
    }
    if (depth === 4 && parent === "wp:comment" && comment) setCommentField(comment, name, value, reject);
  });

  const decoder = new TextDecoder("utf-8", { fatal: true });
  const feed = (slice: string) => {
    if (slice.length === 0) return;
    parser.write(slice);
    charsSinceEvent += slice.length;
    if (charsSinceEvent > maxNodeChars) {
      reject(`A single XML node is larger than ${maxNodeChars} characters`);
    }
  };
  const decode = (chunk: Buffer | string, stream: boolean): string => {
    if (typeof chunk === "string") return chunk;
    try {
      return decoder.decode(chunk, { stream });
    } catch {
      return reject("The file is not valid UTF-8");
    }
  };

  let first = true;
  for await (const chunk of chunksOf(input)) {
    let piece = decode(chunk, true);
    if (first && piece.length > 0) {
      // TextDecoder drops a BOM from Buffers; strings may still carry one.
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
      first = false;
    }
    // Feed in slices so a caller handing us one huge string still gets items as they close.
    for (let i = 0; i < piece.length; i += SLICE) {
      feed(piece.slice(i, i + SLICE));
      if (queue.length > 0) {
        const ready = queue.splice(0, queue.length);
        yield* ready;
      }
    }
  }
  feed(decode(Buffer.alloc(0), false));
  parser.close();
  if (stack.length === 0 && !siteEmitted) reject("Not a WordPress export: no <channel> found");
  yield* queue.splice(0, queue.length);
}
