import assert from "node:assert/strict";
import { describe, it } from "node:test";
import path from "node:path";
import { ConfigError, loadConfig, parseDatabaseUrl } from "../src/config.ts";

describe("configuration", () => {
  it("has working defaults: port 3000, SQLite under ./data, centre mode", () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.host, "0.0.0.0");
    assert.equal(c.mode, "centre");
    assert.deepEqual(c.database, { dialect: "sqlite", file: path.resolve("data", "rasai.sqlite") });
    assert.equal(c.defaultTimeZone, "Asia/Karachi");
    assert.equal(c.backupHour, 2);
    assert.equal(c.maintenanceHour, 3);
  });

  it("takes an hour or off for the nightly backup and search merge", () => {
    const c = loadConfig({ RASAI_BACKUP_HOUR: "off", RASAI_MAINTENANCE_HOUR: "0" });
    assert.equal(c.backupHour, -1);
    assert.equal(c.maintenanceHour, 0);
    assert.equal(loadConfig({ RASAI_MAINTENANCE_HOUR: "off" }).maintenanceHour, -1);
  });

  it("respects PORT, HOST, RASAI_DATA_DIR and RASAI_MODE", () => {
    const c = loadConfig({ PORT: "8080", HOST: "127.0.0.1", RASAI_DATA_DIR: "/tmp/x", RASAI_MODE: "hq" });
    assert.equal(c.port, 8080);
    assert.equal(c.host, "127.0.0.1");
    assert.equal(c.mode, "hq");
    assert.deepEqual(c.database, { dialect: "sqlite", file: "/tmp/x/rasai.sqlite" });
  });

  for (const [name, env, needle] of [
    ["a PORT that is not a number", { PORT: "eighty" }, "PORT"],
    ["a PORT out of range", { PORT: "70000" }, "PORT"],
    ["an unknown mode", { RASAI_MODE: "school" }, "RASAI_MODE"],
    ["a mysql DATABASE_URL", { DATABASE_URL: "mysql://root@localhost/x" }, "DATABASE_URL"],
    [
      "a postgres URL without a database",
      { DATABASE_URL: "postgres://postgres@127.0.0.1:5432" },
      "DATABASE_URL",
    ],
    ["a broken postgres URL", { DATABASE_URL: "postgres://a:b@:99999999/x" }, "DATABASE_URL"],
    ["an unknown time zone", { RASAI_TIME_ZONE: "Mars/Olympus" }, "RASAI_TIME_ZONE"],
    ["a short secret", { RASAI_SECRET: "abc" }, "RASAI_SECRET"],
    ["a bad backup count", { RASAI_BACKUP_KEEP: "0" }, "RASAI_BACKUP_KEEP"],
    ["a maintenance hour past 23", { RASAI_MAINTENANCE_HOUR: "24" }, "RASAI_MAINTENANCE_HOUR"],
  ] as const) {
    it(`refuses ${name} with one line naming the setting`, () => {
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && e.message.includes(needle) && !e.message.includes("\n"),
      );
    });
  }

  it("reads postgres and sqlite URLs", () => {
    assert.deepEqual(parseDatabaseUrl("postgres://postgres@127.0.0.1:5432/test", "/d"), {
      dialect: "postgres",
      url: "postgres://postgres@127.0.0.1:5432/test",
    });
    assert.deepEqual(parseDatabaseUrl("sqlite:/var/rasai.db", "/d"), {
      dialect: "sqlite",
      file: "/var/rasai.db",
    });
  });
});
