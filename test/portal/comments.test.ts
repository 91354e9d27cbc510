import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DomUtils, parseDocument } from "htmlparser2";
import type { Actor } from "../../src/audit/actor.ts";
import { manualClock } from "../../src/db/clock.ts";
import type { ArticleTable, CommentTable } from "../../src/db/schema.ts";
import { t } from "../../src/i18n/index.ts";
import { createArticle } from "../../src/portal/articles/saveArticle.ts";
import { listApprovedComments } from "../../src/portal/comments/queries.ts";
import {
  moderateComments,
  submitComment,
  type CommentInput,
} from "../../src/portal/comments/submitComment.ts";
import { articleHref } from "../../src/portal/presenters.ts";
import { DomainError, TooManyRequests, ValidationFailed } from "../../src/server/errors.ts";
import type { App } from "../../src/server/app.ts";
import {
  csrfFrom,
  form,
  FORM,
  makeCentre,
  makeStaff,
  nextAddress,
  TEST_SECRET,
  testApp,
} from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";

type Element = ReturnType<typeof DomUtils.findAll>[number];

const BOT = { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" };

function byId(html: string, id: string): Element {
  const el = DomUtils.getElementById(id, parseDocument(html).children);
  assert.ok(el, `#${id} is on the page`);
  return el;
}

const textOf = (el: Element) => DomUtils.textContent(el).trim();

/** The approved comments a reader sees: each comment's paragraphs, joined. */
function shownComments(html: string): { name: string; body: string }[] {
  const list = DomUtils.findOne(
    (el) => el.name === "ol" && el.attribs.class === "comments",
    parseDocument(html).children,
  );
  if (!list) return [];
  return DomUtils.getChildren(list)
    .filter((li): li is Element => (li as Element).name === "li")
    .map((li) => {
      const paragraphs = DomUtils.findAll((el) => el.name === "p", li.children);
      const meta = paragraphs.find((p) => p.attribs.class === "meta")!;
      const name = DomUtils.findOne((el) => el.name === "bdi", meta.children)!;
      return {
        name: textOf(name),
        body: paragraphs
          .filter((p) => p !== meta)
          .map(textOf)
          .join("\n\n"),
      };
    });
}

async function rejectsWith(action: Promise<unknown>, check: (error: DomainError) => void) {
  await assert.rejects(action, (error: unknown) => {
    assert.ok(error instanceof DomainError, `expected a domain error, got ${String(error)}`);
    check(error);
    return true;
  });
}

onBothDatabases("reader comments", (get) => {
  const clock = manualClock("2026-11-25T06:00:00Z");
  let app: App;
  let manager: Actor;
  let hq: Actor;
  let centreCode: string;
  let article: ArticleTable;
  let n = 0;

  before(async () => {
    const tdb = get();
    const centre = await makeCentre(tdb, {}, true);
    centreCode = centre.code;
    const m = await makeStaff(tdb, "centre_manager", centre.id);
    manager = { kind: "staff", id: m.id, name: m.username, role: m.role, centreId: m.centre_id, ip: null };
    const h = await makeStaff(tdb, "hq_admin", null);
    hq = { kind: "staff", id: h.id, name: h.username, role: h.role, centreId: null, ip: null };
    app = await testApp(tdb, { clock });
    article = await freshArticle();
  });
  after(() => app.close());

  async function freshArticle(): Promise<ArticleTable> {
    n++;
    return createArticle(
      get().db,
      {
        lang: "ur",
        kind: "news",
        centre: centreCode,
        title: `تبصروں کا مضمون ${n}`,
        body: "پہلا پیراگراف\n\nدوسرا پیراگراف",
      },
      { actor: hq, clock },
      { status: "published", published_at: "2026-11-20T05:00:00.000Z" },
    );
  }

  function reader(overrides: Partial<CommentInput> = {}): CommentInput {
    n++;
    return {
      articleId: article.id,
      name: "عائشہ",
      email: "",
      body: `بہت مفید معلومات، شکریہ ${n}`,
      honeypot: "",
      fillSeconds: 20,
      ip: nextAddress(),
      ...overrides,
    };
  }

  const send = (input: CommentInput) => submitComment(get().db, input, { clock, secret: TEST_SECRET });
  const moderate = (ids: string[], action: string) =>
    moderateComments(get().db, ids, action, { actor: manager, clock });

  async function stored(id: string): Promise<CommentTable> {
    const row = await get().db.selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirst();
    assert.ok(row, "the comment is stored");
    return row;
  }

  async function commentCount(): Promise<number> {
    const row = await get()
      .db.selectFrom("comments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  const pageOf = (a: ArticleTable, locale: "ur" | "en" = "ur") =>
    app.inject({ method: "GET", url: articleHref(a, locale), headers: BOT });

  describe("what a reader must fill in", () => {
    for (const [name, overrides, fields] of [
      ["an empty comment", { body: "" }, [{ path: "/comment", code: "comment_required" }]],
      ["a comment of spaces", { body: "  \n  " }, [{ path: "/comment", code: "comment_required" }]],
      ["an empty name", { name: "" }, [{ path: "/author", code: "name_required" }]],
      [
        "both empty",
        { body: "", name: " " },
        [
          { path: "/comment", code: "comment_required" },
          { path: "/author", code: "name_required" },
        ],
      ],
    ] as const) {
      it(`refuses ${name} and stores nothing`, async () => {
        const before = await commentCount();
        await rejectsWith(send(reader(overrides)), (error) => {
          assert.ok(error instanceof ValidationFailed);
          assert.deepEqual(error.fields, fields);
        });
        assert.equal(await commentCount(), before);
      });
    }
  });

  describe("spam defences", () => {
    for (const [name, overrides, reason] of [
      ["a filled honeypot", { honeypot: "http://cheap.example" }, "honeypot"],
      ["a form sent in under 3 seconds", { fillSeconds: 2.9 }, "too_fast"],
      [
        "more than 2 links",
        { body: "see http://a.example and https://b.example and www.c.example" },
        "too_many_links",
      ],
    ] as const) {
      it(`stores ${name} as spam with the reason "${reason}", never shown`, async () => {
        const input = reader(overrides);
        const { comment } = await send(input);
        assert.equal(comment.status, "spam");
        assert.equal(comment.spam_reason, reason);
        const row = await stored(comment.id);
        assert.equal(row.status, "spam");
        assert.equal(row.spam_reason, reason);
        assert.ok(!(await listApprovedComments(get().db, article.id)).some((c) => c.id === comment.id));
        assert.ok(!(await pageOf(article)).body.includes(input.body));
      });
    }

    it("lets through two links and a form filled in exactly 3 seconds, as pending", async () => {
      const { comment } = await send(
        reader({ body: "http://a.example and https://b.example are useful", fillSeconds: 3 }),
      );
      assert.equal(comment.status, "pending");
      assert.equal(comment.spam_reason, null);
    });

    it("refuses the 6th comment from one address within 10 minutes with 429, then lets it through later", async () => {
      const ip = nextAddress();
      for (let i = 1; i <= 5; i++) {
        const { comment } = await send(reader({ ip, body: `تبصرہ نمبر ${i}` }));
        assert.equal(comment.status, "pending");
        clock.advance(60_000);
      }
      const before = await commentCount();
      await rejectsWith(send(reader({ ip, body: "چھٹا تبصرہ" })), (error) => {
        assert.ok(error instanceof TooManyRequests);
        assert.equal(error.status, 429);
        assert.equal(error.code, "rate_limited");
      });
      assert.equal(await commentCount(), before, "the refused comment is not stored");
      const { comment: elsewhere } = await send(reader({ body: "دوسرے پتے سے" }));
      assert.equal(elsewhere.status, "pending", "another address is not held back");
      // The first of the five was sent 5 minutes ago: 5 more minutes and it leaves the window.
      clock.advance(5 * 60_000 + 1000);
      const { comment } = await send(reader({ ip, body: "چھٹا تبصرہ" }));
      assert.equal(comment.status, "pending");
    });

    it("refuses an exact duplicate whatever its spacing and case, on the same article only", async () => {
      await send(reader({ body: "Very useful article.\n\nThank you" }));
      const before = await commentCount();
      await rejectsWith(send(reader({ body: "  very   USEFUL article. thank\tyou " })), (error) => {
        assert.ok(error instanceof ValidationFailed);
        assert.deepEqual(error.fields, [{ path: "/comment", code: "duplicate_comment" }]);
      });
      assert.equal(await commentCount(), before);
      const other = await freshArticle();
      const { comment } = await send(reader({ articleId: other.id, body: "Very useful article. Thank you" }));
      assert.equal(comment.status, "pending");
    });
  });

  describe("what the article page shows", () => {
    it("shows a pending comment only once approved, and the cached page is not stale", async () => {
      const a = await freshArticle();
      const input = reader({ articleId: a.id, name: "بلال", body: "منظوری کا انتظار" });
      const { comment } = await send(input);
      assert.equal(comment.status, "pending");
      // Twice: the second answer comes from the page cache.
      assert.deepEqual(shownComments((await pageOf(a)).body), []);
      assert.deepEqual(shownComments((await pageOf(a)).body), []);
      assert.equal(await moderate([comment.id], "approve"), 1);
      assert.deepEqual(shownComments((await pageOf(a)).body), [{ name: "بلال", body: "منظوری کا انتظار" }]);
    });

    it("never shows rejected or spam comments, and hides an approved one once rejected", async () => {
      const a = await freshArticle();
      const ok = await send(reader({ articleId: a.id, body: "منظور شدہ" }));
      const rejected = await send(reader({ articleId: a.id, body: "رد شدہ" }));
      const marked = await send(reader({ articleId: a.id, body: "سپیم قرار" }));
      await send(reader({ articleId: a.id, body: "خودکار سپیم", honeypot: "x" }));
      await moderate([ok.comment.id], "approve");
      await moderate([rejected.comment.id], "reject");
      await moderate([marked.comment.id], "spam");
      assert.deepEqual(
        shownComments((await pageOf(a)).body).map((c) => c.body),
        ["منظور شدہ"],
      );
      await moderate([ok.comment.id], "reject");
      assert.deepEqual(shownComments((await pageOf(a)).body), []);
      assert.equal((await stored(ok.comment.id)).status, "rejected");
    });

    it("shows HTML in a comment as text, never as markup", async () => {
      const a = await freshArticle();
      const body = "<script>alert(1)</script><b>x</b>";
      const { comment } = await send(reader({ articleId: a.id, name: "<i>Ali</i>", body }));
      await moderate([comment.id], "approve");
      const html = (await pageOf(a)).body;
      // Text content needs only "<" and "&" escaped; ">" may stay as it is.
      assert.match(html, /&lt;script(>|&gt;)alert\(1\)&lt;\/script(>|&gt;)&lt;b(>|&gt;)x&lt;\/b(>|&gt;)/);
      assert.ok(!html.includes("<script>alert(1)"));
      assert.ok(!html.includes("<b>x</b>"));
      assert.ok(!html.includes("<i>Ali</i>"));
      assert.deepEqual(shownComments(html), [{ name: "<i>Ali</i>", body }]);
    });
  });

  describe("the comment form over HTTP", () => {
    async function formPage(locale: "ur" | "en", address: string) {
      const res = await app.inject({
        method: "GET",
        url: articleHref(article, locale),
        headers: BOT,
        remoteAddress: address,
      });
      assert.equal(res.statusCode, 200);
      return csrfFrom(res.body);
    }

    function post(locale: "ur" | "en", address: string, fields: Record<string, string>) {
      return app.inject({
        method: "POST",
        url: `${articleHref(article, locale)}/comments`,
        remoteAddress: address,
        headers: FORM,
        payload: form({ email: "", homepage: "", ...fields }),
      });
    }

    async function latestComment(): Promise<CommentTable> {
      const row = await get()
        .db.selectFrom("comments")
        .selectAll()
        .where("article_id", "=", article.id)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .executeTakeFirst();
      assert.ok(row);
      return row;
    }

    it("takes a comment, sends the reader back to the pending notice, and holds it for moderation", async () => {
      const address = nextAddress();
      const csrf = await formPage("ur", address);
      clock.advance(5000);
      const res = await post("ur", address, { _csrf: csrf, comment: "فارم سے تبصرہ", author: "زینب" });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `${articleHref(article, "ur")}?comment=pending#respond`);
      const row = await latestComment();
      assert.equal(row.body, "فارم سے تبصرہ");
      assert.equal(row.author_name, "زینب");
      assert.equal(row.status, "pending", "5 seconds after the form was issued is not too fast");
      assert.equal(row.spam_reason, null);

      const back = await app.inject({
        method: "GET",
        url: String(res.headers.location).replace(/#.*$/, ""),
        headers: BOT,
      });
      assert.equal(back.statusCode, 200);
      assert.match(String(back.headers["cache-control"]), /\bno-store\b/);
      const notice = DomUtils.findOne(
        (el) => el.name === "p" && el.attribs.role === "status",
        byId(back.body, "respond").children,
      );
      assert.ok(notice, "the pending notice is shown by the form");
      assert.equal(textOf(notice), t("ur", "comments.pending"));
      assert.ok(!shownComments(back.body).some((c) => c.body === "فارم سے تبصرہ"));
    });

    it("measures the fill time from the form's issue: a form sent at once is stored as spam", async () => {
      const address = nextAddress();
      const csrf = await formPage("ur", address);
      const res = await post("ur", address, { _csrf: csrf, comment: "فوراً بھیجا", author: "روبوٹ" });
      assert.equal(res.statusCode, 303);
      const row = await latestComment();
      assert.equal(row.body, "فوراً بھیجا");
      assert.equal(row.status, "spam");
      assert.equal(row.spam_reason, "too_fast");
    });

    for (const [locale, commentMsg, nameMsg] of [
      ["en", "Please enter your comment!", "Please enter your name here"],
      ["ur", "براہ کرم اپنا تبصرہ لکھیں!", "براہ کرم یہاں اپنا نام لکھیں"],
    ] as const) {
      it(`answers empty fields with 400 and the messages by the fields (${locale})`, async () => {
        const before = await commentCount();
        let address = nextAddress();
        let csrf = await formPage(locale, address);
        clock.advance(5000);
        const empty = await post(locale, address, {
          _csrf: csrf,
          comment: "",
          author: "",
          email: "ali@example.com",
        });
        assert.equal(empty.statusCode, 400);
        assert.equal(textOf(byId(empty.body, "e-comment")), commentMsg);
        assert.equal(textOf(byId(empty.body, "e-author")), nameMsg);
        assert.equal(byId(empty.body, "e-comment").attribs.hidden, undefined);
        assert.equal(byId(empty.body, "e-author").attribs.hidden, undefined);
        assert.equal(byId(empty.body, "f-comment").attribs["aria-invalid"], "true");
        assert.equal(byId(empty.body, "f-author").attribs["aria-invalid"], "true");
        assert.equal(byId(empty.body, "f-email").attribs.value, "ali@example.com", "typed text is kept");

        address = nextAddress();
        csrf = await formPage(locale, address);
        clock.advance(5000);
        const typed = "Words I typed <and kept>";
        const noName = await post(locale, address, { _csrf: csrf, comment: typed, author: "" });
        assert.equal(noName.statusCode, 400);
        assert.equal(textOf(byId(noName.body, "e-author")), nameMsg);
        assert.equal(textOf(byId(noName.body, "e-comment")), "");
        assert.equal(byId(noName.body, "e-comment").attribs.hidden, "");
        assert.equal(DomUtils.textContent(byId(noName.body, "f-comment")), typed);
        assert.equal(await commentCount(), before, "nothing is stored");
      });
    }

    it("refuses a form without a CSRF token, or with a forged one, with 403", async () => {
      const before = await commentCount();
      clock.advance(5000);
      const missing = await post("ur", nextAddress(), { comment: "بغیر ٹوکن", author: "نامعلوم" });
      assert.equal(missing.statusCode, 403);
      const forged = await post("ur", nextAddress(), {
        _csrf: "abc.def.not-a-real-signature",
        comment: "جعلی ٹوکن",
        author: "نامعلوم",
      });
      assert.equal(forged.statusCode, 403);
      assert.equal(await commentCount(), before);
    });
  });
});
