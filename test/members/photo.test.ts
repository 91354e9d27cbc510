// Member photos end to end: real multipart uploads over HTTP, what is stored (a small upright
// JPEG without metadata, encrypted), who may see it, the card page and PDF, refused uploads,
// replace, remove, export, key rotation and erasure; on SQLite and PostgreSQL.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import type { Actor } from "../../src/audit/actor.ts";
import { listAuditEntries } from "../../src/audit/queries.ts";
import { manualClock } from "../../src/db/clock.ts";
import { newId } from "../../src/db/ids.ts";
import type { MemberPhotoTable } from "../../src/db/schema.ts";
import { rotateDataKey } from "../../src/members/keyRotation.ts";
import { processMemberPhoto, PHOTO_BUDGET_BYTES } from "../../src/members/photo/process.ts";
import { preparePhoto, setMemberPhoto } from "../../src/members/photos.ts";
import { memberKeys } from "../../src/members/routes/context.ts";
import { findMemberById } from "../../src/members/queries.ts";
import type { App } from "../../src/server/app.ts";
import { ValidationFailed } from "../../src/server/errors.ts";
import {
  cookiesOf,
  csrfFrom,
  form,
  FORM,
  makeCentre,
  makeStaff,
  nextAddress,
  signIn,
  testApp,
} from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";

const RED = { r: 208, g: 0, b: 0 };
const BLUE = { r: 0, g: 0, b: 208 };

/**
 * A phone-style photo: stored sideways (600 × 400, EXIF orientation 6, so it is seen as a 400 × 600
 * portrait with the red half on top), with a camera make, a copyright line and a GPS position.
 */
async function cameraPhoto(top = RED, bottom = BLUE): Promise<Buffer> {
  const left = await sharp({ create: { width: 300, height: 400, channels: 3, background: top } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 600, height: 400, channels: 3, background: bottom } })
    .composite([{ input: left, left: 0, top: 0 }])
    .withExif({
      IFD0: { Make: "TestCam", Copyright: "Rasai test" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "31/1 30/1 0/1",
        GPSLongitudeRef: "E",
        GPSLongitude: "74/1 20/1 0/1",
      },
    })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function pixel(jpeg: Buffer, x: number, y: number) {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return { r: data[i]!, g: data[i + 1]!, b: data[i + 2]! };
}

function near(actual: { r: number; g: number; b: number }, want: { r: number; g: number; b: number }) {
  return (
    Math.abs(actual.r - want.r) < 40 && Math.abs(actual.g - want.g) < 40 && Math.abs(actual.b - want.b) < 40
  );
}

/** Checks a stored photo: a 300 × 400 JPEG, upright, within budget, with no metadata at all. */
async function assertCleanPortrait(jpeg: Buffer, top = RED, bottom = BLUE) {
  const meta = await sharp(jpeg).metadata();
  assert.equal(meta.format, "jpeg");
  assert.equal(meta.width, 300);
  assert.equal(meta.height, 400);
  assert.equal(meta.exif, undefined, "no EXIF");
  assert.equal(meta.xmp, undefined, "no XMP");
  assert.equal(meta.icc, undefined, "no ICC profile");
  assert.equal(meta.orientation, undefined, "no orientation tag: the pixels are upright");
  assert.ok(jpeg.length <= PHOTO_BUDGET_BYTES, `${jpeg.length} bytes`);
  for (const text of ["TestCam", "Rasai test", "Exif"]) assert.ok(!jpeg.includes(text), text);
  assert.ok(near(await pixel(jpeg, 150, 20), top), "the top of the picture is on top");
  assert.ok(near(await pixel(jpeg, 150, 380), bottom), "the bottom of the picture is at the bottom");
}

describe("member photo processing", () => {
  it("turns a sideways camera photo upright, crops it to 300 × 400 and drops EXIF and GPS", async () => {
    const input = await cameraPhoto();
    assert.equal((await sharp(input).metadata()).orientation, 6);
    const out = await processMemberPhoto(input);
    assert.equal(out.width, 300);
    assert.equal(out.height, 400);
    await assertCleanPortrait(out.jpeg);
  });

  it("takes PNG (transparency becomes white), WebP and AVIF; upscales a small but usable picture", async () => {
    const png = await sharp({
      create: { width: 160, height: 210, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const fromPng = await processMemberPhoto(png);
    assert.ok(near(await pixel(fromPng.jpeg, 10, 10), { r: 255, g: 255, b: 255 }));
    for (const format of ["webp", "avif"] as const) {
      const input = await sharp(await cameraPhoto())
        .autoOrient()
        .toFormat(format)
        .toBuffer();
      const out = await processMemberPhoto(input);
      await assertCleanPortrait(out.jpeg);
    }
  });

  it("refuses what is not a usable photo, with a field code for the form", async () => {
    const refused = async (bytes: Buffer | null, code: string) => {
      await assert.rejects(preparePhoto(bytes), (e: unknown) => {
        assert.ok(e instanceof ValidationFailed);
        assert.deepEqual(e.fields, [{ path: "/photo", code }]);
        return true;
      });
    };
    await refused(null, "required");
    await refused(Buffer.alloc(0), "required");
    await refused(Buffer.from("hello, not a picture"), "photo_not_an_image");
    await refused(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), "photo_unsupported_format");
    const gif = await sharp({ create: { width: 400, height: 400, channels: 3, background: "#888" } })
      .gif()
      .toBuffer();
    await refused(gif, "photo_unsupported_format");
    const tiny = await sharp({ create: { width: 120, height: 160, channels: 3, background: "#888" } })
      .png()
      .toBuffer();
    await refused(tiny, "photo_too_small");
    const wide = await sharp({ create: { width: 2000, height: 150, channels: 3, background: "#888" } })
      .png()
      .toBuffer();
    await refused(wide, "photo_too_small");
    const photo = await cameraPhoto();
    await refused(photo.subarray(0, Math.floor(photo.length / 2)), "photo_not_an_image");
    await refused(Buffer.concat([photo, Buffer.alloc(15 * 1024 * 1024)]), "photo_too_large");
    // 48 megapixels of one colour: small on disk, refused before it is decoded.
    const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: "#888" } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    await refused(bomb, "photo_too_many_pixels");
  });
});

onBothDatabases("member photos", (get) => {
  const clock = manualClock("2026-11-25T06:00:00Z");
  let app: App;
  let base = "";
  const who: Record<string, { cookie: string; csrf: string }> = {};
  let categoryId = "";
  let memberId = "";
  let memberNo = "";
  let otherMemberId = "";

  before(async () => {
    const tdb = get();
    const centre = await makeCentre(tdb, {}, true);
    const other = await makeCentre(tdb);
    app = await testApp(tdb, { clock });
    base = (await app.listen({ port: 0, host: "127.0.0.1" })).replace(/\/$/, "");
    for (const [key, role, centreId] of [
      ["hq", "hq_admin", null],
      ["manager", "centre_manager", centre.id],
      ["staff", "staff", centre.id],
      ["urStaff", "staff", centre.id],
      ["instructor", "instructor", centre.id],
      ["otherStaff", "staff", other.id],
      ["otherManager", "centre_manager", other.id],
    ] as const) {
      const u = await makeStaff(tdb, role, centreId);
      if (key === "urStaff") {
        await tdb.db.updateTable("staff_users").set({ locale: "ur" }).where("id", "=", u.id).execute();
      }
      who[key] = await signIn(app, u.username);
    }
    const page = await getAs("/staff/members/new", "staff");
    categoryId = /<option value="([0-9a-f-]{36})" selected/.exec(page.body)![1]!;
    memberId = await register("35202-1234567-3", "03001234567", "Ayesha Khan");
    otherMemberId = await register("35202-7654321-4", "03007654321", "Bilal Ahmed");
    memberNo = (await findMemberById(tdb.db, memberId))!.member_no;
  });
  after(() => app?.close());

  const getAs = (url: string, as: string) =>
    app.inject({ method: "GET", url, headers: { cookie: who[as]!.cookie } });
  const post = (url: string, as: string, body: Record<string, string>) =>
    app.inject({
      method: "POST",
      url,
      headers: { ...FORM, cookie: who[as]!.cookie },
      payload: form({ _csrf: who[as]!.csrf, ...body }),
    });

  async function register(cnic: string, phone: string, name: string): Promise<string> {
    const res = await post("/staff/members/new", "staff", {
      full_name_en: name,
      id_kind: "cnic",
      cnic,
      phone,
      date_of_birth: "1995-04-12",
      district: "Lahore",
      education: "graduate",
      category_id: categoryId,
      consent: "yes",
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    return /\/staff\/members\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
  }

  /** A real multipart upload over HTTP, as the desk's browser sends the form. */
  async function upload(
    as: string,
    file: Buffer | null,
    opts: { id?: string; filename?: string; type?: string } = {},
  ) {
    const body = new FormData();
    body.append("_csrf", who[as]!.csrf);
    body.append(
      "photo",
      new Blob([new Uint8Array(file ?? [])], { type: opts.type ?? "image/jpeg" }),
      opts.filename ?? "photo.jpg",
    );
    const res = await fetch(`${base}/staff/members/${opts.id ?? memberId}/photo`, {
      method: "POST",
      headers: { cookie: who[as]!.cookie },
      body,
      redirect: "manual",
    });
    return { status: res.status, location: res.headers.get("location"), body: await res.text() };
  }

  async function photoRows(id = memberId): Promise<MemberPhotoTable[]> {
    return get()
      .db.selectFrom("member_photos")
      .selectAll()
      .where("member_id", "=", id)
      .orderBy("id")
      .execute();
  }
  const audit = async (action: string) =>
    (await listAuditEntries(get().db, { entity: "member", entityId: memberId, limit: 200 })).filter(
      (a) => a.action === action,
    );
  async function photoAs(as: string, id = memberId) {
    const res = await fetch(`${base}/staff/members/${id}/photo`, {
      headers: { cookie: who[as]!.cookie },
      redirect: "manual",
    });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  let firstPhoto = Buffer.alloc(0);

  it("the desk uploads a photo: stored upright, 300 × 400, without metadata, encrypted, audited", async () => {
    const detail = await getAs(`/staff/members/${memberId}`, "staff");
    assert.match(detail.body, /enctype="multipart\/form-data"/);
    assert.match(detail.body, /type="file" accept="image\/\*"/);
    assert.match(detail.body, /No photo yet\./);

    const res = await upload("staff", await cameraPhoto());
    assert.equal(res.status, 303, res.body.slice(0, 500));
    assert.equal(res.location, `/staff/members/${memberId}?done=photo_saved#photo`);

    const rows = await photoRows();
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.equal(row.deleted_at, null);
    assert.equal(row.content_type, "image/jpeg");
    assert.deepEqual([row.width, row.height], [300, 400]);
    assert.ok(Buffer.isBuffer(row.bytes), "bytes come back as a Buffer on both databases");
    assert.equal(row.key_id, memberKeys(app).currentDataKeyId);
    assert.equal(row.bytes!.length, row.byte_size + 28, "IV + ciphertext + tag");
    assert.ok(!row.bytes!.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])), "not a plain JPEG");
    const member = await findMemberById(get().db, memberId);
    assert.equal(member!.photo_path, row.id);

    const served = await photoAs("staff");
    assert.equal(served.status, 200);
    assert.equal(served.headers.get("content-type"), "image/jpeg");
    assert.equal(served.headers.get("cache-control"), "private, no-store");
    assert.equal(served.bytes.length, row.byte_size);
    await assertCleanPortrait(served.bytes);
    firstPhoto = served.bytes;

    const page = await getAs(`/staff/members/${memberId}?done=photo_saved`, "staff");
    assert.match(page.body, /Photo saved\./);
    assert.match(page.body, new RegExp(`<img src="/staff/members/${memberId}/photo\\?v=[0-9a-f]{12}"`));
    assert.match(page.body, /Replace photo/);
    assert.match(page.body, /Remove photo/);

    const added = await audit("member.photo_added");
    assert.equal(added.length, 1);
    assert.equal(added[0]!.actor_kind, "staff");
    assert.match(added[0]!.details, new RegExp(row.id));
  });

  it("only the desk of the member's centre, headquarters and the member themself see it", async () => {
    for (const as of ["staff", "manager", "hq"]) assert.equal((await photoAs(as)).status, 200, as);
    for (const as of ["instructor", "otherStaff", "otherManager"]) {
      const res = await photoAs(as);
      assert.equal(res.status, 403, as);
      assert.ok(!res.bytes.includes(firstPhoto.subarray(200, 260)), `${as} gets no photo bytes`);
    }
    const anonymous = await fetch(`${base}/staff/members/${memberId}/photo`, { redirect: "manual" });
    assert.equal(anonymous.status, 303);
    assert.match(anonymous.headers.get("location")!, /^\/staff\/login\?next=/);
    const noPhoto = await photoAs("staff", otherMemberId);
    assert.equal(noPhoto.status, 404, "a member without a photo");
    assert.equal(noPhoto.headers.get("cache-control"), "private, no-store", "not even a 404 is cached");
    assert.equal((await photoAs("otherStaff")).headers.get("cache-control"), "private, no-store");

    // The member signs in (the desk sets a PIN) and sees their own photo, and nobody else's.
    const signInMember = async (id: string, phone: string) => {
      const pin = await post(`/staff/members/${id}/pin`, "staff", {
        identity_checked: "yes",
        pin: "7391",
        pin_again: "7391",
      });
      assert.equal(pin.statusCode, 303);
      const page = await app.inject({ method: "GET", url: "/en/account/login" });
      clock.advance(1000);
      const res = await app.inject({
        method: "POST",
        url: "/en/account/login",
        remoteAddress: nextAddress(),
        headers: FORM,
        payload: form({ _csrf: csrfFrom(page.body), login: phone, pin: "7391" }),
      });
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      return `rasai_member=${cookiesOf(res).rasai_member}`;
    };
    const mine = await signInMember(memberId, "03001234567");
    const account = await app.inject({ method: "GET", url: "/en/account", headers: { cookie: mine } });
    assert.match(account.body, /<img src="\/en\/account\/photo" alt="Your photo"/);
    for (const locale of ["en", "ur"]) {
      const own = await app.inject({
        method: "GET",
        url: `/${locale}/account/photo`,
        headers: { cookie: mine },
      });
      assert.equal(own.statusCode, 200);
      assert.equal(own.headers["cache-control"], "private, no-store");
      assert.ok(own.rawPayload.equals(firstPhoto));
    }
    // A member's cookie opens no staff address, and another member has only their own (none).
    const staffUrl = await app.inject({
      method: "GET",
      url: `/staff/members/${memberId}/photo`,
      headers: { cookie: mine },
    });
    assert.equal(staffUrl.statusCode, 303);
    const theirs = await signInMember(otherMemberId, "03007654321");
    const other = await app.inject({ method: "GET", url: "/en/account/photo", headers: { cookie: theirs } });
    assert.equal(other.statusCode, 404);
    const otherAccount = await app.inject({ method: "GET", url: "/en/account", headers: { cookie: theirs } });
    assert.doesNotMatch(otherAccount.body, /account\/photo/);
    assert.equal((await app.inject({ method: "GET", url: "/en/account/photo" })).statusCode, 303);

    // The export holds the photo itself.
    const data = await app.inject({ method: "GET", url: "/en/account/data.json", headers: { cookie: mine } });
    const json = JSON.parse(data.body);
    assert.equal(json.has_photo, true);
    assert.equal(json.photo.content_type, "image/jpeg");
    assert.ok(Buffer.from(json.photo.base64, "base64").equals(firstPhoto));
    const none = await app.inject({
      method: "GET",
      url: "/en/account/data.json",
      headers: { cookie: theirs },
    });
    assert.equal(JSON.parse(none.body).has_photo, false);
    assert.equal(JSON.parse(none.body).photo, null);
  });

  it("the card print page and its PDF carry the photo", async () => {
    assert.equal(
      (await post(`/staff/members/${memberId}/card`, "staff", { reason: "first" })).statusCode,
      303,
    );
    const page = await getAs(`/staff/members/${memberId}/card`, "staff");
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers["content-security-policy"]), /img-src 'self' data:/);
    assert.ok(page.body.includes(`<img src="data:image/jpeg;base64,${firstPhoto.toString("base64")}"`));
    assert.doesNotMatch(page.body, /class="photo placeholder"/);

    const pdf = await fetch(`${base}/staff/members/${memberId}/card.pdf`, {
      headers: { cookie: who.staff!.cookie },
    });
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get("content-type"), "application/pdf");
    const bytes = Buffer.from(await pdf.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString(), "%PDF-");
    // The QR code, barcode and text are vector; the only raster image is the photo.
    assert.match(bytes.toString("latin1"), /\/Subtype\s*\/Image/);
  });

  it("a refused upload says why next to the field, in the staff member's language, and changes nothing", async () => {
    const before = {
      rows: await photoRows(),
      audit: (await listAuditEntries(get().db, { limit: 500 })).length,
    };
    const refusals: [string, Buffer | null, RegExp, number?][] = [
      ["nothing chosen", null, /This field is required\./],
      ["a text file", Buffer.from("not a picture at all"), /This file is not a photo\./],
      [
        "a GIF",
        await sharp({ create: { width: 400, height: 400, channels: 3, background: "#888" } })
          .gif()
          .toBuffer(),
        /Use a JPEG, PNG, WebP or AVIF photo\./,
      ],
      [
        "a thumbnail",
        await sharp({ create: { width: 100, height: 120, channels: 3, background: "#888" } })
          .png()
          .toBuffer(),
        /The photo is too small: at least 150 pixels wide and 200 high\./,
      ],
      ["half a JPEG", (await cameraPhoto()).subarray(0, 1200), /This file is not a photo\./],
      [
        "over the upload limit",
        Buffer.concat([await cameraPhoto(), Buffer.alloc(15 * 1024 * 1024)]),
        /The photo file is too large: at most 15 MB\./,
        413,
      ],
    ];
    for (const [what, file, message, status] of refusals) {
      const res = await upload("staff", file);
      assert.equal(res.status, status ?? 400, `${what}: ${res.body.slice(0, 300)}`);
      assert.match(res.body, /id="e-photo"/, what);
      assert.match(res.body, message, what);
      assert.match(res.body, /aria-invalid="true"/, what);
    }
    const urdu = await upload("urStaff", Buffer.from("not a picture at all"));
    assert.equal(urdu.status, 400);
    assert.match(urdu.body, /<html lang="ur" dir="rtl">/);
    assert.ok(urdu.body.includes("یہ فائل تصویر نہیں۔"), "the Urdu message");
    const urduBig = await upload(
      "urStaff",
      Buffer.concat([await cameraPhoto(), Buffer.alloc(15 * 1024 * 1024)]),
    );
    assert.equal(urduBig.status, 413);
    assert.ok(urduBig.body.includes("تصویر کی فائل بہت بڑی ہے"));

    const noSuchMember = await upload(
      "staff",
      Buffer.concat([await cameraPhoto(), Buffer.alloc(15 * 1024 * 1024)]),
      { id: "not-a-member-id" },
    );
    assert.equal(noSuchMember.status, 413, "a plain refusal, not a server error");

    assert.deepEqual(await photoRows(), before.rows, "the photo rows are as they were");
    assert.equal((await listAuditEntries(get().db, { limit: 500 })).length, before.audit, "nothing audited");
    assert.ok((await photoAs("staff")).bytes.equals(firstPhoto), "the photo is unchanged");
  });

  it("a form without the session's CSRF token, other centres and instructors change nothing", async () => {
    const before = await photoRows();
    const body = new FormData();
    body.append(
      "photo",
      new Blob([new Uint8Array(await cameraPhoto(BLUE, RED))], { type: "image/jpeg" }),
      "x.jpg",
    );
    const noToken = await fetch(`${base}/staff/members/${memberId}/photo`, {
      method: "POST",
      headers: { cookie: who.staff!.cookie },
      body,
      redirect: "manual",
    });
    assert.equal(noToken.status, 403);
    for (const as of ["instructor", "otherStaff", "otherManager"]) {
      assert.equal((await upload(as, await cameraPhoto(BLUE, RED))).status, 403, as);
      assert.equal((await post(`/staff/members/${memberId}/photo/remove`, as, {})).statusCode, 403, as);
    }
    assert.deepEqual(await photoRows(), before);
  });

  it("replacing tombstones the old photo and clears its bytes; removing leaves none", async () => {
    const first = (await photoRows())[0]!;
    const res = await upload("manager", await cameraPhoto(BLUE, RED), { filename: "again.png" });
    assert.equal(res.status, 303, res.body.slice(0, 300));
    const rows = await photoRows();
    assert.equal(rows.length, 2);
    const old = rows.find((r) => r.id === first.id)!;
    const current = rows.find((r) => r.id !== first.id)!;
    assert.ok(old.deleted_at, "the old row is a tombstone");
    assert.equal(old.bytes, null, "and keeps no bytes");
    assert.equal(old.key_id, null);
    assert.equal(current.deleted_at, null);
    assert.equal((await findMemberById(get().db, memberId))!.photo_path, current.id);
    const served = await photoAs("staff");
    await assertCleanPortrait(served.bytes, BLUE, RED);
    assert.ok(!served.bytes.equals(firstPhoto));
    assert.equal((await audit("member.photo_replaced")).length, 1);
    // Headquarters may replace it too.
    assert.equal((await upload("hq", await cameraPhoto())).status, 303);
    assert.equal((await photoRows()).filter((r) => r.deleted_at === null).length, 1);

    const removed = await post(`/staff/members/${memberId}/photo/remove`, "staff", {});
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, `/staff/members/${memberId}?done=photo_removed#photo`);
    const after = await photoRows();
    assert.equal(after.length, 3);
    for (const r of after) {
      assert.ok(r.deleted_at);
      assert.equal(r.bytes, null);
    }
    assert.equal((await findMemberById(get().db, memberId))!.photo_path, null);
    assert.equal((await photoAs("staff")).status, 404);
    const page = await getAs(`/staff/members/${memberId}?done=photo_removed`, "staff");
    assert.match(page.body, /Photo removed\./);
    assert.match(page.body, /No photo yet\./);
    const card = await getAs(`/staff/members/${memberId}/card`, "staff");
    assert.doesNotMatch(card.body, /data:image\/jpeg/);
    assert.match(card.body, /class="photo placeholder"/);
    const pdf = await fetch(`${base}/staff/members/${memberId}/card.pdf`, {
      headers: { cookie: who.staff!.cookie },
    });
    assert.equal(pdf.status, 200);
    assert.doesNotMatch(Buffer.from(await pdf.arrayBuffer()).toString("latin1"), /\/Subtype\s*\/Image/);
    assert.equal((await audit("member.photo_removed")).length, 1);
    // Removing again is harmless and records nothing more.
    assert.equal((await post(`/staff/members/${memberId}/photo/remove`, "staff", {})).statusCode, 303);
    assert.equal((await audit("member.photo_removed")).length, 1);
  });

  it("a failure inside the transaction leaves the photo as it was", async () => {
    assert.equal((await upload("staff", await cameraPhoto())).status, 303);
    const before = await photoRows();
    const keys = memberKeys(app);
    const photo = await preparePhoto(await cameraPhoto(BLUE, RED));
    // A current data key this server does not hold: encryption fails after the member row and
    // the old photo's tombstone were written in the same transaction.
    const broken = { ...keys, currentDataKeyId: "000000000000" };
    const actor: Actor = {
      kind: "staff",
      id: newId(),
      name: "hq",
      role: "hq_admin",
      centreId: null,
      ip: null,
    };
    await assert.rejects(
      get()
        .db.transaction()
        .execute((trx) => setMemberPhoto(trx, memberId, photo, { actor, clock, keys: broken })),
      /data key 000000000000 is not available/,
    );
    assert.deepEqual(await photoRows(), before);
    assert.equal((await findMemberById(get().db, memberId))!.photo_path, before.at(-1)!.id);
  });

  it("rotating the data key re-encrypts photos, and the photo still shows", async () => {
    const keys = memberKeys(app);
    const oldKey = keys.currentDataKeyId;
    const before = (await photoAs("staff")).bytes;
    const result = await rotateDataKey(get().db, keys);
    assert.equal(result.photos, 1);
    const live = (await photoRows()).find((r) => r.deleted_at === null)!;
    assert.equal(live.key_id, result.newKeyId);
    assert.notEqual(live.key_id, oldKey);
    assert.ok((await photoAs("staff")).bytes.equals(before));
    assert.ok(
      fs.existsSync(path.join(keys.dir, "retired", `data-${oldKey}.key`)),
      "no row needs the old key",
    );
  });

  it("erasing the member tombstones the photo and clears its bytes", async () => {
    const res = await post(`/staff/members/${memberId}/erase`, "manager", { confirm: memberNo });
    assert.equal(res.statusCode, 200);
    for (const r of await photoRows()) {
      assert.ok(r.deleted_at);
      assert.equal(r.bytes, null);
      assert.equal(r.key_id, null);
    }
    assert.equal((await findMemberById(get().db, memberId))!.photo_path, null);
    assert.equal((await photoAs("manager")).status, 404);
  });
});
