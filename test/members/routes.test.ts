import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { listAuditEntries } from "../../src/audit/queries.ts";
import { manualClock } from "../../src/db/clock.ts";
import { memberByCard } from "../../src/members/cards.ts";
import { signMemberRef } from "../../src/members/card/reference.ts";
import { findMemberByNumber } from "../../src/members/queries.ts";
import type { App } from "../../src/server/app.ts";
import {
  cookiesOf,
  csrfFrom,
  form,
  FORM,
  makeCentre,
  makeStaff,
  nextAddress,
  signIn,
  TEST_SECRET,
  testApp,
} from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";

const CNIC = "35202-1234567-3";

onBothDatabases("members at the desk and online", (get) => {
  const clock = manualClock("2026-11-25T06:00:00Z");
  let app: App;
  const who: Record<string, { cookie: string; csrf: string }> = {};
  let categoryId = "";

  before(async () => {
    const tdb = get();
    const centre = await makeCentre(tdb, {}, true);
    const other = await makeCentre(tdb);
    app = await testApp(tdb, { clock });
    for (const [key, role, centreId] of [
      ["hq", "hq_admin", null],
      ["manager", "centre_manager", centre.id],
      ["staff", "staff", centre.id],
      ["instructor", "instructor", centre.id],
      ["otherStaff", "staff", other.id],
      ["otherManager", "centre_manager", other.id],
    ] as const) {
      const u = await makeStaff(tdb, role, centreId);
      who[key] = await signIn(app, u.username);
    }
    const page = await app.inject({
      method: "GET",
      url: "/staff/members/new",
      headers: { cookie: who.staff!.cookie },
    });
    categoryId = /<option value="([0-9a-f-]{36})" selected/.exec(page.body)![1]!;
  });
  after(() => app?.close());

  function fields(over: Record<string, string> = {}): Record<string, string> {
    return {
      full_name_ur: "عائشہ خان",
      full_name_en: "Ayesha Khan",
      id_kind: "cnic",
      cnic: CNIC,
      phone: "0300 1234567",
      date_of_birth: "1995-04-12",
      district: "Lahore",
      education: "graduate",
      category_id: categoryId,
      consent: "yes",
      ...over,
    };
  }

  const post = (url: string, as: string, body: Record<string, string>) =>
    app.inject({
      method: "POST",
      url,
      headers: { ...FORM, cookie: who[as]!.cookie },
      payload: form({ _csrf: who[as]!.csrf, ...body }),
    });
  const getAs = (url: string, as: string) =>
    app.inject({ method: "GET", url, headers: { cookie: who[as]!.cookie } });
  const count = async () =>
    Number(
      (
        await get()
          .db.selectFrom("members")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  let memberId = "";
  let memberNo = "";

  it("the desk registers a member; the CNIC is stored encrypted and shown masked", async () => {
    const res = await post("/staff/members/new", "staff", fields({ cnic: "۳۵۲۰۲۱۲۳۴۵۶۷۳" }));
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    memberId = /\/staff\/members\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
    const page = await getAs(`/staff/members/${memberId}?done=registered`, "staff");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /35202-\*{7}-3/);
    assert.doesNotMatch(page.body, /1234567-3|3520212345673/);
    const row = await get()
      .db.selectFrom("members")
      .selectAll()
      .where("id", "=", memberId)
      .executeTakeFirstOrThrow();
    memberNo = row.member_no;
    assert.match(memberNo, /^T-\d+-\d+-000001$/);
    assert.equal(row.phone_e164, "+923001234567");
    assert.equal(row.status, "active");
    for (const v of Object.values(row))
      assert.ok(!String(v).includes("3520212345673"), "no plain CNIC in any column");
    assert.match(row.cnic_enc!, /^v1:/);
  });

  it("bad input names each field and saves nothing", async () => {
    const before = await count();
    const res = await post(
      "/staff/members/new",
      "staff",
      fields({
        cnic: "35202-123456",
        phone: "12345",
        date_of_birth: "2030-01-01",
        consent: "",
        full_name_ur: "",
        full_name_en: "",
      }),
    );
    assert.equal(res.statusCode, 400);
    for (const id of ["e-cnic", "e-phone", "e-date_of_birth", "e-consent", "e-full_name_ur"]) {
      assert.match(res.body, new RegExp(`id="${id}"`), id);
    }
    assert.equal(await count(), before);
  });

  it("a CNIC registered already is refused with the member's number; same name and birth date asks first", async () => {
    const dup = await post("/staff/members/new", "staff", fields({ phone: "03001112222" }));
    assert.equal(dup.statusCode, 400);
    assert.match(dup.body, new RegExp(`already registered \\(member ${memberNo}\\)`));
    const twin = await post("/staff/members/new", "staff", fields({ cnic: "35202-7654321-4" }));
    assert.equal(twin.statusCode, 409);
    assert.match(twin.body, /name="confirm_not_duplicate"/);
    const ok = await post(
      "/staff/members/new",
      "staff",
      fields({ cnic: "35202-7654321-4", confirm_not_duplicate: "yes" }),
    );
    assert.equal(ok.statusCode, 303);
  });

  it("roles and centres: instructors and other centres are refused, headquarters is allowed", async () => {
    assert.equal((await getAs("/staff/members", "instructor")).statusCode, 403);
    assert.equal((await getAs(`/staff/members/${memberId}`, "otherStaff")).statusCode, 403);
    assert.equal((await getAs(`/staff/members/${memberId}`, "hq")).statusCode, 200);
    const list = await getAs("/staff/members", "otherStaff");
    assert.doesNotMatch(list.body, new RegExp(memberNo));
    const mine = await getAs(`/staff/members?q=${encodeURIComponent(CNIC)}`, "staff");
    assert.match(mine.body, new RegExp(memberNo), "a typed CNIC finds the member through its hash");
  });

  it("the full CNIC only for a manager who gives a reason, and the reason is audited", async () => {
    assert.equal(
      (await post(`/staff/members/${memberId}/reveal`, "staff", { reason: "checking" })).statusCode,
      403,
    );
    const short = await post(`/staff/members/${memberId}/reveal`, "manager", { reason: "x" });
    assert.equal(short.statusCode, 400);
    const res = await post(`/staff/members/${memberId}/reveal`, "manager", {
      reason: "NADRA verification call",
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /35202-1234567-3/);
    const audit = await listAuditEntries(get().db, { limit: 20, offset: 0 });
    const entry = audit.find((a) => a.action === "member.cnic_revealed");
    assert.ok(entry);
    assert.match(entry.details, /NADRA verification call/);
  });

  it("cards: printing gives a signed code; reprinting revokes the old one", async () => {
    const first = await post(`/staff/members/${memberId}/card`, "staff", { reason: "first" });
    assert.equal(first.statusCode, 303);
    const page = await getAs(`/staff/members/${memberId}/card`, "staff");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<svg/);
    assert.doesNotMatch(page.body, /1234567-3|3520212345673/);
    assert.match(String(page.headers["content-security-policy"]), /style-src 'self' 'sha256-/);
    const db = get().db;
    const oldRef = signMemberRef(TEST_SECRET, memberNo, 1);
    assert.equal((await memberByCard(db, TEST_SECRET, oldRef))?.id, memberId);
    await post(`/staff/members/${memberId}/card`, "staff", { reason: "lost" });
    assert.equal(await memberByCard(db, TEST_SECRET, oldRef), null, "the lost card no longer works");
    assert.equal(
      (await memberByCard(db, TEST_SECRET, signMemberRef(TEST_SECRET, memberNo, 2)))?.id,
      memberId,
    );
  });

  it("online self-registration waits for the desk; then the member signs in with the PIN", async () => {
    const join = await app.inject({ method: "GET", url: "/ur/join" });
    assert.equal(join.statusCode, 200);
    assert.match(join.body, /<html lang="ur" dir="rtl">/);
    clock.advance(5000);
    const res = await app.inject({
      method: "POST",
      url: "/ur/join",
      remoteAddress: nextAddress(),
      headers: FORM,
      payload: form({
        _csrf: csrfFrom(join.body),
        ...fields({
          cnic: "61101-1111111-1",
          full_name_en: "Bilal Ahmed",
          full_name_ur: "",
          phone: "03211234567",
        }),
        pin: "4826",
        pin_again: "4826",
      }),
    });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    const number = /(T-\d+-\d+-\d{6})/.exec(res.body)![1]!;
    const login = async (pin: string) => {
      const page = await app.inject({ method: "GET", url: "/en/account/login" });
      clock.advance(1000);
      return app.inject({
        method: "POST",
        url: "/en/account/login",
        remoteAddress: nextAddress(),
        headers: FORM,
        payload: form({ _csrf: csrfFrom(page.body), login: number, pin }),
      });
    };
    const pending = await login("4826");
    assert.equal(pending.statusCode, 403);
    assert.match(pending.body, /not confirmed yet/);
    const m = await findMemberByNumber(get().db, number);
    assert.equal((await post(`/staff/members/${m!.id}/confirm`, "staff", {})).statusCode, 303);
    const ok = await login("4826");
    assert.equal(ok.statusCode, 303);
    const cookie = `rasai_member=${cookiesOf(ok).rasai_member}`;
    const account = await app.inject({ method: "GET", url: "/en/account", headers: { cookie } });
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /61101-\*{7}-1/);
    const data = await app.inject({ method: "GET", url: "/en/account/data.json", headers: { cookie } });
    assert.equal(JSON.parse(data.body).cnic, "61101-1111111-1");
    assert.equal(
      (await app.inject({ method: "GET", url: "/en/account" })).statusCode,
      303,
      "signed out → sign-in page",
    );
    // Staff cookies do not open a member's account.
    assert.equal((await getAs("/en/account", "manager")).statusCode, 303);
  });

  it("five wrong PINs lock the member; the desk resets the PIN after checking identity", async () => {
    const login = async (pin: string) => {
      const page = await app.inject({ method: "GET", url: "/ur/account/login" });
      clock.advance(1000);
      return app.inject({
        method: "POST",
        url: "/ur/account/login",
        remoteAddress: nextAddress(),
        headers: FORM,
        payload: form({ _csrf: csrfFrom(page.body), login: "0300-1234567", pin }),
      });
    };
    const noPin = await post(`/staff/members/${memberId}/pin`, "staff", { pin: "7391", pin_again: "7391" });
    assert.equal(noPin.statusCode, 400, "identity check is required");
    assert.equal(
      (
        await post(`/staff/members/${memberId}/pin`, "staff", {
          identity_checked: "yes",
          pin: "7391",
          pin_again: "7391",
        })
      ).statusCode,
      303,
    );
    for (let i = 0; i < 4; i++) assert.equal((await login("0000")).statusCode, 401);
    assert.equal((await login("0000")).statusCode, 423);
    assert.equal((await login("7391")).statusCode, 423, "locked even with the right PIN");
    await post(`/staff/members/${memberId}/pin`, "staff", {
      identity_checked: "yes",
      pin: "5827",
      pin_again: "5827",
    });
    assert.equal((await login("5827")).statusCode, 303);
  });

  it("categories and retention are the manager's", async () => {
    assert.equal((await getAs("/staff/members/categories", "staff")).statusCode, 403);
    const page = await getAs("/staff/members/categories", "manager");
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Student/);
    const add = await post("/staff/members/categories", "manager", {
      code: "farmer",
      name_ur: "کسان",
      name_en: "Farmer",
    });
    assert.equal(add.statusCode, 200);
    assert.match(add.body, /farmer/);
    const bad = await post("/staff/members/retention", "manager", { retention_months: "2" });
    assert.equal(bad.statusCode, 400);
    assert.equal(
      (await post("/staff/members/retention", "manager", { retention_months: "24" })).statusCode,
      200,
    );
  });

  it("erasure removes the person and keeps the anonymous row", async () => {
    assert.equal(
      (await post(`/staff/members/${memberId}/erase`, "staff", { confirm: memberNo })).statusCode,
      403,
    );
    assert.equal(
      (await post(`/staff/members/${memberId}/erase`, "manager", { confirm: "wrong" })).statusCode,
      400,
    );
    assert.equal(
      (await post(`/staff/members/${memberId}/erase`, "manager", { confirm: memberNo })).statusCode,
      200,
    );
    const row = await get()
      .db.selectFrom("members")
      .selectAll()
      .where("id", "=", memberId)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, "erased");
    for (const k of [
      "full_name_ur",
      "full_name_en",
      "cnic_enc",
      "cnic_hash",
      "cnic_masked",
      "phone_e164",
      "date_of_birth",
      "pin_hash",
    ] as const) {
      assert.equal(row[k], null, k);
    }
    assert.equal(row.district, "Lahore", "anonymous facts stay for statistics");
    assert.equal((await getAs(`/staff/members/${memberId}`, "manager")).statusCode, 404);
  });
});
