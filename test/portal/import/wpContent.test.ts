import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { articleFromWpHtml } from "../../../src/portal/import/wpContent.ts";
import { readWxr } from "../../../src/portal/import/wxr.ts";
import type { WxrItem } from "../../../src/portal/import/wxrRecords.ts";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures");
const seedArticle = JSON.parse(fs.readFileSync(path.join(fixtures, "seed-article/article.json"), "utf8")) as {
  strap: string;
  image_caption: string;
  body_paragraphs: string[];
  also_read_heading: string;
  also_read_after_paragraph: number;
  also_read_titles: string[];
};

async function exportItems(): Promise<WxrItem[]> {
  const out: WxrItem[] = [];
  for await (const ev of readWxr(fs.createReadStream(path.join(fixtures, "wordpress-export/export.xml")))) {
    if (ev.kind === "item") out.push(ev.item);
  }
  return out;
}

describe("articleFromWpHtml on the seed post of the real export", () => {
  it("recovers the strap, the 7 body paragraphs, the also-read block after paragraph 2 and the image", async () => {
    const all = await exportItems();
    const post = all.find((i) => i.postId === 7)!;
    const a = articleFromWpHtml(post.contentHtml, { excerpt: post.excerpt });

    assert.equal(a.strap, seedArticle.strap);
    assert.equal(a.paragraphs.length, 7);
    assert.deepEqual(a.paragraphs, seedArticle.body_paragraphs);
    assert.equal(a.alsoReadHeading, seedArticle.also_read_heading);
    assert.equal(a.alsoReadAfter, seedArticle.also_read_after_paragraph);
    assert.equal(a.alsoReadAfter, 2);
    assert.deepEqual(
      a.alsoRead.map((r) => r.title),
      seedArticle.also_read_titles,
    );
    // The links point at the other two posts of the export.
    const linked = a.alsoRead.map((r) => all.find((i) => i.link === r.url)?.postId);
    assert.deepEqual(linked, [4, 5]);
    assert.deepEqual(a.image, {
      url: "http://127.0.0.1:8081/wp-content/uploads/2021/05/seed-article-image-1024x576.jpg",
      caption: seedArticle.image_caption,
      alt: null,
      attachmentId: 18,
    });
    // Nothing of the markup survives.
    for (const p of [a.strap!, ...a.paragraphs]) assert.doesNotMatch(p, /[<>]|wp:|\*\*/);
  });

  it("gives the same result without the excerpt (the strap is marked by its class)", async () => {
    const post = (await exportItems()).find((i) => i.postId === 7)!;
    assert.deepEqual(
      articleFromWpHtml(post.contentHtml),
      articleFromWpHtml(post.contentHtml, { excerpt: post.excerpt }),
    );
  });

  it("turns the privacy page into paragraphs with bold headings and decoded entities", async () => {
    const page = (await exportItems()).find((i) => i.postId === 3)!;
    const a = articleFromWpHtml(page.contentHtml);
    assert.equal(a.strap, null);
    assert.equal(a.image, null);
    assert.equal(a.paragraphs[0], "**Who we are**");
    assert.equal(a.paragraphs[1], "**Suggested text:** Our website address is: http://127.0.0.1:8081.");
    assert.ok(a.paragraphs.some((p) => p.includes("the visitor’s IP address")));
    assert.ok(a.paragraphs.some((p) => p.includes('If you select "Remember Me", your login')));
  });
});

describe("articleFromWpHtml conversions", () => {
  it("keeps links, bold and italics as Markdown and escapes literal Markdown", () => {
    const a = articleFromWpHtml(
      `<p>See <a href="https://example.test/a b(c)">the <strong>report</strong></a>, <em>now</em> * [not a link] &lt;b&gt; &amp;copy; &amp; co</p>` +
        `<p><b>Bold <strong>nested</strong> </b>tail</p>`,
    );
    assert.deepEqual(a.paragraphs, [
      "See [the **report**](https://example.test/a%20b%28c%29), *now* \\* \\[not a link\\] \\<b\\> \\&copy; & co",
      "**Bold nested** tail",
    ]);
  });

  it("drops scripts, styles, comments, iframes and forms, and unsafe link targets", () => {
    const a = articleFromWpHtml(
      `<!-- wp:html --><script>alert("x")</script><style>p{color:red}</style>` +
        `<p>Safe <a href="javascript:alert(1)">text</a> <a href=" JaVaScRiPt:alert(1)">too</a> <img src=x onerror="alert(1)"></p>` +
        `<iframe src="https://evil.test"></iframe><form><input value="v"><button>Go</button></form>` +
        `<p onclick="alert(1)">Clean<noscript>no</noscript></p><!-- /wp:html -->`,
    );
    assert.deepEqual(a.paragraphs, ["Safe text too", "Clean"]);
    const everything = JSON.stringify(a);
    assert.doesNotMatch(everything, /alert|color:red|evil|<|>/);
  });

  it("escapes what Markdown would read at the start of a line", () => {
    const a = articleFromWpHtml(
      `<p>1. First</p><p># Not a heading</p><p>- not a list<br>+ nor this</p><p>> no quote</p>` +
        `<blockquote><p>2. quoted</p></blockquote>`,
    );
    assert.deepEqual(a.paragraphs, [
      "1\\. First",
      "\\# Not a heading",
      "\\- not a list\n\\+ nor this",
      "\\> no quote",
      "> 2\\. quoted",
    ]);
  });

  it("renders lists, quotes and headings that are not the also-read block", () => {
    const a = articleFromWpHtml(
      `<h2>Plan <strong>ahead</strong></h2><ul><li>One</li><li>Two <ul><li>Nested</li></ul></li></ul>` +
        `<ol><li>First</li></ol><blockquote class="wp-block-quote"><p>Quoted</p><cite>Someone</cite></blockquote>`,
    );
    assert.deepEqual(a.paragraphs, [
      "**Plan ahead**",
      "- One",
      "- Two",
      "- Nested",
      "1. First",
      "> Quoted",
      "> *Someone*",
    ]);
    assert.equal(a.alsoReadAfter, null);
  });

  it('finds an English "Also read:" paragraph followed by paragraphs that are single links', () => {
    const a = articleFromWpHtml(
      `<p>One.</p><p><strong>Also read:</strong></p><p><a href="/x/">First story</a></p><p>• <a href="/y/">Second story</a></p><p>Two.</p>`,
    );
    assert.deepEqual(a.paragraphs, ["One.", "Two."]);
    assert.equal(a.alsoReadAfter, 1);
    assert.equal(a.alsoReadHeading, "Also read");
    assert.deepEqual(a.alsoRead, [
      { title: "First story", url: "/x/" },
      { title: "Second story", url: "/y/" },
    ]);
  });

  it("finds an also-read heading that carries its link in the same paragraph, and Arabic-keyboard spelling", () => {
    const a = articleFromWpHtml(
      `<p>Intro</p><p>يہ بھی پڑھیے: <a href="https://example.test/z">Z</a></p><p>Outro</p>`,
    );
    assert.deepEqual(a.paragraphs, ["Intro", "Outro"]);
    assert.equal(a.alsoReadAfter, 1);
    assert.equal(a.alsoReadHeading, "يہ بھی پڑھیے");
    assert.deepEqual(a.alsoRead, [{ title: "Z", url: "https://example.test/z" }]);
  });

  it("leaves an also-read heading with no links after it in the text", () => {
    const a = articleFromWpHtml(`<h3>Also read</h3><p>Just prose.</p>`);
    assert.deepEqual(a.paragraphs, ["**Also read**", "Just prose."]);
    assert.equal(a.alsoReadAfter, null);
    assert.deepEqual(a.alsoRead, []);
  });

  it("takes the strap from the first paragraph when it equals the excerpt", () => {
    const html = `<p><strong>The strap &amp; more</strong></p><p>Body.</p>`;
    assert.equal(articleFromWpHtml(html).strap, null);
    const a = articleFromWpHtml(html, { excerpt: "The strap &amp; more" });
    assert.equal(a.strap, "The strap & more");
    assert.deepEqual(a.paragraphs, ["Body."]);
    assert.equal(articleFromWpHtml(html, { excerpt: "Something else" }).strap, null);
  });

  it("reads classic-editor content: blank-line paragraphs, line breaks and a [caption] shortcode", () => {
    const html =
      `[caption id="attachment_6" align="aligncenter" width="300"]<a href="https://example.test/full.jpg">` +
      `<img class="size-medium wp-image-6" src="https://example.test/img-300x169.jpg" alt="Two ministers" width="300" height="169" />` +
      `</a> Ministers meet[/caption]\n\nFirst paragraph with <b>bold</b>\nand a line break.\n\n` +
      `Second paragraph.\n\n[gallery ids="1,2,3"]\n\n<h3>Sub</h3>\nThird.`;
    const a = articleFromWpHtml(html);
    assert.deepEqual(a.image, {
      url: "https://example.test/img-300x169.jpg",
      caption: "Ministers meet",
      alt: "Two ministers",
      attachmentId: 6,
    });
    assert.deepEqual(a.paragraphs, [
      "First paragraph with **bold**\nand a line break.",
      "Second paragraph.",
      "**Sub**",
      "Third.",
    ]);
  });

  it("returns empty parts for empty or whitespace-only content", () => {
    assert.deepEqual(articleFromWpHtml(""), {
      strap: null,
      paragraphs: [],
      alsoRead: [],
      alsoReadAfter: null,
      alsoReadHeading: null,
      image: null,
    });
    assert.deepEqual(articleFromWpHtml("<p>&nbsp;</p>\n\n<p> </p>").paragraphs, []);
  });
});
