import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { en } from "../../src/i18n/messages/en.ts";
import { ur } from "../../src/i18n/messages/ur.ts";
import { formatDate, formatNumber, negotiateLocale, t } from "../../src/i18n/index.ts";
import { IntlMessageFormat } from "intl-messageformat";

describe("i18n", () => {
  it("has the same keys in Urdu and English, and every message parses as ICU", () => {
    assert.deepEqual(Object.keys(ur).sort(), Object.keys(en).sort());
    for (const [key, text] of [...Object.entries(en), ...Object.entries(ur)]) {
      assert.doesNotThrow(() => new IntlMessageFormat(text, "en"), key);
    }
  });

  it("negotiates Accept-Language by quality, defaulting to Urdu", () => {
    assert.equal(negotiateLocale(undefined), "ur");
    assert.equal(negotiateLocale("en-GB,en;q=0.9"), "en");
    assert.equal(negotiateLocale("ko-KR, en;q=0.8"), "en");
    assert.equal(negotiateLocale("fr, de"), "ur");
    assert.equal(negotiateLocale("en;q=0.5, ur-PK;q=0.9"), "ur");
    assert.equal(negotiateLocale("ur;q=0, en;q=0.1"), "en");
  });

  it("formats plurals, numbers and dates per locale", () => {
    assert.equal(t("en", "article.views", { count: 1 }), "1 view");
    assert.equal(t("en", "article.views", { count: 819 }), "819 views");
    assert.match(t("ur", "article.views", { count: 819 }), /819|۸۱۹/);
    assert.equal(formatNumber("en", 12345), "12,345");
    assert.equal(formatDate("en", "2021-05-10T10:00:00Z", "Asia/Karachi"), "10 May 2021");
    assert.match(formatDate("ur", "2021-05-10T10:00:00Z", "Asia/Karachi"), /مئی/);
    // 21:30 UTC is already the next day in Karachi.
    assert.equal(formatDate("en", "2021-05-10T21:30:00Z", "Asia/Karachi"), "11 May 2021");
  });
});
