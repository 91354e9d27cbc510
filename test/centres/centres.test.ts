import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { App } from "../../src/server/app.ts";
import { listAuditEntries } from "../../src/audit/queries.ts";
import { isOpenAt } from "../../src/centres/openingHours.ts";
import { parseExceptionLines } from "../../src/centres/settingsForm.ts";
import { onBothDatabases } from "../helpers/db.ts";
import { csrfFrom, form, FORM, makeCentre, makeStaff, signIn, testApp } from "../helpers/app.ts";

describe("opening hours", () => {
  const hours = {
    mon: [{ opens: "09:00", closes: "17:00" }],
    fri: [
      { opens: "09:00", closes: "12:30" },
      { opens: "14:30", closes: "17:00" },
    ],
  };
  it("is open inside a span in the centre's time zone, closed outside and on missing days", () => {
    // 2026-11-23 is a Monday; 04:00Z = 09:00 in Karachi.
    assert.equal(isOpenAt(new Date("2026-11-23T04:00:00Z"), "Asia/Karachi", hours, []), true);
    assert.equal(isOpenAt(new Date("2026-11-23T03:59:00Z"), "Asia/Karachi", hours, []), false);
    assert.equal(isOpenAt(new Date("2026-11-23T12:00:00Z"), "Asia/Karachi", hours, []), false);
    assert.equal(
      isOpenAt(new Date("2026-11-24T06:00:00Z"), "Asia/Karachi", hours, []),
      false,
      "Tuesday is not listed",
    );
    // Friday prayer break.
    assert.equal(isOpenAt(new Date("2026-11-27T08:00:00Z"), "Asia/Karachi", hours, []), false);
    assert.equal(isOpenAt(new Date("2026-11-27T10:00:00Z"), "Asia/Karachi", hours, []), true);
  });
  it("lets an exception close a day or change its hours", () => {
    assert.equal(
      isOpenAt(new Date("2026-11-23T06:00:00Z"), "Asia/Karachi", hours, [
        { date: "2026-11-23", closed: true, note: "" },
      ]),
      false,
    );
    const ramzan = [{ date: "2026-11-23", closed: false, opens: "10:00", closes: "13:00", note: "Ramzan" }];
    assert.equal(isOpenAt(new Date("2026-11-23T04:30:00Z"), "Asia/Karachi", hours, ramzan), false);
    assert.equal(isOpenAt(new Date("2026-11-23T05:30:00Z"), "Asia/Karachi", hours, ramzan), true);
  });
  it("reads exception lines and reports the bad ones", () => {
    const { exceptions, problems } = parseExceptionLines(
      "2026-12-25 closed Quaid Day\n2027-03-01 10:00-14:00 Ramzan\nnonsense",
    );
    assert.deepEqual(exceptions, [
      { date: "2026-12-25", closed: true, note: "Quaid Day" },
      { date: "2027-03-01", closed: false, opens: "10:00", closes: "14:00", note: "Ramzan" },
    ]);
    assert.equal(problems.length, 1);
  });
});

onBothDatabases("centres", (get) => {
  let app: App;
  let own: Awaited<ReturnType<typeof makeCentre>>;
  let other: Awaited<ReturnType<typeof makeCentre>>;
  const session: Record<string, { cookie: string; csrf: string }> = {};
  before(async () => {
    app = await testApp(get());
    own = await makeCentre(get(), {}, true);
    other = await makeCentre(get());
    for (const [key, role, centre] of [
      ["hq", "hq_admin", null],
      ["manager", "centre_manager", own.id],
      ["staff", "staff", own.id],
      ["instructor", "instructor", own.id],
    ] as const) {
      const u = await makeStaff(get(), role, centre);
      session[key] = await signIn(app, u.username);
    }
  });
  after(() => app.close());

  const newCentre = (code: string) => ({
    code,
    name_ur: "نیا سنٹر",
    name_en: "New centre",
    district: "Quetta",
    province: "balochistan",
    address: "Jinnah Road",
    opening_hours: { mon: [{ opens: "09:00", closes: "17:00" }] },
    exceptions: [{ date: "2026-12-25", closed: true, note: "Quaid Day" }],
  });

  it("headquarters opens a centre over the API; it is audited", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/centres",
      headers: { cookie: session.hq!.cookie },
      payload: newCentre("QTA-01"),
    });
    assert.equal(res.statusCode, 201, res.body.slice(0, 300));
    const body = res.json();
    assert.equal(body.code, "QTA-01");
    assert.equal(body.time_zone, "Asia/Karachi");
    assert.deepEqual(body.exceptions, [{ date: "2026-12-25", closed: true, note: "Quaid Day" }]);
    assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/, "UUIDv7");
    const audit = await listAuditEntries(get().db, { entity: "centre", entityId: body.id });
    assert.equal(audit[0]?.action, "centre.created");
    const dup = await app.inject({
      method: "POST",
      url: "/api/v1/centres",
      headers: { cookie: session.hq!.cookie },
      payload: newCentre("QTA-01"),
    });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.fields[0].path, "/code");
  });

  for (const who of ["manager", "staff", "instructor"]) {
    it(`a ${who} may not open a centre`, async () => {
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/centres",
        headers: { cookie: session[who]!.cookie },
        payload: newCentre(`X-${who.toUpperCase()}`),
      });
      assert.equal(res.statusCode, 403);
    });
  }

  it("a manager changes their own centre, and closing before opening is refused", async () => {
    const ok = await app.inject({
      method: "PATCH",
      url: `/api/v1/centres/${own.code}`,
      headers: { cookie: session.manager!.cookie },
      payload: { phone: "+92 42 1234567" },
    });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().phone, "+92 42 1234567");
    const bad = await app.inject({
      method: "PATCH",
      url: `/api/v1/centres/${own.code}`,
      headers: { cookie: session.manager!.cookie, "accept-language": "en" },
      payload: { opening_hours: { tue: [{ opens: "17:00", closes: "09:00" }] } },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.fields[0].path, "/opening_hours/tue/0/closes");
    const audit = await listAuditEntries(get().db, { entity: "centre", entityId: own.id });
    assert.ok(audit.some((a) => a.action === "centre.updated"));
  });

  it("a manager may not change another centre; staff may not change any", async () => {
    const res = await app.inject({
      method: "PATCH",
      url: `/api/v1/centres/${other.code}`,
      headers: { cookie: session.manager!.cookie },
      payload: { phone: "1" },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "other_centre");
    const staff = await app.inject({
      method: "PATCH",
      url: `/api/v1/centres/${own.code}`,
      headers: { cookie: session.staff!.cookie },
      payload: { phone: "1" },
    });
    assert.equal(staff.statusCode, 403);
    const hq = await app.inject({
      method: "PATCH",
      url: `/api/v1/centres/${other.code}`,
      headers: { cookie: session.hq!.cookie },
      payload: { district: "Multan" },
    });
    assert.equal(hq.statusCode, 200);
  });

  it("the settings page saves hours and exceptions, and shows errors next to the field", async () => {
    const { cookie } = session.manager!;
    const page = await app.inject({ method: "GET", url: `/staff/centres/${own.code}`, headers: { cookie } });
    assert.equal(page.statusCode, 200);
    const csrf = csrfFrom(page.body);
    const fields = {
      _csrf: csrf,
      name_ur: "ترمیم شدہ نام",
      name_en: "Edited name",
      district: "Lahore",
      province: "punjab",
      address: "Mall Road",
      time_zone: "Asia/Karachi",
      phone: "",
      email: "",
      mon_0_opens: "08:00",
      mon_0_closes: "16:00",
      fri_0_opens: "08:00",
      fri_0_closes: "12:00",
      fri_1_opens: "14:00",
      fri_1_closes: "16:00",
      exceptions: "2027-03-10 10:00-14:00 Ramzan",
    };
    const saved = await app.inject({
      method: "POST",
      url: `/staff/centres/${own.code}`,
      headers: { ...FORM, cookie },
      payload: form(fields),
    });
    assert.equal(saved.statusCode, 200);
    assert.ok(saved.body.includes('value="ترمیم شدہ نام"'));
    const api = (await app.inject({ method: "GET", url: `/api/v1/centres/${own.code}` })).json();
    assert.deepEqual(api.opening_hours, {
      mon: [{ opens: "08:00", closes: "16:00" }],
      fri: [
        { opens: "08:00", closes: "12:00" },
        { opens: "14:00", closes: "16:00" },
      ],
    });
    assert.deepEqual(api.exceptions, [
      { date: "2027-03-10", closed: false, opens: "10:00", closes: "14:00", note: "Ramzan" },
    ]);

    const bad = await app.inject({
      method: "POST",
      url: `/staff/centres/${own.code}`,
      headers: { ...FORM, cookie },
      payload: form({ ...fields, name_en: "", mon_0_closes: "07:00" }),
    });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.body.includes('id="e-name_en"'));
    assert.ok(bad.body.includes('id="e-mon_0_closes"'));
    const unchanged = (await app.inject({ method: "GET", url: `/api/v1/centres/${own.code}` })).json();
    assert.equal(unchanged.name_en, "Edited name", "a failed save changes nothing");
  });

  it("the settings page of another centre is refused to its non-manager", async () => {
    const res = await app.inject({
      method: "GET",
      url: `/staff/centres/${other.code}`,
      headers: { cookie: session.manager!.cookie },
    });
    assert.equal(res.statusCode, 403);
  });
});
