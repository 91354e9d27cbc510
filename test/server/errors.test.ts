import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { App } from "../../src/server/app.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { cookiesOf, makeStaff, nextAddress, PASSWORD, testApp } from "../helpers/app.ts";

onBothDatabases("error shape and language", (get) => {
  let app: App;
  let cookie: string;
  before(async () => {
    app = await testApp(get());
    const admin = await makeStaff(get(), "hq_admin", null);
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      remoteAddress: nextAddress(),
      payload: { username: admin.username, password: PASSWORD },
    });
    cookie = `rasai_staff=${cookiesOf(res).rasai_staff}`;
  });
  after(() => app.close());

  it("answers an unknown API route with 404 JSON in the one shape", async () => {
    const en = await app.inject({
      method: "GET",
      url: "/api/v1/nothing-here",
      headers: { "accept-language": "en" },
    });
    assert.equal(en.statusCode, 404);
    assert.deepEqual(en.json(), {
      error: { code: "route_not_found", message: "There is no page at this address." },
    });
    const ur = await app.inject({
      method: "GET",
      url: "/api/v1/nothing-here",
      headers: { "accept-language": "ur-PK,ur;q=0.9" },
    });
    assert.equal(ur.json().error.message, "اس پتے پر کوئی صفحہ نہیں۔");
  });

  it("answers an unknown page with an HTML 404 in the URL's language", async () => {
    const res = await app.inject({ method: "GET", url: "/en/no-such-page" });
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers["content-type"]), /text\/html/);
    assert.ok(res.body.includes('<html lang="en" dir="ltr">'));
    assert.ok(res.body.includes("There is no page at this address."));
  });

  it("names every bad field, with code and translated message, and changes nothing", async () => {
    const before = await get().db.selectFrom("centres").select("id").execute();
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/centres",
      headers: { cookie, "accept-language": "en" },
      payload: { code: "bad code!", name_en: "", province: "mars" },
    });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.error.code, "validation_failed");
    assert.equal(body.error.message, "Some fields need attention.");
    const byPath = Object.fromEntries(body.error.fields.map((f: { path: string }) => [f.path, f]));
    assert.equal(byPath["/code"].code, "invalid_format");
    assert.equal(byPath["/name_en"].code, "required");
    assert.equal(byPath["/name_ur"].code, "required");
    assert.equal(byPath["/name_ur"].message, "Name in Urdu: This field is required.");
    assert.equal(byPath["/province"].code, "invalid_choice");
    const urdu = await app.inject({
      method: "POST",
      url: "/api/v1/centres",
      headers: { cookie, "accept-language": "ur" },
      payload: {},
    });
    const urBody = urdu.json();
    assert.equal(urBody.error.message, "کچھ خانوں پر توجہ درکار ہے۔");
    assert.ok(
      urBody.error.fields.some((f: { message: string }) => f.message === "اردو میں نام: یہ خانہ ضروری ہے۔"),
    );
    const afterRows = await get().db.selectFrom("centres").select("id").execute();
    assert.equal(afterRows.length, before.length);
  });

  it("answers malformed JSON with 400, never 500", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/centres",
      headers: { cookie, "content-type": "application/json" },
      payload: "{ not json",
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "bad_request");
  });

  it("never shows a stack trace", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/centres/%E0%A4%A" });
    assert.ok(res.statusCode < 500);
    assert.ok(!res.body.includes("at "), "no stack frames");
  });

  it("lists every /api/v1 route in the OpenAPI document, and none of the HTML pages", async () => {
    const res = await app.inject({ method: "GET", url: "/api/openapi.json" });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, "3.0.3");
    const paths = Object.keys(doc.paths);
    for (const p of ["/api/v1/centres", "/api/v1/centres/{code}", "/api/v1/auth/login", "/api/v1/auth/me"])
      assert.ok(paths.includes(p), p);
    assert.ok(
      paths.every((p) => p.startsWith("/api/v1")),
      paths.join(","),
    );
    const docs = await app.inject({ method: "GET", url: "/api/docs/" });
    assert.equal(docs.statusCode, 200);
    assert.ok(!docs.body.includes("unpkg") && !docs.body.includes("cdn"), "docs served from our own server");
  });
});
