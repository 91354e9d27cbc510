// The server's nightly work (backup, search index merge) is scheduled by everyNight.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { everyNight, msUntilHour } from "../../src/server/nightly.ts";

const HOUR = 3_600_000;
/** A local time, so the test holds in any time zone the machine is set to. */
const local = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min);

describe("msUntilHour", () => {
  it("is the time to that hour today, or tomorrow once it has come", () => {
    assert.equal(msUntilHour(local(2026, 12, 4, 1, 30), 3), 1.5 * HOUR);
    assert.equal(msUntilHour(local(2026, 12, 4, 3, 0), 3), 24 * HOUR);
    assert.equal(msUntilHour(local(2026, 12, 4, 23, 0), 0), HOUR);
  });
});

describe("everyNight", () => {
  beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"], now: local(2026, 12, 4, 1, 30) }));
  afterEach(() => mock.timers.reset());

  /** Lets the task's promise and the rescheduling after it run. */
  const settle = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  it("runs at the hour every night, goes on after a failure, and stops when told", async () => {
    const runs: string[] = [];
    const errors: unknown[] = [];
    let fail = true;
    const nightly = everyNight(
      3,
      async () => {
        runs.push(new Date().toISOString());
        if (fail) throw new Error("disk full");
      },
      (error) => errors.push(error),
    );
    mock.timers.tick(1.5 * HOUR - 1);
    await settle();
    assert.equal(runs.length, 0, "not before 03:00");
    mock.timers.tick(1);
    await settle();
    assert.deepEqual(runs, [local(2026, 12, 4, 3).toISOString()]);
    assert.equal((errors[0] as Error).message, "disk full");

    fail = false;
    mock.timers.tick(24 * HOUR);
    await settle();
    assert.equal(runs.length, 2, "the next night, after a failure");
    assert.equal(runs[1], local(2026, 12, 5, 3).toISOString());
    assert.equal(errors.length, 1);

    nightly.stop();
    mock.timers.tick(48 * HOUR);
    await settle();
    assert.equal(runs.length, 2);
  });
});
