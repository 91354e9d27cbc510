import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, it } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { findCentreByCode } from "../../src/centres/queries.ts";
import { manualClock } from "../../src/db/clock.ts";
import { seedDemo } from "../../src/demo/seedDemo.ts";
import { findArticleById } from "../../src/portal/queries.ts";
import type { App } from "../../src/server/app.ts";
import { cookiesOf, makeStaff, nextAddress, PASSWORD, testApp } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const IMAGE = fs.readFileSync(
  path.resolve(here, "..", "fixtures", "wordpress-export", "uploads", "2021", "05", "seed-article-image.jpg"),
);

const NOW = "2026-11-25T06:00:00.000Z";
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SHORT_ID = /^[0-9a-z]{7}$/;

type Method = "GET" | "POST" | "PUT" | "DELETE";

interface ErrorShape {
  error: { code: string; message: string; fields?: { path: string; code: string; message: string }[] };
}

/** Asserts the one error shape and returns it. */
function errorOf(res: LightMyRequestResponse, status: number, code: string): ErrorShape["error"] {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json<ErrorShape>();
  assert.deepEqual(Object.keys(body), ["error"]);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  assert.ok(body.error.message.length > 0);
  for (const f of body.error.fields ?? []) {
    assert.deepEqual(Object.keys(f).sort(), ["code", "message", "path"]);
    assert.match(f.path, /^\//);
  }
  return body.error;
}

/** A multipart/form-data body, built by hand as a browser would send it. */
function multipart(
  fields: Record<string, string>,
  file?: { name: string; filename: string; type: string; bytes: Buffer },
): { body: Buffer; contentType: string } {
  const boundary = `----rasai${crypto.randomBytes(12).toString("hex")}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        "utf8",
      ),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.type}\r\n\r\n`,
        "utf8",
      ),
      file.bytes,
      Buffer.from("\r\n", "utf8"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`, "utf8"));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

onBothDatabases("portal JSON API", (get) => {
  const clock = manualClock(NOW);
  let app: App;
  let centreId = "";
  let manager = "";
  let instructor = "";
  let n = 0;

  before(async () => {
    const tdb = get();
    await seedDemo(tdb.db, tdb.dataDir, clock);
    const centre = await findCentreByCode(tdb.db, "ISB-01");
    assert.ok(centre, "the demo centre is seeded");
    centreId = centre.id;
    const managerUser = await makeStaff(tdb, "centre_manager", centre.id);
    const instructorUser = await makeStaff(tdb, "instructor", centre.id);
    app = await testApp(tdb, { clock });
    manager = await apiLogin(managerUser.username, "centre_manager");
    instructor = await apiLogin(instructorUser.username, "instructor");
  });
  after(() => app?.close());

  async function apiLogin(username: string, role: string): Promise<string> {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      remoteAddress: nextAddress(),
      payload: { username, password: PASSWORD },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json<{ role: string }>().role, role);
    const token = cookiesOf(res).rasai_staff;
    assert.ok(token, "the session cookie is set");
    return `rasai_staff=${token}`;
  }

  function call(method: Method, url: string, cookie: string | null, payload?: unknown) {
    return app.inject({
      method,
      url,
      remoteAddress: nextAddress(),
      headers: cookie ? { cookie } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  }

  function input(overrides: Record<string, unknown> = {}) {
    n++;
    return {
      lang: "ur",
      kind: "news",
      title: `کمپیوٹر کی نئی کلاسیں ${n}`,
      strap: "نوجوانوں کے لیے مفت تربیت",
      body: `مرکز میں اگلے ہفتے سے **مفت کلاسیں** شروع ہوں گی۔ ${n}\n\nاپنا شناختی کارڈ ساتھ لائیں۔`,
      ...overrides,
    };
  }

  interface Detail {
    id: string;
    short_id: string;
    url: string;
    status: string;
    title: string;
    centre_id: string | null;
    published_at: string | null;
    scheduled_at: string | null;
    body: string;
    image: { url: string; alt: string; width: number; height: number } | null;
    comments_open: boolean;
  }

  async function createDraft(overrides: Record<string, unknown> = {}): Promise<Detail> {
    const res = await call("POST", "/api/v1/articles", manager, input(overrides));
    assert.equal(res.statusCode, 201, res.body);
    return res.json<Detail>();
  }

  async function publicIds(): Promise<string[]> {
    const res = await call("GET", "/api/v1/articles?lang=ur&limit=100", null);
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ articles: { id: string }[] }>().articles.map((a) => a.id);
  }

  it("documents every route these tests use in /api/openapi.json", async () => {
    const res = await app.inject({ method: "GET", url: "/api/openapi.json" });
    assert.equal(res.statusCode, 200);
    const paths = res.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
    const used: [string, string][] = [
      ["/api/v1/auth/login", "post"],
      ["/api/v1/auth/me", "get"],
      ["/api/v1/articles", "get"],
      ["/api/v1/articles", "post"],
      ["/api/v1/articles/{id}", "get"],
      ["/api/v1/articles/{id}", "put"],
      ["/api/v1/articles/{id}", "delete"],
      ["/api/v1/articles/{id}/submit", "post"],
      ["/api/v1/articles/{id}/publish", "post"],
      ["/api/v1/articles/{id}/unpublish", "post"],
      ["/api/v1/articles/{id}/image", "post"],
      ["/api/v1/articles/{id}/revisions", "get"],
      ["/api/v1/articles/{short_id}/comments", "post"],
      ["/api/v1/comments", "get"],
      ["/api/v1/comments/moderate", "post"],
    ];
    for (const [p, method] of used) {
      assert.ok(paths[p], `${p} is documented`);
      assert.ok(paths[p]![method], `${method.toUpperCase()} ${p} is documented`);
    }
  });

  it("creates a draft, keeps a revision per edit, and publishes it for anonymous readers", async () => {
    const created = await createDraft();
    assert.match(created.id, UUID_V7);
    assert.match(created.short_id, SHORT_ID);
    assert.equal(created.status, "draft");
    assert.equal(created.centre_id, centreId, "a manager's article belongs to their centre");
    assert.equal(created.published_at, null);
    assert.match(created.url, new RegExp(`^/ur/articles/${created.short_id}-`));

    const edited = input({ title: "کمپیوٹر کی نئی کلاسیں: اوقات بدل گئے" });
    const put = await call("PUT", `/api/v1/articles/${created.id}`, manager, edited);
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json<Detail>().title, edited.title);
    assert.equal(put.json<Detail>().id, created.id);

    const revs = await call("GET", `/api/v1/articles/${created.id}/revisions`, manager);
    assert.equal(revs.statusCode, 200, revs.body);
    const revisions = revs.json<{ revisions: { number: number; note: string; created_at: string }[] }>()
      .revisions;
    assert.equal(revisions.length, 2);
    assert.deepEqual(
      revisions.map((r) => r.number),
      [2, 1],
      "newest first",
    );

    const submitted = await call("POST", `/api/v1/articles/${created.id}/submit`, manager);
    assert.equal(submitted.statusCode, 200, submitted.body);
    assert.equal(submitted.json<Detail>().status, "review");
    assert.ok(!(await publicIds()).includes(created.id), "not listed before publishing");

    // No body at all: publish now.
    const published = await app.inject({
      method: "POST",
      url: `/api/v1/articles/${created.id}/publish`,
      headers: { cookie: manager },
    });
    assert.equal(published.statusCode, 200, published.body);
    assert.equal(published.json<Detail>().status, "published");
    assert.equal(published.json<Detail>().published_at, NOW);

    assert.ok((await publicIds()).includes(created.id), "listed for anonymous readers");
    const read = await call("GET", `/api/v1/articles/${created.id}`, null);
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json<Detail>().title, edited.title);
    assert.equal(read.json<Detail>().body, edited.body);
    assert.equal(read.json<Detail>().status, "published");
  });

  it("publishes with an empty JSON object as the body too", async () => {
    const draft = await createDraft();
    const res = await call("POST", `/api/v1/articles/${draft.id}/publish`, manager, {});
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json<Detail>().status, "published");
    assert.ok((await publicIds()).includes(draft.id));
  });

  it("keeps an article scheduled for the future off the public list", async () => {
    const draft = await createDraft();
    const at = "2026-11-26T06:00:00.000Z";
    const res = await call("POST", `/api/v1/articles/${draft.id}/publish`, manager, { at });
    assert.equal(res.statusCode, 200, res.body);
    const scheduled = res.json<Detail>();
    assert.notEqual(scheduled.status, "published");
    assert.equal(scheduled.scheduled_at, at);
    assert.ok(!(await publicIds()).includes(draft.id));
    errorOf(await call("GET", `/api/v1/articles/${draft.id}`, null), 404, "article_not_found");
  });

  it("unpublishes, then deletes: 204, and 404 after", async () => {
    const draft = await createDraft();
    assert.equal((await call("POST", `/api/v1/articles/${draft.id}/publish`, manager, {})).statusCode, 200);
    assert.ok((await publicIds()).includes(draft.id));

    const off = await call("POST", `/api/v1/articles/${draft.id}/unpublish`, manager);
    assert.equal(off.statusCode, 200, off.body);
    assert.equal(off.json<Detail>().status, "draft");
    assert.ok(!(await publicIds()).includes(draft.id), "off the public list");
    errorOf(await call("GET", `/api/v1/articles/${draft.id}`, null), 404, "article_not_found");

    const del = await call("DELETE", `/api/v1/articles/${draft.id}`, manager);
    assert.equal(del.statusCode, 204, del.body);
    assert.equal(del.body, "");
    errorOf(await call("GET", `/api/v1/articles/${draft.id}`, manager), 404, "article_not_found");
    errorOf(await call("DELETE", `/api/v1/articles/${draft.id}`, manager), 404, "article_not_found");
    errorOf(await call("PUT", `/api/v1/articles/${draft.id}`, manager, input()), 404, "article_not_found");
  });

  it("answers validation errors in the one error shape, with field paths", async () => {
    const empty = errorOf(
      await call("POST", "/api/v1/articles", manager, input({ title: "" })),
      400,
      "validation_failed",
    );
    assert.deepEqual(
      empty.fields?.map((f) => [f.path, f.code]),
      [["/title", "required"]],
    );
    // "<the field's label>: <what is wrong>", in the request's language.
    assert.match(empty.fields![0]!.message, /^[^:]+: \S/);

    const notice = errorOf(
      await call("POST", "/api/v1/articles", manager, input({ kind: "notice" })),
      400,
      "validation_failed",
    );
    assert.deepEqual(
      notice.fields?.map((f) => [f.path, f.code]),
      [["/expires_at", "required"]],
    );

    const several = errorOf(
      await call("POST", "/api/v1/articles", manager, { lang: "fr", kind: "news", body: "x" }),
      400,
      "validation_failed",
    );
    const paths = several.fields!.map((f) => f.path).sort();
    assert.deepEqual(paths, ["/lang", "/title"]);

    const badAt = errorOf(
      await call("POST", `/api/v1/articles/${(await createDraft()).id}/publish`, manager, { at: "soon" }),
      400,
      "validation_failed",
    );
    assert.deepEqual(
      badAt.fields?.map((f) => [f.path, f.code]),
      [["/at", "invalid_format"]],
    );
  });

  it("answers 404 to an anonymous reader asking for a draft, and shows it to its desk", async () => {
    const draft = await createDraft();
    errorOf(await call("GET", `/api/v1/articles/${draft.id}`, null), 404, "article_not_found");
    const staffView = await call("GET", `/api/v1/articles/${draft.id}`, manager);
    assert.equal(staffView.statusCode, 200);
    assert.equal(staffView.json<Detail>().status, "draft");
    errorOf(await call("GET", `/api/v1/articles/${draft.id}/revisions`, null), 401, "unauthenticated");
  });

  it("takes a lead image over multipart with the session's CSRF token, and refuses one without", async () => {
    const draft = await createDraft();
    const me = await call("GET", "/api/v1/auth/me", manager);
    assert.equal(me.statusCode, 200, me.body);
    const csrf = me.json<{ csrf_token?: string }>().csrf_token;
    assert.ok(csrf, "the API hands out the CSRF token");
    const alt = "مرکز کی کمپیوٹر لیب میں طلبہ";
    const file = { name: "image", filename: "lab.jpg", type: "image/jpeg", bytes: IMAGE };

    const refused = multipart({ image_alt: alt }, file);
    errorOf(
      await app.inject({
        method: "POST",
        url: `/api/v1/articles/${draft.id}/image`,
        headers: { cookie: manager, "content-type": refused.contentType },
        payload: refused.body,
      }),
      403,
      "csrf_failed",
    );
    const wrong = multipart({ _csrf: "not-the-token", image_alt: alt }, file);
    errorOf(
      await app.inject({
        method: "POST",
        url: `/api/v1/articles/${draft.id}/image`,
        headers: { cookie: manager, "content-type": wrong.contentType },
        payload: wrong.body,
      }),
      403,
      "csrf_failed",
    );
    assert.equal((await findArticleById(get().db, draft.id))?.image_path, null, "nothing saved");

    const noAlt = multipart({ _csrf: csrf, image_alt: "" }, file);
    const missing = errorOf(
      await app.inject({
        method: "POST",
        url: `/api/v1/articles/${draft.id}/image`,
        headers: { cookie: manager, "content-type": noAlt.contentType },
        payload: noAlt.body,
      }),
      400,
      "validation_failed",
    );
    assert.deepEqual(
      missing.fields?.map((f) => [f.path, f.code]),
      [["/image_alt", "required"]],
    );

    const ok = multipart({ _csrf: csrf, image_alt: alt }, file);
    const res = await app.inject({
      method: "POST",
      url: `/api/v1/articles/${draft.id}/image`,
      headers: { cookie: manager, "content-type": ok.contentType },
      payload: ok.body,
    });
    assert.equal(res.statusCode, 200, res.body);
    const image = res.json<Detail>().image;
    assert.ok(image, "the article has an image");
    assert.match(image.url, new RegExp(`^/media/${draft.short_id}-[0-9a-f]+-\\d+\\.jpg$`));
    assert.equal(image.alt, alt);
    assert.ok(image.width > 0 && image.height > 0);
    const served = await app.inject({ method: "GET", url: image.url });
    assert.equal(served.statusCode, 200);
    assert.match(String(served.headers["content-type"]), /^image\/jpeg/);

    const revs = await call("GET", `/api/v1/articles/${draft.id}/revisions`, manager);
    assert.equal(revs.json<{ revisions: unknown[] }>().revisions.length, 2, "the image left a revision");
  });

  it("takes a reader's comment as pending; the manager sees it in the queue and approves it", async () => {
    const article = await createDraft();
    assert.equal((await call("POST", `/api/v1/articles/${article.id}/publish`, manager, {})).statusCode, 200);

    const posted = await call("POST", `/api/v1/articles/${article.short_id}/comments`, null, {
      name: "عائشہ",
      email: "",
      comment: "بہت مفید معلومات، شکریہ",
    });
    assert.equal(posted.statusCode, 201, posted.body);
    const comment = posted.json<{ id: string; status: string }>();
    assert.match(comment.id, UUID_V7);
    assert.equal(comment.status, "pending");

    const queue = await call("GET", "/api/v1/comments", manager);
    assert.equal(queue.statusCode, 200, queue.body);
    const listed = queue
      .json<{ comments: { id: string; article_id: string; status: string; author_name: string }[] }>()
      .comments.find((c) => c.id === comment.id);
    assert.ok(listed, "the queue lists it");
    assert.equal(listed.article_id, article.id);
    assert.equal(listed.status, "pending");
    assert.equal(listed.author_name, "عائشہ");

    const moderated = await call("POST", "/api/v1/comments/moderate", manager, {
      ids: [comment.id],
      action: "approve",
    });
    assert.equal(moderated.statusCode, 200, moderated.body);
    assert.deepEqual(moderated.json(), { updated: 1 });

    const pending = await call("GET", "/api/v1/comments", manager);
    assert.ok(!pending.json<{ comments: { id: string }[] }>().comments.some((c) => c.id === comment.id));
    const approved = await call("GET", "/api/v1/comments?status=approved", manager);
    assert.ok(approved.json<{ comments: { id: string }[] }>().comments.some((c) => c.id === comment.id));

    errorOf(
      await call("POST", "/api/v1/articles/zzzzzzz/comments", null, { name: "x", comment: "y" }),
      404,
      "article_not_found",
    );
    const draft = await createDraft();
    errorOf(
      await call("POST", `/api/v1/articles/${draft.short_id}/comments`, null, { name: "x", comment: "y" }),
      404,
      "article_not_found",
    );
  });

  it("refuses an instructor (403) and an anonymous caller (401)", async () => {
    errorOf(await call("GET", "/api/v1/comments", instructor), 403, "forbidden");
    errorOf(await call("POST", "/api/v1/articles", instructor, input()), 403, "forbidden");
    errorOf(await call("POST", "/api/v1/articles", null, input()), 401, "unauthenticated");
    errorOf(await call("GET", "/api/v1/comments", null), 401, "unauthenticated");
  });

  it("refuses a JSON write sent from another site", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/articles",
      headers: { cookie: manager, origin: "https://evil.example" },
      payload: input(),
    });
    errorOf(res, 403, "csrf_failed");
  });
});
