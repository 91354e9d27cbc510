// Small text conversions the importers need: which language a title is in, the plain text of a WordPress
// title, term name or comment (all stored as HTML), and readable slugs from percent-encoded ones.
import { DomUtils, ElementType, parseDocument } from "htmlparser2";

type DomNode = ReturnType<typeof parseDocument>["children"][number];
type DomElement = Extract<DomNode, { attribs: Record<string, string> }>;

function isElement(node: DomNode): node is DomElement {
  return ElementType.isTag(node);
}

const LETTER = /\p{L}/u;
const ARABIC_SCRIPT = /\p{Script=Arabic}/u;

/** True when more than half the letters are Arabic-script (Urdu); false with no letters at all. */
export function isMostlyArabicScript(text: string): boolean {
  let arabic = 0;
  let other = 0;
  for (const ch of text) {
    if (!LETTER.test(ch)) continue;
    if (ARABIC_SCRIPT.test(ch)) arabic++;
    else other++;
  }
  return arabic > other;
}

/** "ur" when the title is mostly Arabic-script; a title with no letters is judged by the fallback text. */
export function detectLanguage(title: string, fallback = ""): "ur" | "en" {
  const text = LETTER.test(title) ? title : fallback;
  return isMostlyArabicScript(text) ? "ur" : "en";
}

/** The text of a short HTML fragment (a title, a category name): tags dropped, entities decoded. */
export function plainTextOf(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, " ").trim();
  const doc = parseDocument(html, { decodeEntities: true });
  return DomUtils.textContent(doc.children).replace(/\s+/g, " ").trim();
}

/** A WordPress slug (percent-encoded for Urdu) as readable text; undecodable ones come back as written. */
export function decodeSlug(slug: string): string {
  try {
    return decodeURIComponent(slug);
  } catch {
    return slug;
  }
}

const INLINE_KEEP_TEXT = new Set([
  "b",
  "strong",
  "em",
  "i",
  "cite",
  "code",
  "q",
  "s",
  "strike",
  "del",
  "ins",
  "u",
  "abbr",
  "acronym",
  "span",
  "small",
  "sub",
  "sup",
  "mark",
  "font",
]);
const BLOCKS = new Set(["p", "div", "blockquote", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6"]);

/**
 * A comment's HTML as the plain text Rasai stores. The tags WordPress allows in comments turn into text
 * (a link keeps its address in brackets, paragraphs become blank lines); anything else, a <script> above
 * all, is kept literally as the characters it was written with, so it shows as text and never acts.
 */
export function commentText(html: string): string {
  const source = html.replace(/\r\n?/g, "\n");
  const doc = parseDocument(source, {
    decodeEntities: true,
    lowerCaseTags: true,
    withStartIndices: true,
    withEndIndices: true,
  });
  const walk = (nodes: readonly DomNode[]): string => {
    let out = "";
    for (const node of nodes) {
      if (node.type === ElementType.Text) {
        out += node.data;
        continue;
      }
      if (!isElement(node)) continue; // HTML comments, processing instructions
      const name = node.name;
      if (name === "br") {
        out += "\n";
      } else if (name === "a") {
        const text = walk(node.children);
        const href = (node.attribs["href"] ?? "").trim();
        const shown = text.trim();
        out += /^https?:\/\//i.test(href) && shown !== href ? `${text} (${href})` : text;
      } else if (INLINE_KEEP_TEXT.has(name)) {
        out += walk(node.children);
      } else if (name === "li") {
        out += `\n- ${walk(node.children).trim()}`;
      } else if (BLOCKS.has(name)) {
        out += `\n\n${walk(node.children)}\n\n`;
      } else if (node.startIndex !== null && node.endIndex !== null) {
        out += source.slice(node.startIndex, node.endIndex + 1);
      }
    }
    return out;
  };
  return walk(doc.children)
    .split("\n")
    .map((line) => line.replace(/[ \t\u00A0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
