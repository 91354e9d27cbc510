import assert from "node:assert/strict";
import zlib from "node:zlib";
import { after, before, it } from "node:test";
import type { App } from "../../src/server/app.ts";
import { seedDemo } from "../../src/demo/seedDemo.ts";
import { manualClock } from "../../src/db/clock.ts";
import { systemActor } from "../../src/audit/actor.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { form, FORM, makeCentre, makeStaff, signIn, testApp } from "../helpers/app.ts";

onBothDatabases("the shell in centre mode", (get) => {
  let app: App;
  before(async () => {
    await seedDemo(get().db, get().dataDir, manualClock("2026-11-25T06:00:00Z"), systemActor);
    app = await testApp(get());
  });
  after(() => app.close());

  it("is healthy and ready, with a request id on every answer", async () => {
    const health = await app.inject({ method: "GET", url: "/healthz" });
    assert.deepEqual(health.json(), { status: "ok" });
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    assert.deepEqual(ready.json(), { status: "ready" });
    assert.match(String(ready.headers["x-request-id"]), /^[0-9a-f-]{36}$/);
    const given = await app.inject({
      method: "GET",
      url: "/healthz",
      headers: { "x-request-id": "abc-123" },
    });
    assert.equal(given.headers["x-request-id"], "abc-123");
  });

  it("sends a reader to their language: Urdu by default, English when preferred or remembered", async () => {
    assert.equal((await app.inject({ method: "GET", url: "/" })).headers.location, "/ur");
    assert.equal(
      (await app.inject({ method: "GET", url: "/", headers: { "accept-language": "en-US,en;q=0.9" } }))
        .headers.location,
      "/en",
    );
    assert.equal(
      (
        await app.inject({
          method: "GET",
          url: "/",
          headers: { "accept-language": "en", cookie: "rasai_lang=ur" },
        })
      ).headers.location,
      "/ur",
    );
    const sw = await app.inject({ method: "GET", url: "/lang/en?next=%2Fen%2Fcourses" });
    assert.equal(sw.statusCode, 303);
    assert.equal(sw.headers.location, "/en/courses");
    assert.match(String(sw.headers["set-cookie"]), /rasai_lang=en/);
    const evil = await app.inject({ method: "GET", url: "/lang/en?next=%2F%2Fevil.example" });
    assert.equal(evil.headers.location, "/en", "never redirects off-site");
  });

  it("renders each public page with lang and dir, and a switch to the same page in the other language", async () => {
    const ur = await app.inject({ method: "GET", url: "/ur/courses" });
    assert.ok(ur.body.startsWith('<!doctype html><html lang="ur" dir="rtl">'));
    assert.ok(ur.body.includes('href="/lang/en?next=%2Fen%2Fcourses"'));
    const en = await app.inject({ method: "GET", url: "/en/courses" });
    assert.ok(en.body.startsWith('<!doctype html><html lang="en" dir="ltr">'));
    assert.ok(en.body.includes('href="/lang/ur?next=%2Fur%2Fcourses"'));
    assert.ok(en.body.includes('hreflang="ur"'));
  });

  it("lists the seed article on the home page and opens it", async () => {
    const home = await app.inject({ method: "GET", url: "/ur" });
    assert.ok(home.body.includes("انفارمیشن ایکسیس سنٹر اسلام آباد"), "centre name in the header");
    const m =
      /href="(\/ur\/articles\/[^"]+)">جنوبی کوریا کا پاکستان میں انفارمیشن ایکسیس سنٹر کے قیام کا عندیہ</.exec(
        home.body,
      );
    assert.ok(m, "seed article listed");
    const page = await app.inject({ method: "GET", url: m[1]! });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(">جنوبی کوریا کا پاکستان میں انفارمیشن ایکسیس سنٹر کے قیام کا عندیہ</h1>"));
    const shortId = m[1]!.split("/")[3]!.split("-")[0]!;
    const bare = await app.inject({ method: "GET", url: `/ur/articles/${shortId}` });
    assert.equal(bare.statusCode, 301);
    assert.equal(bare.headers.location, m[1]);
  });

  it("sets security headers: a CSP without inline scripts, no framing, no sniffing", async () => {
    const res = await app.inject({ method: "GET", url: "/ur" });
    const csp = String(res.headers["content-security-policy"]);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.ok(!csp.includes("unsafe-inline"));
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers["x-content-type-options"], "nosniff");
    // The inline stylesheet is allowed by its hash, which must match what the page carries.
    const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)![1]!;
    const { createHash } = await import("node:crypto");
    assert.ok(csp.includes(`'sha256-${createHash("sha256").update(style).digest("base64")}'`));
  });

  it("compresses pages and serves hashed assets with a year-long cache", async () => {
    const res = await app.inject({ method: "GET", url: "/ur", headers: { "accept-encoding": "br, gzip" } });
    assert.equal(res.headers["content-encoding"], "br");
    const html = zlib.brotliDecompressSync(res.rawPayload).toString();
    const font = /url\((\/assets\/urdu\.[0-9a-f]{10}\.woff2)\)/.exec(html);
    assert.ok(font, "the Urdu font is linked by hashed URL");
    const asset = await app.inject({ method: "GET", url: font[1]! });
    assert.equal(asset.statusCode, 200);
    assert.equal(asset.headers["content-type"], "font/woff2");
    assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal((await app.inject({ method: "GET", url: "/assets/urdu.0000000000.woff2" })).statusCode, 404);
  });

  it("follows a staff member's language choice on staff pages, and audits the change", async () => {
    const centre = await makeCentre(get());
    const user = await makeStaff(get(), "staff", centre.id);
    const s = await signIn(app, user.username);
    const en = await app.inject({ method: "GET", url: "/staff", headers: { cookie: s.cookie } });
    assert.ok(en.body.includes('<html lang="en" dir="ltr">'));
    const sw = await app.inject({
      method: "POST",
      url: "/staff/locale",
      headers: { ...FORM, cookie: s.cookie },
      payload: form({ _csrf: s.csrf, locale: "ur", next: "/staff" }),
    });
    assert.equal(sw.statusCode, 303);
    const ur = await app.inject({ method: "GET", url: "/staff", headers: { cookie: s.cookie } });
    assert.ok(ur.body.includes('<html lang="ur" dir="rtl">'));
    assert.ok(ur.body.includes("ڈیش بورڈ"));
    const audit = await get()
      .db.selectFrom("audit_log")
      .selectAll()
      .where("entity_id", "=", user.id)
      .where("action", "=", "staff.locale_changed")
      .execute();
    assert.equal(audit.length, 1);
  });
});

onBothDatabases("the shell in hq mode", (get) => {
  let app: App;
  before(async () => {
    await makeCentre(get(), { name_en: "Lahore IAC" });
    await makeCentre(get(), { name_en: "Quetta IAC" });
    app = await testApp(get(), { config: { mode: "hq" } });
  });
  after(() => app.close());

  it("offers a centre chooser on the home page and a page per centre", async () => {
    const home = await app.inject({ method: "GET", url: "/en" });
    assert.equal(home.statusCode, 200);
    assert.ok(home.body.includes('name="code"'));
    assert.ok(home.body.includes("Lahore IAC") && home.body.includes("Quetta IAC"));
    const code = /<option value="([^"]+)">Quetta IAC/.exec(home.body)![1]!;
    const chosen = await app.inject({ method: "GET", url: `/en/centres?code=${code}` });
    assert.equal(chosen.headers.location, `/en/centres/${code}`);
    const page = await app.inject({ method: "GET", url: `/en/centres/${code}` });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes("<h1>Quetta IAC</h1>"));
  });
});
