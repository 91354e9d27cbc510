import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Actor } from "../../src/audit/actor.ts";
import { listAuditEntries } from "../../src/audit/queries.ts";
import { manualClock } from "../../src/db/clock.ts";
import type { ArticleKind, StaffUserTable } from "../../src/db/schema.ts";
import { createArticle, updateArticle } from "../../src/portal/articles/saveArticle.ts";
import {
  linkTranslation,
  publishArticle,
  publishDueArticles,
  restoreRevision,
  submitForReview,
  unpublishArticle,
} from "../../src/portal/articles/workflow.ts";
import { moderateComments, submitComment } from "../../src/portal/comments/submitComment.ts";
import { articleHref } from "../../src/portal/presenters.ts";
import { findArticleById, listPublishedArticles, listRevisions } from "../../src/portal/queries.ts";
import { Forbidden, ValidationFailed } from "../../src/server/errors.ts";
import type { App } from "../../src/server/app.ts";
import { makeCentre, makeStaff, nextAddress, TEST_SECRET, testApp } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";

type Who = "staffA" | "staffA2" | "managerA" | "instructorA" | "staffB" | "managerB" | "hq";
type Scope = "A" | "B" | "national";

/** Far enough ahead that no test's clock reaches it: scheduled, never due. */
const FAR = "2027-06-01T00:00:00.000Z";
const NOTICE_EXPIRY = "2027-12-31T00:00:00.000Z";

function actorOf(user: StaffUserTable): Actor {
  return {
    kind: "staff",
    id: user.id,
    name: user.username,
    role: user.role,
    centreId: user.centre_id,
    ip: null,
  };
}

async function forbidden(action: Promise<unknown>): Promise<void> {
  await assert.rejects(action, (error: unknown) => {
    assert.ok(error instanceof Forbidden, `expected Forbidden, got ${String(error)}`);
    assert.equal(error.status, 403);
    return true;
  });
}

onBothDatabases("editorial workflow", (get) => {
  const clock = manualClock("2026-11-25T06:00:00Z");
  const ctx = (actor: Actor) => ({ actor, clock });
  const people = {} as Record<Who, Actor>;
  const codes = {} as Record<"A" | "B", { id: string; code: string }>;
  let app: App;
  let n = 0;

  before(async () => {
    const tdb = get();
    const a = await makeCentre(tdb, {}, true);
    const b = await makeCentre(tdb);
    codes.A = { id: a.id, code: a.code };
    codes.B = { id: b.id, code: b.code };
    const make = async (role: StaffUserTable["role"], centre: string | null) =>
      actorOf(await makeStaff(tdb, role, centre));
    people.staffA = await make("staff", a.id);
    people.staffA2 = await make("staff", a.id);
    people.managerA = await make("centre_manager", a.id);
    people.instructorA = await make("instructor", a.id);
    people.staffB = await make("staff", b.id);
    people.managerB = await make("centre_manager", b.id);
    people.hq = await make("hq_admin", null);
    app = await testApp(tdb, { clock });
  });
  after(() => app.close());

  const where = (scope: Scope) => (scope === "national" ? "national" : codes[scope].code);
  const centreIdOf = (scope: Scope) => (scope === "national" ? null : codes[scope].id);

  function input(overrides: Record<string, unknown> = {}) {
    n++;
    const kind = (overrides.kind as ArticleKind | undefined) ?? "news";
    const fields: Record<string, unknown> = {
      lang: "ur",
      kind,
      title: `مضمون ${n}`,
      body: `پہلا پیراگراف ${n}\n\nدوسرا پیراگراف`,
      ...(kind === "notice" ? { expires_at: NOTICE_EXPIRY } : {}),
      ...overrides,
    };
    // An override of `undefined` leaves the field out, as a form that does not send it.
    for (const [k, v] of Object.entries(fields)) if (v === undefined) delete fields[k];
    return fields;
  }

  const draft = (by: Who, scope: Scope, kind: ArticleKind = "news", extra: Record<string, unknown> = {}) =>
    createArticle(get().db, input({ kind, centre: where(scope), ...extra }), ctx(people[by]));

  async function published(scope: Scope, kind: ArticleKind = "news") {
    const a = await draft("hq", scope, kind);
    return publishArticle(get().db, a.id, null, ctx(people.hq));
  }

  async function count(table: "articles" | "audit_log" | "article_revisions" | "comments") {
    const row = await get()
      .db.selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Everything a refused or failed action could have touched. */
  async function stateOf(articleId?: string) {
    return {
      article: articleId ? await findArticleById(get().db, articleId) : null,
      articles: await count("articles"),
      audit: await count("audit_log"),
      revisions: await count("article_revisions"),
      comments: await get().db.selectFrom("comments").selectAll().orderBy("id").execute(),
    };
  }

  async function refused(action: () => Promise<unknown>, articleId?: string) {
    const before = await stateOf(articleId);
    await forbidden(action());
    assert.deepEqual(await stateOf(articleId), before, "a refused action changes nothing");
  }

  async function lastAudit(entityId: string) {
    const [entry] = await listAuditEntries(get().db, { entityId, limit: 1 });
    assert.ok(entry, "an audit row was written");
    return entry;
  }

  async function auditActions(entityId: string) {
    const rows = await listAuditEntries(get().db, { entityId, limit: 100 });
    return rows
      .reverse()
      .map((r) => `${r.action} by ${r.actor_kind === "staff" ? r.actor_id : r.actor_kind}`);
  }

  const page = (a: { short_id: string; slug: string }) =>
    app.inject({ method: "GET", url: articleHref(a, "ur"), headers: { "user-agent": "Googlebot/2.1" } });

  describe("draft, edit own drafts, send for review", () => {
    const cases: [Who, Scope, boolean][] = [
      ["staffA", "A", true],
      ["staffA", "B", false],
      ["staffA", "national", false],
      ["managerA", "A", true],
      ["managerA", "B", false],
      ["managerA", "national", false],
      ["hq", "A", true],
      ["hq", "B", true],
      ["hq", "national", true],
      ["instructorA", "A", false],
      ["instructorA", "B", false],
    ];
    for (const [who, scope, allowed] of cases) {
      it(`${who} in ${scope === "national" ? "national" : `centre ${scope}`}: ${allowed ? "allowed" : "refused"}`, async () => {
        const db = get().db;
        const actor = people[who];
        const id = actor.kind === "staff" ? actor.id : "";
        if (allowed) {
          const created = await draft(who, scope);
          assert.equal(created.status, "draft");
          assert.equal(created.centre_id, centreIdOf(scope));
          assert.equal(created.author_id, id);
          const edited = await updateArticle(db, created.id, input({ title: "نیا عنوان" }), ctx(actor));
          assert.equal(edited.title, "نیا عنوان");
          const sent = await submitForReview(db, created.id, ctx(actor));
          assert.equal(sent.status, "review");
          assert.equal((await findArticleById(db, created.id))?.status, "review");
          assert.deepEqual(await auditActions(created.id), [
            `article.created by ${id}`,
            `article.updated by ${id}`,
            `article.submitted by ${id}`,
          ]);
        } else {
          await refused(() => draft(who, scope));
          const other = await draft("hq", scope);
          await refused(
            () => updateArticle(db, other.id, input({ title: "نیا عنوان" }), ctx(actor)),
            other.id,
          );
          await refused(() => submitForReview(db, other.id, ctx(actor)), other.id);
        }
      });
    }

    it("staff cannot edit or send another staff member's draft, even in their own centre", async () => {
      const db = get().db;
      const theirs = await draft("staffA2", "A");
      await refused(() => updateArticle(db, theirs.id, input(), ctx(people.staffA)), theirs.id);
      await refused(() => submitForReview(db, theirs.id, ctx(people.staffA)), theirs.id);
    });

    it("staff cannot edit their own article once it is published", async () => {
      const db = get().db;
      const mine = await draft("staffA", "A");
      await publishArticle(db, mine.id, null, ctx(people.managerA));
      await refused(() => updateArticle(db, mine.id, input(), ctx(people.staffA)), mine.id);
    });

    it("an edit that fails validation changes nothing", async () => {
      const db = get().db;
      const mine = await draft("staffA", "A");
      const before = await stateOf(mine.id);
      await assert.rejects(
        updateArticle(db, mine.id, input({ title: "   " }), ctx(people.staffA)),
        (error: unknown) => {
          assert.ok(error instanceof ValidationFailed);
          assert.deepEqual(error.fields, [{ path: "/title", code: "required" }]);
          return true;
        },
      );
      assert.deepEqual(await stateOf(mine.id), before);
    });
  });

  describe("publish, schedule, unpublish centre content", () => {
    const cases: [Who, boolean][] = [
      ["managerA", true],
      ["hq", true],
      ["staffA", false],
      ["managerB", false],
      ["instructorA", false],
    ];
    for (const kind of ["news", "notice", "guide"] as const) {
      for (const [who, allowed] of cases) {
        it(`${kind} of centre A: ${who} is ${allowed ? "allowed" : "refused"}`, async () => {
          await publishRights(who, "A", kind, allowed);
        });
      }
    }
  });

  describe("publish national news and guides", () => {
    const cases: [Who, boolean][] = [
      ["hq", true],
      ["managerA", false],
      ["staffA", false],
      ["instructorA", false],
    ];
    for (const kind of ["news", "guide"] as const) {
      for (const [who, allowed] of cases) {
        it(`national ${kind}: ${who} is ${allowed ? "allowed" : "refused"}`, async () => {
          await publishRights(who, "national", kind, allowed);
        });
      }
    }
  });

  async function publishRights(who: Who, scope: Scope, kind: ArticleKind, allowed: boolean) {
    const db = get().db;
    const actor = people[who];
    const a = await draft("hq", scope, kind);
    if (!allowed) {
      await refused(() => publishArticle(db, a.id, null, ctx(actor)), a.id);
      await refused(() => publishArticle(db, a.id, FAR, ctx(actor)), a.id);
      const live = await published(scope, kind);
      await refused(() => unpublishArticle(db, live.id, ctx(actor)), live.id);
      return;
    }
    const id = actor.kind === "staff" ? actor.id : "";
    const now = clock.now().toISOString();
    const pub = await publishArticle(db, a.id, null, ctx(actor));
    assert.equal(pub.status, "published");
    assert.equal(pub.published_at, now);
    const un = await unpublishArticle(db, a.id, ctx(actor));
    assert.equal(un.status, "draft");
    const sched = await publishArticle(db, a.id, FAR, ctx(actor));
    assert.equal(sched.status, "draft");
    assert.equal(sched.scheduled_at, FAR);
    const row = await findArticleById(db, a.id);
    assert.equal(row?.status, "draft");
    assert.equal(row?.scheduled_at, FAR);
    assert.equal(row?.published_at, now, "the first publication date is kept");
    assert.deepEqual((await auditActions(a.id)).slice(1), [
      `article.published by ${id}`,
      `article.unpublished by ${id}`,
      `article.scheduled by ${id}`,
    ]);
  }

  describe("moderate comments", () => {
    const cases: [Who, Scope, boolean][] = [
      ["staffA", "A", true],
      ["staffA", "B", false],
      ["staffA", "national", false],
      ["managerA", "A", true],
      ["managerA", "B", false],
      ["managerA", "national", false],
      ["hq", "A", true],
      ["hq", "B", true],
      ["hq", "national", true],
      ["instructorA", "A", false],
    ];

    async function commentOn(articleId: string) {
      n++;
      const { comment } = await submitComment(
        get().db,
        {
          articleId,
          name: "قاری",
          email: "",
          body: `اچھا مضمون ${n}`,
          honeypot: "",
          fillSeconds: 30,
          ip: nextAddress(),
        },
        { clock, secret: TEST_SECRET },
      );
      assert.equal(comment.status, "pending");
      return comment;
    }

    for (const [who, scope, allowed] of cases) {
      it(`${who} on a ${scope === "national" ? "national" : `centre ${scope}`} article: ${allowed ? "allowed" : "refused"}`, async () => {
        const db = get().db;
        const actor = people[who];
        const article = await published(scope);
        const comment = await commentOn(article.id);
        if (!allowed) {
          await refused(() => moderateComments(db, [comment.id], "approve", ctx(actor)));
          return;
        }
        assert.equal(await moderateComments(db, [comment.id], "approve", ctx(actor)), 1);
        const row = await db
          .selectFrom("comments")
          .selectAll()
          .where("id", "=", comment.id)
          .executeTakeFirst();
        assert.equal(row?.status, "approved");
        assert.equal(row?.moderated_by, actor.kind === "staff" ? actor.id : null);
        assert.equal(row?.moderated_at, clock.now().toISOString());
        const entry = await lastAudit(comment.id);
        assert.equal(entry.action, "comment.approve");
        assert.equal(entry.actor_id, actor.kind === "staff" ? actor.id : null);
        assert.deepEqual(JSON.parse(entry.details), { from: "pending" });
      });
    }

    it("a batch with one comment outside the moderator's centre changes none of them", async () => {
      const db = get().db;
      const own = await commentOn((await published("A")).id);
      const other = await commentOn((await published("B")).id);
      await refused(() => moderateComments(db, [own.id, other.id], "approve", ctx(people.managerA)));
    });
  });

  describe("restore a revision", () => {
    const cases: [Who, Scope, boolean][] = [
      ["managerA", "A", true],
      ["managerA", "B", false],
      ["hq", "B", true],
      ["hq", "national", true],
      ["staffA", "A", false],
      ["instructorA", "A", false],
    ];
    for (const [who, scope, allowed] of cases) {
      it(`${who} on a ${scope === "national" ? "national" : `centre ${scope}`} article: ${allowed ? "allowed" : "refused"}`, async () => {
        const db = get().db;
        const actor = people[who];
        // Staff are refused even on their own draft.
        const author: Who = who === "staffA" ? "staffA" : "hq";
        const first = await draft(author, scope);
        await updateArticle(db, first.id, input({ title: "بدلا ہوا عنوان" }), ctx(people[author]));
        if (!allowed) {
          await refused(() => restoreRevision(db, first.id, 1, ctx(actor)), first.id);
          return;
        }
        const restored = await restoreRevision(db, first.id, 1, ctx(actor));
        assert.equal(restored.title, first.title);
        assert.equal((await findArticleById(db, first.id))?.title, first.title);
        const entry = await lastAudit(first.id);
        assert.equal(entry.action, "article.revision_restored");
        assert.equal(entry.actor_id, actor.kind === "staff" ? actor.id : null);
      });
    }
  });

  describe("the article's life", () => {
    it("schedules for later: unpublished and unseen until due, then published at the scheduled time", async () => {
      const db = get().db;
      const a = await draft("managerA", "A");
      const at = new Date(clock.now().getTime() + 2 * 3600_000).toISOString();
      const scheduled = await publishArticle(db, a.id, at, ctx(people.managerA));
      assert.equal(scheduled.status, "draft");
      assert.equal(scheduled.scheduled_at, at);
      assert.equal(scheduled.published_at, null);
      const listed = async () =>
        (
          await listPublishedArticles(db, {
            lang: "ur",
            onlyCentreId: codes.A.id,
            now: clock.now().toISOString(),
            limit: 500,
            offset: 0,
          })
        ).some((x) => x.id === a.id);
      assert.equal(await listed(), false);
      assert.equal((await page(a)).statusCode, 404);

      clock.advance(2 * 3600_000 - 1000);
      assert.deepEqual(await publishDueArticles(db, clock), [], "not due a second early");
      assert.equal((await page(a)).statusCode, 404);

      clock.advance(61_000);
      const due = await publishDueArticles(db, clock);
      assert.deepEqual(
        due.map((x) => x.id),
        [a.id],
      );
      const row = await findArticleById(db, a.id);
      assert.equal(row?.status, "published");
      assert.equal(row?.published_at, at, "published_at is the scheduled time, not when the job ran");
      assert.equal(row?.scheduled_at, null);
      assert.equal(await listed(), true);
      assert.equal((await page(a)).statusCode, 200);
      assert.deepEqual(await publishDueArticles(db, clock), [], "published once");
      const entry = await lastAudit(a.id);
      assert.equal(entry.action, "article.published");
      assert.equal(entry.actor_kind, "system");
      assert.deepEqual(JSON.parse(entry.details), { scheduled: at });
    });

    it("unpublishing takes it off public lists and its page answers 404", async () => {
      const db = get().db;
      const a = await draft("managerA", "A");
      await publishArticle(db, a.id, null, ctx(people.managerA));
      const filter = {
        lang: "ur" as const,
        onlyCentreId: codes.A.id,
        now: clock.now().toISOString(),
        limit: 500,
        offset: 0,
      };
      assert.ok((await listPublishedArticles(db, filter)).some((x) => x.id === a.id));
      assert.equal((await page(a)).statusCode, 200);
      const centrePage = () =>
        app.inject({ method: "GET", url: `/ur/centres/${encodeURIComponent(codes.A.code)}` });
      assert.ok((await centrePage()).body.includes(a.title));

      await unpublishArticle(db, a.id, ctx(people.managerA));
      assert.ok(!(await listPublishedArticles(db, filter)).some((x) => x.id === a.id));
      assert.equal((await page(a)).statusCode, 404);
      assert.ok(!(await centrePage()).body.includes(a.title));
      assert.equal((await lastAudit(a.id)).action, "article.unpublished");
    });

    it("keeps a revision per save and restores an old one as a new revision", async () => {
      const db = get().db;
      const manager = people.managerA;
      const a = await draft("managerA", "A", "news", { title: "پہلا عنوان", body: "پہلا متن" });
      await updateArticle(db, a.id, input({ title: "دوسرا عنوان", body: "دوسرا متن" }), ctx(manager));
      await updateArticle(db, a.id, input({ title: "تیسرا عنوان", body: "تیسرا متن" }), ctx(manager));
      let revisions = await listRevisions(db, a.id);
      assert.deepEqual(
        revisions.map((r) => [r.number, r.note, (JSON.parse(r.snapshot) as { title: string }).title]),
        [
          [3, "edited", "تیسرا عنوان"],
          [2, "edited", "دوسرا عنوان"],
          [1, "created", "پہلا عنوان"],
        ],
      );

      const restored = await restoreRevision(db, a.id, 1, ctx(manager));
      const row = await findArticleById(db, a.id);
      assert.equal(row?.title, "پہلا عنوان");
      assert.equal(row?.body_md, "پہلا متن");
      assert.deepEqual(JSON.parse(row!.body_html), ["<p>پہلا متن</p>"]);
      assert.equal(restored.title, "پہلا عنوان");
      revisions = await listRevisions(db, a.id);
      assert.equal(revisions.length, 4);
      assert.equal(revisions[0]!.number, 4);
      assert.equal(revisions[0]!.note, "restored #1");
      assert.equal((JSON.parse(revisions[0]!.snapshot) as { title: string }).title, "پہلا عنوان");
      const entry = await lastAudit(a.id);
      assert.equal(entry.action, "article.revision_restored");
      assert.deepEqual(JSON.parse(entry.details), { from: 1 });
    });

    it("links an Urdu and an English article as translations; two of one language are refused", async () => {
      const db = get().db;
      const ur = await draft("hq", "national", "guide");
      const en = await draft("hq", "national", "guide", { lang: "en", title: "A guide", body: "Text" });
      const linked = await linkTranslation(db, ur.id, en.short_id, ctx(people.hq));
      assert.ok(linked.translation_group);
      assert.equal((await findArticleById(db, ur.id))?.translation_group, linked.translation_group);
      assert.equal((await findArticleById(db, en.id))?.translation_group, linked.translation_group);
      assert.equal((await lastAudit(ur.id)).action, "article.translation_linked");

      const other = await draft("hq", "national", "guide");
      const before = await stateOf(other.id);
      await assert.rejects(linkTranslation(db, other.id, ur.short_id, ctx(people.hq)), (error: unknown) => {
        assert.ok(error instanceof ValidationFailed);
        assert.deepEqual(error.fields, [{ path: "/translation", code: "same_language" }]);
        return true;
      });
      assert.deepEqual(await stateOf(other.id), before);
      assert.equal((await findArticleById(db, ur.id))?.translation_group, linked.translation_group);
    });

    it("relinking replaces the previous translation in that language: one article per language", async () => {
      const db = get().db;
      const ur = await draft("hq", "national", "guide");
      const oldEn = await draft("hq", "national", "guide", { lang: "en", title: "Old guide", body: "Text" });
      await linkTranslation(db, ur.id, oldEn.short_id, ctx(people.hq));
      const newEn = await draft("hq", "national", "guide", { lang: "en", title: "New guide", body: "Text" });
      await linkTranslation(db, newEn.id, ur.short_id, ctx(people.hq));
      const group = (await findArticleById(db, ur.id))?.translation_group;
      assert.ok(group);
      assert.equal((await findArticleById(db, newEn.id))?.translation_group, group);
      assert.equal(
        (await findArticleById(db, oldEn.id))?.translation_group,
        null,
        "the old English translation leaves the group",
      );
    });

    it("staff cannot link their draft to another centre's article (linking changes that article too)", async () => {
      const db = get().db;
      const theirs = await published("B");
      const english = await createArticle(
        db,
        input({ lang: "en", centre: codes.B.code, title: "Their English", body: "Text" }),
        ctx(people.hq),
      );
      await linkTranslation(db, theirs.id, english.short_id, ctx(people.hq));
      const mineEnglish = await draft("staffA", "A", "news", { lang: "en", title: "Mine", body: "Text" });
      await refused(
        () => linkTranslation(db, mineEnglish.id, theirs.short_id, ctx(people.staffA)),
        theirs.id,
      );
      assert.equal((await findArticleById(db, mineEnglish.id))?.translation_group, null);
    });

    it("a notice needs an expiry date and leaves the lists once it has passed", async () => {
      const db = get().db;
      const before = await stateOf();
      await assert.rejects(draft("managerA", "A", "notice", { expires_at: undefined }), (error: unknown) => {
        assert.ok(error instanceof ValidationFailed);
        assert.deepEqual(error.fields, [{ path: "/expires_at", code: "required" }]);
        return true;
      });
      assert.deepEqual(await stateOf(), before, "nothing is saved");

      const expires = new Date(clock.now().getTime() + 3 * 86400_000).toISOString();
      const notice = await draft("managerA", "A", "notice", { expires_at: expires });
      assert.equal(notice.expires_at, expires);
      await publishArticle(db, notice.id, null, ctx(people.managerA));
      const listedAt = async (now: string) =>
        (
          await listPublishedArticles(db, {
            lang: "ur",
            onlyCentreId: codes.A.id,
            kinds: ["notice"],
            now,
            limit: 500,
            offset: 0,
          })
        ).some((x) => x.id === notice.id);
      assert.equal(await listedAt(clock.now().toISOString()), true);
      assert.equal(await listedAt(new Date(Date.parse(expires) - 1000).toISOString()), true);
      assert.equal(await listedAt(expires), false, "gone at the moment it expires");
      assert.equal(await listedAt(new Date(Date.parse(expires) + 86400_000).toISOString()), false);
    });
  });
});
