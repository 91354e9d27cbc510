import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { App } from "../../src/server/app.ts";
import type { StaffRole } from "../../src/db/schema.ts";
import { STAFF_AREAS } from "../../src/identity/navigation.ts";
import { STAFF_ROLES } from "../../src/identity/policy.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { makeCentre, makeStaff, signIn, TEST_SECRET, testApp, testConfig } from "../helpers/app.ts";
import { buildApp } from "../../src/server/app.ts";
import { manualClock } from "../../src/db/clock.ts";

onBothDatabases("role checks on staff pages", (get) => {
  let app: App;
  const cookies = new Map<StaffRole, string>();
  before(async () => {
    app = await testApp(get());
    const centre = await makeCentre(get(), {}, true);
    for (const role of STAFF_ROLES) {
      const user = await makeStaff(get(), role, centre.id);
      cookies.set(role, (await signIn(app, user.username)).cookie);
    }
  });
  after(() => app.close());

  for (const area of STAFF_AREAS) {
    for (const role of STAFF_ROLES) {
      const allowed = area.roles.includes(role);
      it(`${area.href}: ${role} is ${allowed ? "allowed" : "refused"}`, async () => {
        const res = await app.inject({
          method: "GET",
          url: area.href,
          headers: { cookie: cookies.get(role)! },
        });
        if (allowed) {
          // The settings entry point redirects to the centre's own page.
          const ok =
            res.statusCode === 200 ||
            (res.statusCode === 303 && !String(res.headers.location).includes("/login"));
          assert.ok(ok, `${role} should see ${area.href}, got ${res.statusCode}`);
        } else {
          assert.equal(res.statusCode, 403, `${role} should be refused ${area.href}`);
          assert.ok(!res.body.includes("<h1>" + area.href), "no page content leaks");
        }
      });
    }
    it(`${area.href}: a signed-out visitor is sent to sign in`, async () => {
      const res = await app.inject({ method: "GET", url: area.href });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/staff/login?next=${encodeURIComponent(area.href)}`);
    });
  }

  it("shows each role only the areas it may open", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/staff",
      headers: { cookie: cookies.get("instructor")! },
    });
    assert.ok(res.body.includes('href="/staff/training"'));
    assert.ok(!res.body.includes('href="/staff/members"'));
    assert.ok(!res.body.includes('href="/staff/audit"'));
  });

  it("refuses to boot a route that declares no access", async () => {
    await assert.rejects(
      (async () => {
        const probe = await buildApp(
          {
            config: testConfig(get()),
            db: get().db,
            clock: manualClock("2026-11-25T06:00:00Z"),
            secret: TEST_SECRET,
          },
          { logger: false },
        );
        try {
          probe.get("/undeclared", async () => "x");
        } finally {
          await probe.close();
        }
      })(),
      /declares no access/,
    );
  });
});
