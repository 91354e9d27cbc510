import assert from "node:assert/strict";
import { before, it } from "node:test";
import { cliActor } from "../../src/audit/actor.ts";
import { manualClock } from "../../src/db/clock.ts";
import { ensureCategories } from "../../src/members/categories.ts";
import { loadMemberKeys } from "../../src/members/keys.ts";
import { eraseLapsedMembers, exportMemberData } from "../../src/members/privacy.ts";
import { registerMember, selfRegister } from "../../src/members/register.ts";
import { ValidationFailed } from "../../src/server/errors.ts";
import { makeCentre } from "../helpers/app.ts";
import { onBothDatabases } from "../helpers/db.ts";

onBothDatabases("member privacy: export, retention, public duplicate answer", (get) => {
  const clock = manualClock("2026-01-01T06:00:00Z");
  let centreId = "";
  let categoryId = "";
  const ctx = () => ({ actor: cliActor(), clock, keys: loadMemberKeys(get().dataDir, {}) });
  const fields = (cnic: string, name: string) => ({
    full_name_en: name,
    cnic,
    phone: "03331234567",
    date_of_birth: "1990-01-01",
    district: "Quetta",
    education: "matric",
    category_id: categoryId,
    consent: "yes",
  });

  before(async () => {
    centreId = (await makeCentre(get())).id;
    categoryId = (await ensureCategories(get().db, centreId, clock))[0]!.id;
  });

  it("a member's export holds their own data, with the full CNIC", async () => {
    const m = await registerMember(get().db, centreId, fields("54400-1234567-1", "Zahid"), ctx());
    const data = await exportMemberData(get().db, m, ctx());
    assert.equal(data.cnic, "54400-1234567-1");
    assert.equal(data.phone, "+923331234567");
    assert.equal(data.consent.version, "2026-11");
  });

  it("the public form refuses a known CNIC without saying whose it is", async () => {
    await assert.rejects(
      selfRegister(
        get().db,
        centreId,
        { ...fields("54400-1234567-1", "Someone"), pin: "2580", pin_again: "2580" },
        ctx(),
      ),
      (e: unknown) => {
        assert.ok(e instanceof ValidationFailed);
        assert.deepEqual(e.fields, [{ path: "/cnic", code: "cnic_registered_public" }]);
        return true;
      },
    );
  });

  it("members not seen for the retention period are erased; recent ones stay", async () => {
    const old = await registerMember(get().db, centreId, fields("54400-7777777-2", "Old Member"), ctx());
    clock.set("2028-06-01T06:00:00Z");
    const recent = await registerMember(get().db, centreId, fields("54400-8888888-3", "New Member"), ctx());
    clock.set("2029-02-01T06:00:00Z"); // 37 months after the first registrations
    const erased = await eraseLapsedMembers(get().db, centreId, clock);
    assert.equal(erased, 2, "the two members of January 2026");
    const rows = await get().db.selectFrom("members").select(["id", "status", "full_name_en"]).execute();
    assert.equal(rows.find((r) => r.id === old.id)?.status, "erased");
    assert.equal(rows.find((r) => r.id === old.id)?.full_name_en, null);
    assert.equal(rows.find((r) => r.id === recent.id)?.status, "active");
  });
});
