import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { App } from "../../src/server/app.ts";
import { MAX_FAILED_LOGINS } from "../../src/identity/authenticateStaff.ts";
import { listAuditEntries } from "../../src/audit/queries.ts";
import { onBothDatabases } from "../helpers/db.ts";
import {
  cookiesOf,
  csrfFrom,
  form,
  FORM,
  makeCentre,
  makeStaff,
  nextAddress,
  PASSWORD,
  signIn,
  testApp,
} from "../helpers/app.ts";

onBothDatabases("staff sign-in", (get) => {
  let app: App;
  let centreId: string;
  before(async () => {
    app = await testApp(get());
    centreId = (await makeCentre(get(), {}, true)).id;
  });
  after(() => app.close());

  async function postLogin(username: string, password: string, extra: Record<string, string> = {}) {
    const page = await app.inject({ method: "GET", url: "/staff/login" });
    return app.inject({
      method: "POST",
      url: "/staff/login",
      remoteAddress: nextAddress(),
      headers: FORM,
      payload: form({ _csrf: csrfFrom(page.body), username, password, next: "/staff", ...extra }),
    });
  }

  it("signs in with the right password, opens a server-side session, and audits it", async () => {
    const user = await makeStaff(get(), "staff", centreId);
    const res = await postLogin(user.username, PASSWORD);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/staff");
    const set = String(res.headers["set-cookie"]);
    assert.match(set, /rasai_staff=/);
    assert.match(set, /HttpOnly/);
    assert.match(set, /SameSite=Lax/);
    const token = cookiesOf(res).rasai_staff!;
    const rows = await get()
      .db.selectFrom("sessions")
      .selectAll()
      .where("subject_id", "=", user.id)
      .execute();
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]!.id, token, "the database keeps a hash, not the token");
    const dash = await app.inject({
      method: "GET",
      url: "/staff",
      headers: { cookie: `rasai_staff=${token}` },
    });
    assert.equal(dash.statusCode, 200);
    assert.match(dash.body, new RegExp(user.display_name));
    const audit = await listAuditEntries(get().db, { entity: "staff_user", entityId: user.id });
    assert.ok(audit.some((a) => a.action === "staff.login"));
  });

  it("says the same thing for a wrong password and an unknown user, in the page's language", async () => {
    const user = await makeStaff(get(), "staff", centreId);
    const wrong = await postLogin(user.username, "not the password");
    const unknown = await postLogin("nobody-here", "whatever");
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.match(wrong.body, /The username or password is wrong|صارف نام یا پاس ورڈ غلط ہے/);
    const inUrdu = await app.inject({
      method: "POST",
      remoteAddress: nextAddress(),
      url: "/staff/login",
      headers: { ...FORM, "accept-language": "ur" },
      payload: form({
        _csrf: csrfFrom((await app.inject({ method: "GET", url: "/staff/login" })).body),
        username: "nobody",
        password: "x",
      }),
    });
    assert.match(inUrdu.body, /صارف نام یا پاس ورڈ غلط ہے/);
    assert.match(inUrdu.body, /value="nobody"/, "the typed username is kept");
  });

  it("shows which field is missing", async () => {
    const res = await postLogin("", "");
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="e-username"/);
    assert.match(res.body, /id="e-password"/);
  });

  it(`locks the account after ${MAX_FAILED_LOGINS} failures, even for the right password`, async () => {
    const user = await makeStaff(get(), "staff", centreId);
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++)
      assert.equal((await postLogin(user.username, "bad")).statusCode, 401);
    const locking = await postLogin(user.username, "bad");
    assert.equal(locking.statusCode, 423);
    const right = await postLogin(user.username, PASSWORD);
    assert.equal(right.statusCode, 423);
    assert.ok(right.body.includes("locked") || right.body.includes("بند کر دیا گیا"), "lock message shown");
    const audit = await listAuditEntries(get().db, { entity: "staff_user", entityId: user.id });
    assert.ok(audit.some((a) => a.action === "staff.locked"));
  });

  it("refuses a login form without a valid CSRF token or from another origin", async () => {
    const user = await makeStaff(get(), "staff", centreId);
    const noToken = await app.inject({
      method: "POST",
      url: "/staff/login",
      remoteAddress: nextAddress(),
      headers: FORM,
      payload: form({ username: user.username, password: PASSWORD }),
    });
    assert.equal(noToken.statusCode, 403);
    const forged = await postLogin(user.username, PASSWORD, { _csrf: "1.2.3" });
    assert.equal(forged.statusCode, 403);
    const page = await app.inject({ method: "GET", url: "/staff/login" });
    const crossSite = await app.inject({
      method: "POST",
      remoteAddress: nextAddress(),
      url: "/staff/login",
      headers: { ...FORM, origin: "https://evil.example" },
      payload: form({ _csrf: csrfFrom(page.body), username: user.username, password: PASSWORD }),
    });
    assert.equal(crossSite.statusCode, 403);
    assert.equal(
      (await get().db.selectFrom("sessions").selectAll().where("subject_id", "=", user.id).execute()).length,
      0,
    );
  });

  it("creates no session and no cookie for an anonymous reader of public pages", async () => {
    const res = await app.inject({ method: "GET", url: "/ur" });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["set-cookie"], undefined);
    const login = await app.inject({ method: "GET", url: "/staff/login" });
    assert.equal(login.headers["set-cookie"], undefined);
  });

  it("signs out: the session is gone from the database and the cookie no longer works", async () => {
    const user = await makeStaff(get(), "centre_manager", centreId);
    const { cookie, csrf } = await signIn(app, user.username);
    const out = await app.inject({
      method: "POST",
      url: "/staff/logout",
      headers: { ...FORM, cookie },
      payload: form({ _csrf: csrf }),
    });
    assert.equal(out.statusCode, 303);
    assert.equal(
      (await get().db.selectFrom("sessions").selectAll().where("subject_id", "=", user.id).execute()).length,
      0,
    );
    const after = await app.inject({ method: "GET", url: "/staff", headers: { cookie } });
    assert.equal(after.statusCode, 303);
    assert.match(String(after.headers.location), /^\/staff\/login\?next=/);
  });

  it("refuses a staff form whose CSRF token is missing or belongs to another session", async () => {
    const a = await makeStaff(get(), "staff", centreId);
    const b = await makeStaff(get(), "staff", centreId);
    const sa = await signIn(app, a.username);
    const sb = await signIn(app, b.username);
    const missing = await app.inject({
      method: "POST",
      url: "/staff/logout",
      headers: { ...FORM, cookie: sa.cookie },
      payload: "",
    });
    assert.equal(missing.statusCode, 403);
    const wrong = await app.inject({
      method: "POST",
      url: "/staff/logout",
      headers: { ...FORM, cookie: sa.cookie },
      payload: form({ _csrf: sb.csrf }),
    });
    assert.equal(wrong.statusCode, 403);
    assert.equal(
      (await get().db.selectFrom("sessions").selectAll().where("subject_id", "=", a.id).execute()).length,
      1,
    );
  });

  it("changes a password: checks the current one, signs other devices out, audits", async () => {
    const user = await makeStaff(get(), "instructor", centreId);
    const one = await signIn(app, user.username);
    const two = await signIn(app, user.username);
    const bad = await app.inject({
      method: "POST",
      url: "/staff/password",
      headers: { ...FORM, cookie: one.cookie },
      payload: form({
        _csrf: one.csrf,
        current_password: "nope",
        new_password: "a brand new passphrase",
        confirm_password: "a brand new passphrase",
      }),
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="e-current_password"/);
    const mismatch = await app.inject({
      method: "POST",
      url: "/staff/password",
      headers: { ...FORM, cookie: one.cookie },
      payload: form({
        _csrf: one.csrf,
        current_password: PASSWORD,
        new_password: "a brand new passphrase",
        confirm_password: "something else",
      }),
    });
    assert.equal(mismatch.statusCode, 400);
    assert.match(mismatch.body, /id="e-confirm_password"/);
    const ok = await app.inject({
      method: "POST",
      url: "/staff/password",
      headers: { ...FORM, cookie: one.cookie },
      payload: form({
        _csrf: one.csrf,
        current_password: PASSWORD,
        new_password: "a brand new passphrase",
        confirm_password: "a brand new passphrase",
      }),
    });
    assert.equal(ok.statusCode, 200);
    assert.equal(
      (await app.inject({ method: "GET", url: "/staff", headers: { cookie: one.cookie } })).statusCode,
      200,
    );
    assert.equal(
      (await app.inject({ method: "GET", url: "/staff", headers: { cookie: two.cookie } })).statusCode,
      303,
    );
    await signIn(app, user.username, "a brand new passphrase");
    const audit = await listAuditEntries(get().db, { entity: "staff_user", entityId: user.id });
    assert.ok(audit.some((a) => a.action === "staff.password_changed"));
  });

  it("offers the same session over the JSON API", async () => {
    const user = await makeStaff(get(), "staff", centreId);
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      remoteAddress: nextAddress(),
      payload: { username: user.username, password: PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().username, user.username);
    const cookie = `rasai_staff=${cookiesOf(res).rasai_staff}`;
    const me = await app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { cookie } });
    assert.equal(me.json().role, "staff");
    const anon = await app.inject({ method: "GET", url: "/api/v1/auth/me" });
    assert.equal(anon.statusCode, 401);
    assert.equal(anon.json().error.code, "unauthenticated");
  });

  it("rate-limits login attempts from one address", async () => {
    let last = 0;
    for (let i = 0; i < 12; i++) {
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        remoteAddress: "10.9.9.9",
        payload: { username: "x", password: "y" },
      });
      last = res.statusCode;
      if (last === 429) {
        assert.equal(res.json().error.code, "rate_limited");
        break;
      }
    }
    assert.equal(last, 429);
  });
});
