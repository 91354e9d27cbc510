import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { findCentreByCode } from "../../src/centres/queries.ts";
import { manualClock } from "../../src/db/clock.ts";
import { seedDemo } from "../../src/demo/seedDemo.ts";
import { createArticle } from "../../src/portal/articles/saveArticle.ts";
import { publishArticle } from "../../src/portal/articles/workflow.ts";
import { scrubQuery } from "../../src/search/queryLog.ts";
import type { App } from "../../src/server/app.ts";
import { cliActor } from "../../src/audit/actor.ts";
import { makeCentre, makeStaff, nextAddress, signIn, testApp } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";

interface ApiResult {
  results: {
    id: string;
    kind: string;
    lang: string;
    title: string;
    url: string;
    snippet: string;
    score: number;
  }[];
  total: number;
  more: boolean;
  corrected_query: string | null;
  left_out: string[];
}

onBothDatabases("search pages and API", (get) => {
  const clock = manualClock("2026-11-25T06:00:00Z");
  let app: App;
  const users: Record<string, string> = {};

  before(async () => {
    const tdb = get();
    await seedDemo(tdb.db, tdb.dataDir, clock);
    const centre = await findCentreByCode(tdb.db, "ISB-01");
    assert.ok(centre);
    const other = await makeCentre(tdb);
    for (const [key, role, centreId] of [
      ["hq", "hq_admin", null],
      ["manager", "centre_manager", centre.id],
      ["staff", "staff", centre.id],
      ["instructor", "instructor", centre.id],
      ["otherStaff", "staff", other.id],
    ] as const) {
      users[key] = (await makeStaff(tdb, role, centreId)).username;
    }
    const evil = await createArticle(
      tdb.db,
      {
        lang: "en",
        kind: "news",
        title: "Script tags in an article",
        body: "A reader wrote <script>alert(1)</script> into the text about xylophones.",
      },
      { actor: cliActor(), clock },
    );
    await publishArticle(tdb.db, evil.id, null, { actor: cliActor(), clock });
    app = await testApp(tdb, { clock });
  });
  after(() => app?.close());

  const api = (query: string) =>
    app.inject({ method: "GET", url: `/api/v1/search?${query}`, remoteAddress: nextAddress() });

  it("the API finds Urdu documents from Roman Urdu, in the documented shape", async () => {
    const res = await api(`q=${encodeURIComponent("kampiutar course")}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<ApiResult>();
    assert.ok(body.total >= 1);
    assert.deepEqual(Object.keys(body).sort(), ["corrected_query", "left_out", "more", "results", "total"]);
    const top = body.results[0]!;
    assert.match(top.title, /کمپیوٹر کورس/);
    assert.match(top.url, /^\/ur\/articles\/[0-9a-z]{7}-/);
    assert.match(top.snippet, /<mark>/);
    assert.equal(typeof top.score, "number");
  });

  it("filters by kind and language, and pages with limit and offset", async () => {
    const notices = (await api(`q=${encodeURIComponent("سنٹر")}&kind=notice`)).json<ApiResult>();
    assert.ok(notices.results.length > 0);
    assert.ok(notices.results.every((r) => r.kind === "notice"));
    const english = (await api("q=centre&lang=en")).json<ApiResult>();
    assert.ok(english.results.length > 0);
    assert.ok(english.results.every((r) => r.lang === "en"));
    const all = (await api(`q=${encodeURIComponent("سنٹر")}&limit=50`)).json<ApiResult>();
    const second = (await api(`q=${encodeURIComponent("سنٹر")}&limit=2&offset=2`)).json<ApiResult>();
    assert.deepEqual(
      second.results.map((r) => r.id),
      all.results.slice(2, 4).map((r) => r.id),
    );
  });

  it("bad parameters get field errors, never a 500", async () => {
    for (const [query, path] of [
      ["q=", "/q"],
      [`q=${"x".repeat(201)}`, "/q"],
      ["q=a&kind=poem", "/kind"],
      ["q=a&lang=fr", "/lang"],
      ["q=a&limit=0", "/limit"],
      ["q=a&from=2026-02-31", "/from"],
      ["q=a&centre=NOPE-99", "/centre"],
    ] as const) {
      const res = await api(query);
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      const body = res.json<{ error: { fields: { path: string }[] } }>();
      assert.ok(
        body.error.fields.some((f) => f.path === path),
        `${query} names ${path}: ${res.body}`,
      );
    }
  });

  it("a document's markup stays inert in snippets, in the API and on the page", async () => {
    const body = (await api("q=xylophones")).json<ApiResult>();
    assert.equal(body.results.length, 1);
    assert.match(body.results[0]!.snippet, /&lt;script&gt;/);
    assert.doesNotMatch(body.results[0]!.snippet, /<script/);
    const page = await app.inject({ method: "GET", url: "/en/search?q=xylophones" });
    assert.equal(page.statusCode, 200);
    assert.ok(/&lt;\/?script/.test(page.body), "the tag is shown as text");
    assert.ok(!/<\/?script>?alert|alert\(1\)<\/script>/.test(page.body), "and never as markup");
  });

  it("a typo finds the word and says what was searched instead", async () => {
    const body = (await api(`q=${encodeURIComponent("کمپیوٹن")}`)).json<ApiResult>();
    assert.ok(body.results.length > 0, "one wrong letter in a 7-letter word");
    assert.equal(body.corrected_query, "کمپیوٹر");
    const page = await app.inject({ method: "GET", url: `/ur/search?q=${encodeURIComponent("کمپیوٹن")}` });
    assert.match(page.body, /class="notice info"/);
    assert.match(page.body, /<strong>کمپیوٹر<\/strong>/);
  });

  it("a query no page matches whole finds the pages with the rest of its words, and says which were left out", async () => {
    const body = (await api("q=shanakhti+card+jaldi")).json<ApiResult>();
    assert.deepEqual(body.left_out, ["jaldi"]);
    // What the rest of the words find.
    const whole = (await api("q=shanakhti+card")).json<ApiResult>();
    assert.deepEqual(whole.left_out, []);
    assert.ok(whole.results.length > 0);
    assert.deepEqual(
      body.results.map((r) => r.id),
      whole.results.map((r) => r.id),
    );
    const page = await app.inject({ method: "GET", url: "/ur/search?q=shanakhti+card+jaldi" });
    assert.match(
      page.body,
      /<p class="notice info">کسی صفحے میں یہ سب الفاظ نہیں ہیں۔[^<]*<s><bdi>jaldi<\/bdi><\/s><\/p>/,
    );
    const english = await app.inject({ method: "GET", url: "/en/search?q=shanakhti+card" });
    assert.doesNotMatch(english.body, /<s>/);
  });

  it("a typo in Roman Urdu finds the Urdu-script word through a neighbour's key, and says which", async () => {
    // No document has "shanakti" or any Latin word one edit from it; شناختی has the key of
    // "shanakhti", one of its neighbours.
    const body = (await api("q=shanakti")).json<ApiResult>();
    assert.equal(body.corrected_query, "shanakhti");
    assert.ok(body.results.length > 0, "found");
    assert.ok(
      body.results.some((r) => r.snippet.includes("<mark>شناختی</mark>")),
      body.results.map((r) => r.snippet).join("\n"),
    );
    const page = await app.inject({ method: "GET", url: "/en/search?q=shanakti" });
    assert.match(page.body, /<strong>shanakhti<\/strong>/);
    // Not any key will do: qwerty's neighbour qerty has the skeleton krt, which the demo's Urdu
    // articles are full of.
    const none = (await api("q=qwerty")).json<ApiResult>();
    assert.deepEqual([none.total, none.corrected_query], [0, null]);
  });

  it("the results page works without JavaScript: a form, results, and no results explained", async () => {
    const empty = await app.inject({ method: "GET", url: "/ur/search" });
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /<html lang="ur" dir="rtl">/);
    assert.match(empty.body, /<form[^>]*method="get"[^>]*action="\/ur\/search"/);
    const found = await app.inject({
      method: "GET",
      url: `/ur/search?q=${encodeURIComponent("shanakhti card")}`,
    });
    assert.match(found.body, /<ol class="list results">/);
    assert.match(found.body, /<mark>شناختی<\/mark>/);
    const none = await app.inject({ method: "GET", url: "/en/search?q=qqqqzzzz" });
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /Nothing was found for “qqqqzzzz”/);
    const bad = await app.inject({ method: "GET", url: "/en/search?q=x&to=yesterday" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="e-to"/);
  });

  it("every public page has the search box; suggestions are small", async () => {
    const home = await app.inject({ method: "GET", url: "/ur" });
    assert.match(home.body, /<form class="site-search" role="search" method="get" action="\/ur\/search"/);
    const res = await app.inject({
      method: "GET",
      url: `/api/v1/search/suggest?locale=ur&q=${encodeURIComponent("کمپ")}`,
    });
    assert.equal(res.statusCode, 200);
    const body = res.json<{ suggestions: { title: string; url: string }[] }>();
    assert.ok(body.suggestions.length > 0 && body.suggestions.length <= 5);
    assert.ok(body.suggestions.every((s) => /^\/ur\/articles\/[0-9a-z]{7}$/.test(s.url)));
    assert.ok(res.rawPayload.length <= 2048, `suggestions are ${res.rawPayload.length} bytes`);
  });

  it("searches are logged without personal data and listed for desk staff", async () => {
    await app.inject({ method: "GET", url: `/ur/search?q=${encodeURIComponent("ملازمت 35202-1234567-3")}` });
    await app.inject({ method: "GET", url: "/ur/search?q=qqqqzzzz" });
    const rows = await get().db.selectFrom("search_queries").selectAll().execute();
    assert.ok(rows.some((r) => r.query === "ملازمت [number]"));
    assert.ok(rows.every((r) => !/\d{5}/.test(r.query)));
    assert.deepEqual(Object.keys(rows[0]!).sort(), [
      "centre_id",
      "created_at",
      "deleted_at",
      "hits",
      "id",
      "lang",
      "query",
      "updated_at",
    ]);
    for (const who of ["hq", "manager", "staff"]) {
      const { cookie } = await signIn(app, users[who]!);
      const page = await app.inject({ method: "GET", url: "/staff/searches", headers: { cookie } });
      assert.equal(page.statusCode, 200, who);
      assert.match(page.body, /qqqqzzzz/, `${who} sees the query that found nothing`);
    }
    const other = await signIn(app, users.otherStaff!);
    const theirs = await app.inject({
      method: "GET",
      url: "/staff/searches",
      headers: { cookie: other.cookie },
    });
    assert.equal(theirs.statusCode, 200);
    assert.doesNotMatch(theirs.body, /qqqqzzzz/, "another centre's staff see only their centre's searches");
    const instructor = await signIn(app, users.instructor!);
    const refused = await app.inject({
      method: "GET",
      url: "/staff/searches",
      headers: { cookie: instructor.cookie },
    });
    assert.equal(refused.statusCode, 403);
    const anonymous = await app.inject({ method: "GET", url: "/staff/searches" });
    assert.equal(anonymous.statusCode, 303);
  });
});

it("scrubQuery blanks numbers and addresses people type", () => {
  assert.equal(scrubQuery("  cnic 35202-1234567-3 "), "cnic [number]");
  assert.equal(scrubQuery("فون ۰۳۰۰۱۲۳۴۵۶۷"), "فون [number]");
  assert.equal(scrubQuery("mail me a@b.pk now"), "mail me [email] now");
  assert.equal(scrubQuery("2020 results"), "2020 results");
});
