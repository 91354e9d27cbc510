// Turns the HTML of a WordPress post (Gutenberg blocks or the classic editor) into the parts of a Rasai
// article: a strap, plain paragraphs in a small safe Markdown subset, the lead image with its caption, and
// the "یہ بھی پڑھیے" / "Also read" block with its position. Parsing uses htmlparser2; no HTML survives:
// tags become Markdown or nothing, literal Markdown characters in the text are backslash-escaped, and
// scripts, styles, comments, iframes, forms and the like are dropped with their contents.
import { DomUtils, ElementType, parseDocument } from "htmlparser2";

type Doc = ReturnType<typeof parseDocument>;
type DomNode = Doc["children"][number];
type DomElement = Extract<DomNode, { attribs: Record<string, string> }>;
type DomText = Extract<DomNode, { type: typeof ElementType.Text }>;

export interface WpImage {
  /** src of the <img> as written (often a resized copy such as …-1024x576.jpg) */
  url: string;
  /** figcaption (or [caption] shortcode text) as plain text */
  caption: string | null;
  /** alt text, null when empty */
  alt: string | null;
  /** attachment post id from class="wp-image-N"; map it to that attachment's wp:attachment_url for the original */
  attachmentId: number | null;
}

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

// ---------------------------------------------------------------------------------------------------------

const DROP = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "object",
  "embed",
  "applet",
  "frame",
  "frameset",
  "form",
  "input",
  "button",
  "select",
  "textarea",
  "option",
  "svg",
  "math",
  "canvas",
  "audio",
  "video",
  "source",
  "track",
  "map",
  "head",
  "title",
  "meta",
  "link",
  "base",
]);

const BLOCK = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "li",
  "dl",
  "dt",
  "dd",
  "blockquote",
  "figure",
  "figcaption",
  "div",
  "section",
  "article",
  "aside",
  "header",
  "footer",
  "main",
  "nav",
  "address",
  "pre",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "td",
  "th",
  "caption",
  "hr",
  "details",
  "summary",
  "center",
  "body",
  "html",
]);

const ALSO_READ_PHRASES = ["یہ بھی پڑھیے", "یہ بھی پڑھیں", "also read", "read also"].map(normalizeForMatch);

interface Link {
  title: string;
  url: string;
}

interface Inline {
  md: string;
  text: string;
  links: Link[];
}

type Block =
  | ({ kind: "p"; classes: string[] } & Inline)
  | ({ kind: "heading" } & Inline)
  | { kind: "list"; ordered: boolean; items: Inline[] }
  | ({ kind: "image" } & WpImage);

// ---------------------------------------------------------------------------------------------------------
// Text helpers

/** Comparison form: NFC, Arabic-script letter variants folded, tatweel/diacritics/punctuation dropped. */
function normalizeForMatch(s: string): string {
  return s
    .normalize("NFC")
    .replace(/[\u064A\u0649]/g, "\u06CC") // Arabic yeh / alef maksura → Farsi yeh
    .replace(/[\u0647\u06C2\u06C3]/g, "\u06C1") // heh → heh goal
    .replace(/\u0643/g, "\u06A9") // Arabic kaf → keheh
    .replace(/[\u064B-\u065F\u0670\u0640\u200C\u200E\u200F]|\u200D/g, "") // harakat, tatweel, ZWNJ/ZWJ, marks
    .replace(/[\s\u00A0]+/g, " ")
    .replace(/[\s:：\-–—۔.!»«"'()]+$/u, "")
    .replace(/^[\s\-–—•·»«"'()]+/u, "")
    .trim()
    .toLowerCase();
}

function collapse(s: string): string {
  return s.replace(/[\s\u00A0]+/g, " ");
}

/** Escape characters Markdown would act on anywhere in a line. */
function escapeInline(s: string): string {
  return s.replace(/[\\`*_[\]<>~|]/g, "\\$&").replace(/&(?=#?[A-Za-z0-9]+;)/g, "\\&");
}

/** Escape what Markdown would act on at the start of a line (headings, lists, quotes, rules). */
function escapeLineStarts(md: string): string {
  return md
    .split("\n")
    .map((line) => {
      const t = line.replace(/^[ \t]+/, "");
      if (/^(#{1,6}|[-+=])(\s|$)/.test(t) || /^[-=]{2,}\s*$/.test(t)) return `\\${t}`;
      const ordered = /^(\d{1,9})([.)])(\s|$)/.exec(t);
      if (ordered) return `${ordered[1]}\\${t.slice(ordered[1]!.length)}`;
      return t;
    })
    .join("\n");
}

function tidy(md: string): string {
  return md
    .split("\n")
    .map((l) => l.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{2,}/g, "\n")
    .trim();
}

function safeUrl(href: string | undefined): string | null {
  if (href === undefined) return null;
  // eslint-disable-next-line no-control-regex
  const url = href.replace(/[\u0000-\u001F\u007F]/g, "").trim();
  if (url === "") return null;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  if (scheme && !["http", "https", "mailto", "tel"].includes(scheme[1]!.toLowerCase())) return null;
  return url;
}

function markdownUrl(url: string): string {
  return url.replace(
    /[\s()<>\\[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

function classesOf(el: DomElement): string[] {
  return (el.attribs["class"] ?? "").split(/\s+/).filter(Boolean);
}

function attachmentIdOf(img: DomElement): number | null {
  for (const c of classesOf(img)) {
    const m = /^wp-image-(\d+)$/.exec(c);
    if (m) return Number(m[1]);
  }
  const data = img.attribs["data-id"];
  return data && /^\d+$/.test(data) ? Number(data) : null;
}

function isElement(node: DomNode): node is DomElement {
  return ElementType.isTag(node);
}

function isText(node: DomNode): node is DomText {
  return node.type === ElementType.Text;
}

// ---------------------------------------------------------------------------------------------------------
// Inline rendering

interface InlineState {
  bold: boolean;
  italic: boolean;
  inLink: boolean;
  /** classic-editor text: blank lines split paragraphs, single newlines are line breaks */
  raw: boolean;
}

const PARA_BREAK = "\u0000";

function renderInline(nodes: readonly DomNode[], raw: boolean, images: DomElement[], bold = false): Inline {
  const links: Link[] = [];
  const walk = (list: readonly DomNode[], st: InlineState): { md: string; text: string } => {
    let md = "";
    let text = "";
    for (const node of list) {
      if (isText(node)) {
        let t = node.data;
        if (st.raw) {
          t = t.replace(/\r\n?/g, "\n").replace(/\n[ \t\u00A0]*\n\s*/g, PARA_BREAK);
          t = t.replace(/[ \t\u00A0]*\n[ \t\u00A0]*/g, "\n").replace(/[ \t\u00A0]+/g, " ");
        } else {
          t = collapse(t);
        }
        md += escapeInline(t);
        text += t;
        continue;
      }
      if (!isElement(node)) continue; // comments, directives, CDATA
      const name = node.name.toLowerCase();
      if (DROP.has(name)) continue;
      if (name === "br") {
        md += "\n";
        text += "\n";
        continue;
      }
      if (name === "img") {
        images.push(node);
        continue;
      }
      if (name === "strong" || name === "b") {
        const inner = walk(node.children, { ...st, bold: true });
        md += st.bold ? inner.md : wrap(inner.md, "**");
        text += inner.text;
        continue;
      }
      if (name === "em" || name === "i" || name === "cite") {
        const inner = walk(node.children, { ...st, italic: true });
        md += st.italic ? inner.md : wrap(inner.md, "*");
        text += inner.text;
        continue;
      }
      if (name === "code" || name === "kbd" || name === "samp") {
        const inner = walk(node.children, st);
        md += inner.text.includes("`") || inner.text.trim() === "" ? inner.md : wrap(inner.text, "`");
        text += inner.text;
        continue;
      }
      if (name === "a") {
        const inner = walk(node.children, { ...st, inLink: true });
        const url = safeUrl(node.attribs["href"]);
        const title = collapse(inner.text).trim();
        if (url && title && !st.inLink) {
          links.push({ title, url });
          md += wrap(inner.md, "", (core) => `[${core}](${markdownUrl(url)})`);
        } else {
          md += inner.md;
        }
        text += inner.text;
        continue;
      }
      // span, u, s, del, ins, mark, sup, sub, small, abbr, time, q, font, unknown, and blocks nested in
      // inline context: keep their text.
      const inner = walk(node.children, st);
      md += inner.md;
      text += inner.text;
    }
    return { md, text };
  };
  const out = walk(nodes, { bold, italic: false, inLink: false, raw });
  return { md: out.md, text: out.text, links };
}

/** Put markers around the non-space core so "** x **" never happens; empty content yields just the spaces. */
function wrap(md: string, marker: string, fn?: (core: string) => string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(md)!;
  const core = m[2]!;
  if (core === "") return md;
  return `${m[1]}${fn ? fn(core) : `${marker}${core}${marker}`}${m[3]}`;
}

// ---------------------------------------------------------------------------------------------------------
// Block collection

function collectBlocks(root: readonly DomNode[]): Block[] {
  const blocks: Block[] = [];

  const pushParagraphs = (inline: Inline, classes: string[], raw: boolean) => {
    const mdParts = raw ? inline.md.split(PARA_BREAK) : [inline.md];
    const textParts = raw ? inline.text.split(PARA_BREAK) : [inline.text];
    mdParts.forEach((md, i) => {
      const text = collapse(textParts[i] ?? "").trim();
      const cleanMd = tidy(md.replaceAll(PARA_BREAK, " "));
      if (text === "" || cleanMd === "") return;
      // Links are attributed to the part they appear in (by their visible text).
      const links = mdParts.length === 1 ? inline.links : inline.links.filter((l) => text.includes(l.title));
      blocks.push({ kind: "p", classes, md: cleanMd, text, links });
    });
  };

  const imagesToBlocks = (images: DomElement[], caption: string | null) => {
    for (const img of images) {
      const url = safeUrl(img.attribs["src"] ?? img.attribs["data-src"]);
      if (!url) continue;
      const alt = collapse(img.attribs["alt"] ?? "").trim();
      blocks.push({
        kind: "image",
        url,
        caption,
        alt: alt === "" ? null : alt,
        attachmentId: attachmentIdOf(img),
      });
      caption = null; // a caption belongs to the first image of its figure
    }
  };

  const inlineBlock = (nodes: readonly DomNode[], raw: boolean, bold = false): Inline => {
    const images: DomElement[] = [];
    const inline = renderInline(nodes, raw, images, bold);
    imagesToBlocks(images, null);
    return inline;
  };

  const visit = (nodes: readonly DomNode[], raw: boolean) => {
    let run: DomNode[] = [];
    const flush = () => {
      if (run.length === 0) return;
      const images: DomElement[] = [];
      const inline = renderInline(run, raw, images);
      run = [];
      imagesToBlocks(images, null); // an image in loose text is placed before that text
      pushParagraphs(inline, [], raw);
    };
    for (const node of nodes) {
      if (!isElement(node)) {
        if (isText(node)) run.push(node);
        continue;
      }
      const name = node.name.toLowerCase();
      if (DROP.has(name)) continue;
      if (!BLOCK.has(name)) {
        run.push(node);
        continue;
      }
      flush();
      switch (name) {
        case "p":
        case "dt":
        case "dd":
        case "address":
        case "summary": {
          pushParagraphs(inlineBlock(node.children, false), classesOf(node), false);
          break;
        }
        case "h1":
        case "h2":
        case "h3":
        case "h4":
        case "h5":
        case "h6": {
          // Rendered as bold already, so inner <strong> adds no markers; the ** goes on when it is output.
          const inline = inlineBlock(node.children, false, true);
          const text = collapse(inline.text).trim();
          const md = tidy(inline.md);
          if (text !== "" && md !== "") blocks.push({ kind: "heading", md, text, links: inline.links });
          break;
        }
        case "ul":
        case "ol": {
          const items: Inline[] = [];
          const addItems = (list: DomElement) => {
            for (const li of list.children) {
              if (!isElement(li) || li.name.toLowerCase() !== "li") continue;
              const nested = li.children.filter(
                (c): c is DomElement => isElement(c) && ["ul", "ol"].includes(c.name.toLowerCase()),
              );
              const own = li.children.filter((c) => !nested.includes(c as DomElement));
              const inline = inlineBlock(own, false);
              const text = collapse(inline.text).trim();
              const md = tidy(inline.md.replaceAll("\n", " "));
              if (text !== "" && md !== "") items.push({ md, text, links: inline.links });
              nested.forEach(addItems);
            }
          };
          addItems(node);
          if (items.length > 0) blocks.push({ kind: "list", ordered: name === "ol", items });
          break;
        }
        case "figure": {
          const imgs = DomUtils.getElementsByTagName("img", node.children, true);
          const figcaptions = DomUtils.getElementsByTagName("figcaption", node.children, true);
          const isShortcode = node.attribs["data-wp-caption"] !== undefined;
          if (imgs.length === 0) {
            visit(node.children, raw);
            break;
          }
          let caption: string | null = null;
          const own = figcaptions[figcaptions.length - 1];
          if (own) {
            caption = collapse(renderInline(own.children, false, []).text).trim() || null;
          } else if (isShortcode) {
            const rest = node.children.filter((c) => !(isElement(c) && ["img", "a"].includes(c.name)));
            caption = collapse(renderInline(rest, false, []).text).trim() || null;
          }
          // A gallery holds one figure per image: visit those separately so each keeps its caption.
          const innerFigures = DomUtils.getElementsByTagName("figure", node.children, true);
          if (innerFigures.length > 0) {
            visit(node.children, raw);
            break;
          }
          imagesToBlocks(imgs, caption);
          break;
        }
        case "blockquote": {
          const before = blocks.length;
          visit(node.children, false);
          for (let i = before; i < blocks.length; i++) {
            const b = blocks[i]!;
            if (b.kind === "p" || b.kind === "heading") {
              const md = b.kind === "heading" ? wrap(b.md, "**") : escapeLineStarts(b.md);
              blocks[i] = {
                kind: "p",
                classes: [],
                md: `> ${md.replaceAll("\n", "\n> ")}`,
                text: b.text,
                links: b.links,
              };
            }
          }
          break;
        }
        case "pre": {
          const inline = inlineBlock(node.children, true);
          pushParagraphs({ ...inline, md: inline.md.replaceAll(PARA_BREAK, "\n") }, [], false);
          break;
        }
        case "tr": {
          const cells = node.children.filter(
            (c): c is DomElement => isElement(c) && ["td", "th"].includes(c.name.toLowerCase()),
          );
          const parts = cells.map((c) => inlineBlock(c.children, false));
          const md = parts
            .map((p) => tidy(p.md.replaceAll("\n", " ")))
            .filter(Boolean)
            .join(" — ");
          const text = parts
            .map((p) => collapse(p.text).trim())
            .filter(Boolean)
            .join(" — ");
          if (md !== "")
            blocks.push({ kind: "p", classes: [], md, text, links: parts.flatMap((p) => p.links) });
          break;
        }
        case "hr":
          break;
        default:
          // div, section, table, tbody, li outside a list, figcaption outside a figure, …: containers.
          visit(node.children, raw);
      }
    }
    flush();
  };

  visit(root, true);
  return blocks;
}

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
