// The block half of reading a WordPress post (wpContent.ts): its paragraphs, headings, lists and
// images in document order, Gutenberg and classic-editor markup alike.
import { DomUtils } from "htmlparser2";
import {
  attachmentIdOf,
  classesOf,
  collapse,
  DROP,
  escapeLineStarts,
  isElement,
  isText,
  PARA_BREAK,
  renderInline,
  safeUrl,
  tidy,
  wrap,
  type DomElement,
  type DomNode,
  type Inline,
} from "./wpInline.ts";

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

export type Block =
  | ({ kind: "p"; classes: string[] } & Inline)
  | ({ kind: "heading" } & Inline)
  | { kind: "list"; ordered: boolean; items: Inline[] }
  | ({ kind: "image" } & WpImage);

export function collectBlocks(root: readonly DomNode[]): Block[] {
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
