import MarkdownIt from "markdown-it";

/**
 * Markdown for article bodies. Raw HTML is off, so nothing an editor (or an imported
 * archive) types can inject markup; markdown-it's link check refuses javascript:, vbscript:
 * and file: URLs. The output is therefore sanitised by construction.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = String(tokens[idx]!.attrGet("href") ?? "");
  if (/^https?:\/\//i.test(href)) tokens[idx]!.attrSet("rel", "nofollow noopener");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Renders a body to its top-level blocks (paragraphs, lists, headings...), each as safe HTML. */
export function renderBlocks(markdown: string): string[] {
  const tokens = md.parse(markdown, {});
  const blocks: string[] = [];
  let start = 0;
  let depth = 0;
  tokens.forEach((token, i) => {
    depth += token.nesting;
    if (depth === 0) {
      blocks.push(md.renderer.render(tokens.slice(start, i + 1), md.options, {}).trim());
      start = i + 1;
    }
  });
  return blocks.filter((b) => b.length > 0);
}

/** Plain text of a Markdown body: for feeds' summaries, search and also-read suggestions. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`#>]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
