// Turns the HTML of a WordPress post (Gutenberg blocks or the classic editor) into the parts of a Rasai
// article: a strap, plain paragraphs in a small safe Markdown subset, the lead image with its caption, and
// the "یہ بھی پڑھیے" / "Also read" block with its position. Parsing uses htmlparser2; no HTML survives:
// tags become Markdown or nothing, literal Markdown characters in the text are backslash-escaped, and
// scripts, styles, comments, iframes, forms and the like are dropped with their contents.
import { parseDocument } from "htmlparser2";
import { collectBlocks, type Block, type WpImage } from "./wpBlocks.ts";
import { collapse, escapeLineStarts, normalizeForMatch, renderInline, wrap, type Link } from "./wpInline.ts";

export type { WpImage } from "./wpBlocks.ts";

export interface WpAlsoRead {
  /** the link text as plain text */
  title: string;
  /** the href as written (http(s), mailto or relative); never javascript:/data: */
  url: string;
}

export interface WpArticle {
  /** plain text, no Markdown */
  strap: string | null;
  /** body paragraphs, Markdown-safe: [text](url), **bold**, *italic*; everything else escaped */
  paragraphs: string[];
  alsoRead: WpAlsoRead[];
  /** number of body paragraphs before the also-read block; null when there is none */
  alsoReadAfter: number | null;
  /** the also-read heading as written (plain text, trailing colon removed); null when there is none */
  alsoReadHeading: string | null;
  image: WpImage | null;
}

export interface ArticleFromWpHtmlOptions {
  /**
   * The post's excerpt (excerpt:encoded). When the content has no <p class="strap"> and its first paragraph
   * says the same as the excerpt, that paragraph becomes the strap.
   */
  excerpt?: string | null;
}

const ALSO_READ_PHRASES = ["یہ بھی پڑھیے", "یہ بھی پڑھیں", "also read", "read also"].map(normalizeForMatch);

// ---------------------------------------------------------------------------------------------------------

/** Classic-editor [caption] shortcodes become figures; media shortcodes (and their bodies) are removed. */
function preprocessShortcodes(html: string): string {
  return html
    .replace(/\[caption\b[^\]]*\]([\s\S]*?)\[\/caption\]/gi, '<figure data-wp-caption="">$1</figure>')
    .replace(/\[(video|audio|playlist|embed)\b[^\]]*\][\s\S]*?\[\/\1\]/gi, "")
    .replace(/\[\/?(gallery|video|audio|playlist|embed)\b[^\]]*\]/gi, "");
}

function alsoReadHeadingText(text: string): string | null {
  const n = normalizeForMatch(text);
  for (const phrase of ALSO_READ_PHRASES) {
    if (n === phrase) return "whole";
    if (n.startsWith(phrase) && /^[\s:：\-–—]/u.test(n.slice(phrase.length))) return "prefix";
  }
  return null;
}

function stripTrailingColon(s: string): string {
  return s.replace(/[\s:：\-–—]+$/u, "").trim();
}

/** A paragraph that is nothing but one link (optionally bulleted) is an also-read entry. */
function soleLink(b: Extract<Block, { kind: "p" }>): Link | null {
  if (b.links.length !== 1) return null;
  const link = b.links[0]!;
  const rest = normalizeForMatch(b.text.replace(link.title, ""));
  return rest === "" ? link : null;
}

/**
 * Convert the HTML of a WordPress post into article parts. See {@link WpArticle} for what each part holds.
 */
export function articleFromWpHtml(html: string, options: ArticleFromWpHtmlOptions = {}): WpArticle {
  const doc = parseDocument(preprocessShortcodes(html), {
    decodeEntities: true,
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
    recognizeSelfClosing: true,
  });
  const blocks = collectBlocks(doc.children);

  const result: WpArticle = {
    strap: null,
    paragraphs: [],
    alsoRead: [],
    alsoReadAfter: null,
    alsoReadHeading: null,
    image: null,
  };

  // Strap: <p class="strap">, else the first paragraph when it repeats the excerpt.
  let strapIndex = blocks.findIndex((b) => b.kind === "p" && b.classes.includes("strap"));
  if (strapIndex < 0 && options.excerpt) {
    const excerpt = normalizeForMatch(
      collapse(renderInline(parseDocument(options.excerpt).children, false, []).text),
    );
    const first = blocks.findIndex((b) => b.kind === "p" || b.kind === "heading" || b.kind === "list");
    const b = blocks[first];
    if (b && b.kind === "p" && excerpt !== "" && normalizeForMatch(b.text) === excerpt) strapIndex = first;
  }
  if (strapIndex >= 0) {
    const b = blocks[strapIndex]!;
    if (b.kind === "p") result.strap = collapse(b.text).trim();
    blocks.splice(strapIndex, 1);
  }

  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.kind === "image") {
      if (!result.image) {
        result.image = { url: b.url, caption: b.caption, alt: b.alt, attachmentId: b.attachmentId };
      }
      continue; // further inline images cannot be placed in text paragraphs
    }
    if (b.kind === "p" || b.kind === "heading") {
      const match = alsoReadHeadingText(b.text);
      if (match) {
        const entries: Link[] = match === "prefix" ? [...b.links] : [];
        let j = i + 1;
        for (; j < blocks.length; j++) {
          const next = blocks[j]!;
          if (next.kind === "list") {
            const linked = next.items.map((it) => it.links[0]).filter((l): l is Link => l !== undefined);
            if (linked.length === 0) break;
            entries.push(...linked);
          } else if (next.kind === "p" && soleLink(next)) {
            entries.push(soleLink(next)!);
          } else {
            break;
          }
        }
        if (entries.length > 0) {
          if (result.alsoReadAfter === null) {
            result.alsoReadAfter = result.paragraphs.length;
            let headingText = b.text;
            if (match === "prefix") for (const l of b.links) headingText = headingText.replace(l.title, "");
            result.alsoReadHeading = stripTrailingColon(collapse(headingText));
          }
          for (const e of entries) {
            if (!result.alsoRead.some((r) => r.url === e.url)) result.alsoRead.push(e);
          }
          i = j - 1;
          continue;
        }
      }
    }
    switch (b.kind) {
      case "p":
        result.paragraphs.push(escapeLineStarts(b.md));
        break;
      case "heading":
        result.paragraphs.push(wrap(b.md.replaceAll("\n", " "), "**"));
        break;
      case "list":
        b.items.forEach((it, n) => {
          result.paragraphs.push(`${b.ordered ? `${n + 1}.` : "-"} ${escapeLineStarts(it.md)}`);
        });
        break;
    }
  }
  return result;
}
