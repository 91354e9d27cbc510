// The inline half of reading a WordPress post (wpContent.ts): its text in a small safe Markdown
// subset, with the links in it, and the helpers that keep what comes out safe (escaping, URLs).
import { ElementType, type parseDocument } from "htmlparser2";

type Doc = ReturnType<typeof parseDocument>;
export type DomNode = Doc["children"][number];
export type DomElement = Extract<DomNode, { attribs: Record<string, string> }>;
type DomText = Extract<DomNode, { type: typeof ElementType.Text }>;

/** Elements dropped with everything inside them. */
export const DROP = new Set([
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

export interface Link {
  title: string;
  url: string;
}

export interface Inline {
  md: string;
  text: string;
  links: Link[];
}

// ---------------------------------------------------------------------------------------------------------
// Text helpers

/** Comparison form: NFC, Arabic-script letter variants folded, tatweel/diacritics/punctuation dropped. */
export function normalizeForMatch(s: string): string {
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

export function collapse(s: string): string {
  return s.replace(/[\s\u00A0]+/g, " ");
}

/** Escape characters Markdown would act on anywhere in a line. */
function escapeInline(s: string): string {
  return s.replace(/[\\`*_[\]<>~|]/g, "\\$&").replace(/&(?=#?[A-Za-z0-9]+;)/g, "\\&");
}

/** Escape what Markdown would act on at the start of a line (headings, lists, quotes, rules). */
export function escapeLineStarts(md: string): string {
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

export function tidy(md: string): string {
  return md
    .split("\n")
    .map((l) => l.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{2,}/g, "\n")
    .trim();
}

export function safeUrl(href: string | undefined): string | null {
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

export function classesOf(el: DomElement): string[] {
  return (el.attribs["class"] ?? "").split(/\s+/).filter(Boolean);
}

export function attachmentIdOf(img: DomElement): number | null {
  for (const c of classesOf(img)) {
    const m = /^wp-image-(\d+)$/.exec(c);
    if (m) return Number(m[1]);
  }
  const data = img.attribs["data-id"];
  return data && /^\d+$/.test(data) ? Number(data) : null;
}

export function isElement(node: DomNode): node is DomElement {
  return ElementType.isTag(node);
}

export function isText(node: DomNode): node is DomText {
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

export const PARA_BREAK = "\u0000";

export function renderInline(
  nodes: readonly DomNode[],
  raw: boolean,
  images: DomElement[],
  bold = false,
): Inline {
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
export function wrap(md: string, marker: string, fn?: (core: string) => string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(md)!;
  const core = m[2]!;
  if (core === "") return md;
  return `${m[1]}${fn ? fn(core) : `${marker}${core}${marker}`}${m[3]}`;
}
