import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { App } from "../../src/server/app.ts";
import { listAuditEntries } from "../../src/audit/queries.ts";
import { findStaffByUsername } from "../../src/identity/queries.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { form, FORM, makeCentre, makeStaff, signIn, testApp } from "../helpers/app.ts";

onBothDatabases("staff accounts page", (get) => {
  let app: App;
  let own: Awaited<ReturnType<typeof makeCentre>>;
  let other: Awaited<ReturnType<typeof makeCentre>>;
  let manager: { cookie: string; csrf: string };
  let hq: { cookie: string; csrf: string };
  before(async () => {
    app = await testApp(get());
    own = await makeCentre(get(), {}, true);
    other = await makeCentre(get());
    manager = await signIn(app, (await makeStaff(get(), "centre_manager", own.id)).username);
    hq = await signIn(app, (await makeStaff(get(), "hq_admin", null)).username);
  });
  after(() => app.close());

  const post = (who: { cookie: string; csrf: string }, url: string, fields: Record<string, string>) =>
    app.inject({
      method: "POST",
      url,
      headers: { ...FORM, cookie: who.cookie },
      payload: form({ _csrf: who.csrf, ...fields }),
    });

  it("a manager creates a staff account for their centre; its password is shown once and works", async () => {
    const res = await post(manager, "/staff/users", {
      username: "Bilal.Desk",
      display_name: "بلال",
      role: "staff",
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["cache-control"], "private, no-store");
    const password = /Password \(shown once\): ([a-z0-9-]{19})/.exec(res.body)?.[1];
    assert.ok(password, "password shown");
    const user = await findStaffByUsername(get().db, "bilal.desk");
    assert.equal(user?.centre_id, own.id);
    assert.equal(user?.role, "staff");
    await signIn(app, "bilal.desk", password);
    const audit = await listAuditEntries(get().db, { entity: "staff_user", entityId: user!.id });
    assert.ok(audit.some((a) => a.action === "staff.created"));
  });

  it("shows which field is wrong and creates nothing", async () => {
    const res = await post(manager, "/staff/users", { username: "", display_name: "", role: "staff" });
    assert.equal(res.statusCode, 400);
    assert.ok(res.body.includes('id="e-username"'));
    assert.ok(res.body.includes('id="e-display_name"'));
  });

  it("a manager may not create a manager or headquarters account", async () => {
    for (const role of ["centre_manager", "hq_admin"]) {
      const res = await post(manager, "/staff/users", {
        username: `x-${role.replace("_", "")}`,
        display_name: "X",
        role,
      });
      assert.equal(res.statusCode, 403, role);
      assert.equal(await findStaffByUsername(get().db, `x-${role.replace("_", "")}`), undefined);
    }
  });

  it("headquarters creates a manager for any centre", async () => {
    const res = await post(hq, "/staff/users", {
      username: "sara.manager",
      display_name: "Sara",
      role: "centre_manager",
      centre: other.code,
    });
    assert.equal(res.statusCode, 200);
    assert.equal((await findStaffByUsername(get().db, "sara.manager"))?.centre_id, other.id);
  });

  it("a manager resets their own staff's password, not another manager's or another centre's staff", async () => {
    const mine = await makeStaff(get(), "instructor", own.id);
    const ok = await post(manager, "/staff/users/reset", { username: mine.username });
    assert.equal(ok.statusCode, 200);
    const password = /\(shown once\): ([a-z0-9-]{19})/.exec(ok.body)?.[1];
    assert.ok(password);
    await signIn(app, mine.username, password);
    const peer = await makeStaff(get(), "centre_manager", own.id);
    assert.equal((await post(manager, "/staff/users/reset", { username: peer.username })).statusCode, 403);
    const theirs = await makeStaff(get(), "staff", other.id);
    assert.equal((await post(manager, "/staff/users/reset", { username: theirs.username })).statusCode, 403);
    const list = await app.inject({
      method: "GET",
      url: "/staff/users",
      headers: { cookie: manager.cookie },
    });
    assert.ok(!list.body.includes(theirs.username), "another centre's staff are not listed");
  });
});
