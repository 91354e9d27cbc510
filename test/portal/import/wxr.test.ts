import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { readWxr } from "../../../src/portal/import/wxr.ts";
import { WxrRejected, type WxrEvent, type WxrItem } from "../../../src/portal/import/wxrRecords.ts";
import { articleFromWpHtml } from "../../../src/portal/import/wpContent.ts";

const fixtureDir = path.resolve(import.meta.dirname, "../../fixtures/wordpress-export");
const exportPath = path.join(fixtureDir, "export.xml");

async function collect(input: NodeJS.ReadableStream | AsyncIterable<Buffer | string>): Promise<WxrEvent[]> {
  const out: WxrEvent[] = [];
  for await (const ev of readWxr(input)) out.push(ev);
  return out;
}

async function* fromString(s: string | Buffer, chunkSize = 4096): AsyncGenerator<Buffer> {
  const buf = typeof s === "string" ? Buffer.from(s, "utf8") : s;
  for (let i = 0; i < buf.length; i += chunkSize) yield buf.subarray(i, i + chunkSize);
}

function items(events: WxrEvent[]): WxrItem[] {
  return events.flatMap((e) => (e.kind === "item" ? [e.item] : []));
}

/** Run readWxr expecting a rejection; returns the error and the events yielded before it. */
async function expectRejected(
  input: AsyncIterable<Buffer | string>,
): Promise<{ err: WxrRejected; events: WxrEvent[] }> {
  const events: WxrEvent[] = [];
  try {
    for await (const ev of readWxr(input)) events.push(ev);
  } catch (err) {
    assert.ok(err instanceof WxrRejected, `expected WxrRejected, got ${String(err)}`);
    return { err, events };
  }
  assert.fail("the WXR was accepted");
}

const HEADER = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Test</title>
	<link>https://example.test</link>
	<language>en</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://example.test</wp:base_site_url>
`;
const FOOTER = `</channel>\n</rss>\n`;

function itemXml(id: number, body: string): string {
  return `<item>
		<title><![CDATA[Post ${id}]]></title>
		<link>https://example.test/post-${id}/</link>
		<dc:creator><![CDATA[admin]]></dc:creator>
		<content:encoded><![CDATA[${body}]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>${id}</wp:post_id>
		<wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[post-${id}]]></wp:post_name>
		<wp:status><![CDATA[draft]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
	</item>
`;
}

describe("readWxr on the real WordPress 6.1.9 export", () => {
  it("yields the site, author, category and every item with their fields", async () => {
    const events = await collect(fs.createReadStream(exportPath));
    assert.deepEqual(events[0], {
      kind: "site",
      siteUrl: "http://127.0.0.1:8081",
      baseSiteUrl: "http://127.0.0.1:8081",
      baseBlogUrl: "http://127.0.0.1:8081",
      title: "اردو خبریں",
      language: "ur",
      wxrVersion: "1.2",
    });
    assert.deepEqual(
      events.filter((e) => e.kind === "author"),
      [{ kind: "author", id: 1, login: "admin", displayName: "admin", email: "admin@example.invalid" }],
    );
    assert.deepEqual(
      events.filter((e) => e.kind === "category"),
      [{ kind: "category", nicename: "uncategorized", name: "Uncategorized", parent: null }],
    );

    const all = items(events);
    const posts = all.filter((i) => i.type === "post");
    const pages = all.filter((i) => i.type === "page");
    const attachments = all.filter((i) => i.type === "attachment");
    assert.deepEqual(
      posts.map((p) => p.postId),
      [4, 5, 7],
    );
    assert.deepEqual(
      pages.map((p) => [p.postId, p.title, p.status]),
      [[3, "Privacy Policy", "draft"]],
    );
    // WordPress re-imported the lead image several times; every copy points at the same original file.
    assert.deepEqual(
      attachments.map((a) => a.postId),
      [6, 10, 12, 14, 16, 18],
    );
    for (const a of attachments) {
      assert.equal(
        a.attachmentUrl,
        "http://127.0.0.1:8081/wp-content/uploads/2021/05/seed-article-image.jpg",
      );
      assert.equal(a.meta["_wp_attached_file"], "2021/05/seed-article-image.jpg");
      assert.equal(a.parentId, 7);
    }

    const seed = posts.find((p) => p.postId === 7)!;
    assert.equal(seed.title, "جنوبی کوریا کا پاکستان میں انفارمیشن ایکسیس سنٹر کے قیام کا عندیہ");
    assert.equal(seed.slug, "south-korea-information-access-centre");
    assert.equal(seed.link, "http://127.0.0.1:8081/south-korea-information-access-centre/");
    assert.equal(seed.status, "publish");
    assert.equal(seed.publishedAtGmt, "2021-05-10T10:00:00.000Z");
    assert.equal(seed.modifiedAtGmt, "2026-11-25T08:09:42.000Z");
    assert.equal(seed.creatorLogin, "admin");
    assert.equal(seed.parentId, null);
    assert.equal(seed.attachmentUrl, null);
    assert.equal(seed.password, "");
    assert.deepEqual(seed.categories, [
      { domain: "category", nicename: "uncategorized", name: "Uncategorized" },
    ]);
    assert.equal(seed.meta["post_views_count"], "819");
    assert.ok(seed.contentHtml.startsWith('<!-- wp:paragraph {"className":"strap"} -->'));
    assert.ok(seed.excerpt.startsWith("آئی ٹی کے میدان میں"));
  });

  it("keeps the seed post's four comments with their approval flags, the spam one untouched", async () => {
    const seed = items(await collect(fs.createReadStream(exportPath))).find((i) => i.postId === 7)!;
    assert.deepEqual(
      seed.comments.map((c) => [c.id, c.author, c.approved, c.parentId, c.type]),
      [
        [2, "احمد", "1", null, "comment"],
        [3, "Sara K.", "1", null, "comment"],
        [4, "spammer", "0", null, "comment"],
        [5, "زینب", "1", null, "comment"],
      ],
    );
    assert.equal(seed.comments[1]!.content, "Will the centre offer evening classes for women?");
    assert.equal(seed.comments[0]!.dateGmt, "2021-05-01T10:00:00.000Z");
    assert.equal(seed.comments[0]!.ip, "127.0.0.1");
    // The reader hands the raw text on; turning it into text is the importer's job (see below).
    assert.equal(
      seed.comments[2]!.content,
      'Cheap deals <a href="http://spam.example/">click</a> <script>alert(1)</script>',
    );
    const asText = articleFromWpHtml(seed.comments[2]!.content).paragraphs.join("\n");
    assert.equal(asText, "Cheap deals [click](http://spam.example/)");
  });

  it("maps the seed post's lead image to its attachment's original URL and the file in uploads/", async () => {
    const all = items(await collect(fs.createReadStream(exportPath)));
    const seed = all.find((i) => i.postId === 7)!;
    // This export has no _thumbnail_id on the post: the image block's wp-image-N class carries the id.
    assert.equal(seed.meta["_thumbnail_id"], undefined);
    const image = articleFromWpHtml(seed.contentHtml).image!;
    assert.equal(image.attachmentId, 18);
    assert.equal(
      image.url,
      "http://127.0.0.1:8081/wp-content/uploads/2021/05/seed-article-image-1024x576.jpg",
    );
    const thumbnailId = Number(seed.meta["_thumbnail_id"] ?? image.attachmentId);
    const attachment = all.find((i) => i.postId === thumbnailId && i.type === "attachment")!;
    assert.equal(
      attachment.attachmentUrl,
      "http://127.0.0.1:8081/wp-content/uploads/2021/05/seed-article-image.jpg",
    );
    assert.ok(fs.existsSync(path.join(fixtureDir, "uploads", attachment.meta["_wp_attached_file"]!)));
  });

  it("gives the same events however the bytes are split (one byte at a time splits every Urdu letter)", async () => {
    const bytes = fs.readFileSync(exportPath);
    const whole = await collect(fromString(bytes, bytes.length));
    const byByte = await collect(fromString(bytes, 1));
    const asStrings = await collect(
      (async function* () {
        yield bytes.toString("utf8");
      })(),
    );
    assert.deepEqual(byByte, whole);
    assert.deepEqual(asStrings, whole);
  });
});

describe("readWxr refuses what it must", () => {
  it("rejects any DOCTYPE, so an external entity (XXE) is never resolved", async () => {
    const xxe = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&e;</title>
<item><title>&e;</title><wp:post_id>1</wp:post_id></item></channel></rss>`;
    const { err, events } = await expectRejected(fromString(xxe));
    assert.match(err.message, /DTDs are not accepted/);
    assert.equal(err.line, 2);
    assert.deepEqual(events, []);
    if (fs.existsSync("/etc/passwd")) {
      const passwd = fs.readFileSync("/etc/passwd", "utf8");
      const firstLine = passwd.split("\n")[0]!;
      assert.ok(firstLine.length > 0);
      assert.ok(!err.message.includes(firstLine));
      assert.ok(!err.message.includes("root:"));
    }
  });

  it("rejects an internal-entity expansion bomb the same way", async () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss><channel><title>&lol3;</title></channel></rss>`;
    const { err } = await expectRejected(fromString(bomb));
    assert.match(err.message, /DTDs are not accepted/);
  });

  it("rejects an entity reference even without a DOCTYPE", async () => {
    const xml = `${HEADER}<title>&nbsp;</title>${FOOTER}`;
    const { err } = await expectRejected(fromString(xml));
    assert.match(err.message, /Malformed XML/);
    assert.equal(err.line, 14);
  });

  it("rejects a truncated export with the line where it stops, after yielding the items it completed", async () => {
    const text = fs.readFileSync(exportPath, "utf8");
    const cut = text.indexOf("<wp:comment_id>4</wp:comment_id>");
    const truncated = text.slice(0, cut);
    const { err, events } = await expectRejected(fromString(truncated));
    assert.match(err.message, /line \d+/);
    assert.equal(err.line, truncated.split("\n").length);
    // Items that closed before the cut were already handed over.
    assert.deepEqual(
      items(events).map((i) => i.postId),
      [3, 4, 5, 6],
    );
  });

  it("rejects a mismatched tag with its line number", async () => {
    const xml = `${HEADER}<item>\n<title>x</titel>\n</item>${FOOTER}`;
    const { err } = await expectRejected(fromString(xml));
    assert.match(err.message, /Malformed XML/);
    assert.equal(err.line, 15);
  });

  it("rejects a file that is not an RSS export, and one that is not UTF-8", async () => {
    const { err } = await expectRejected(fromString(`<?xml version="1.0"?><html><body/></html>`));
    assert.match(err.message, /root element is <html>/);
    const latin1 = Buffer.concat([
      Buffer.from(`${HEADER}<title>caf`),
      Buffer.from([0xe9]),
      Buffer.from(`</title>${FOOTER}`),
    ]);
    const { err: err2 } = await expectRejected(fromString(latin1));
    assert.match(err2.message, /not valid UTF-8/);
    const empty = await expectRejected(fromString(""));
    assert.match(empty.err.message, /root element/);
  });
});

describe("readWxr streams", () => {
  it("yields the first item of a generated 20 MB export long before the input ends, in bounded memory", async () => {
    const body = `<!-- wp:paragraph --><p>${"اردو متن اور English text. ".repeat(60)}</p><!-- /wp:paragraph -->`;
    const target = 20 * 1024 * 1024;
    let produced = 0;
    let done = false;
    async function* generate(): AsyncGenerator<Buffer> {
      const head = Buffer.from(HEADER);
      produced += head.length;
      yield head;
      let id = 1;
      while (produced < target) {
        let batch = "";
        for (let k = 0; k < 16; k++) batch += itemXml(id++, body);
        const buf = Buffer.from(batch);
        produced += buf.length;
        yield buf;
      }
      yield Buffer.from(FOOTER);
      done = true;
    }

    global.gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    let producedAtFirstItem = -1;
    let doneAtFirstItem = true;
    let n = 0;
    for await (const ev of readWxr(generate())) {
      if (ev.kind !== "item") continue;
      if (count === 0) {
        producedAtFirstItem = produced;
        doneAtFirstItem = done;
      }
      count++;
      assert.equal(ev.item.postId, count);
      assert.equal(ev.item.publishedAtGmt, null);
      if (++n % 500 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    }
    assert.ok(produced >= target);
    assert.ok(count > 4000, `only ${count} items`);
    assert.equal(doneAtFirstItem, false);
    assert.ok(producedAtFirstItem < 1024 * 1024, `first item after ${producedAtFirstItem} bytes`);
    // Holding the whole document would cost well over 40 MB of UTF-16 strings plus the item objects.
    assert.ok(peak < 40 * 1024 * 1024, `heap grew by ${Math.round(peak / 1024 / 1024)} MB`);
  });

  it("refuses a single node larger than the limit instead of buffering it", async () => {
    async function* huge(): AsyncGenerator<string> {
      yield `${HEADER}<item><content:encoded><![CDATA[`;
      for (let i = 0; i < 100; i++) yield "x".repeat(64 * 1024);
    }
    const events: WxrEvent[] = [];
    await assert.rejects(
      async () => {
        for await (const ev of readWxr(huge(), { maxNodeChars: 1024 * 1024 })) events.push(ev);
      },
      (err: unknown) => err instanceof WxrRejected && /larger than 1048576 characters/.test(err.message),
    );
  });
});
