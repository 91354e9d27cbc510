import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ViewCounter, type ViewHit } from "../../src/portal/viewCounter.ts";

const WINDOW = 30 * 60 * 1000;
const CHROME =
  "Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0";

interface Write {
  articleId: string;
  n: number;
}

/** A counter on a hand-moved clock, recording every write it makes. */
function counter(options: { maxRecent?: number; fail?: (w: Write) => boolean } = {}) {
  let now = Date.parse("2026-11-25T06:00:00Z");
  const writes: Write[] = [];
  const views = new ViewCounter(
    async (articleId, n) => {
      if (options.fail?.({ articleId, n })) throw new Error("database is away");
      writes.push({ articleId, n });
    },
    { windowMs: WINDOW, maxRecent: options.maxRecent ?? 100_000, now: () => now },
  );
  return {
    views,
    writes,
    advance(ms: number) {
      now += ms;
    },
  };
}

function reader(overrides: Partial<ViewHit> = {}): ViewHit {
  return { articleId: "a1", ip: "10.0.0.1", userAgent: CHROME, prefetch: false, ...overrides };
}

describe("view counter: the window", () => {
  it("counts a reader once, and not their reloads inside the window", () => {
    const { views, advance } = counter();
    assert.equal(views.hit(reader()), true);
    assert.equal(views.hit(reader()), false);
    advance(WINDOW - 1);
    assert.equal(views.hit(reader()), false);
    assert.equal(views.counted("a1"), 1);
  });

  it("counts the same reader again once the window has passed", () => {
    const { views, advance } = counter();
    assert.equal(views.hit(reader()), true);
    advance(WINDOW);
    assert.equal(views.hit(reader()), true);
    assert.equal(views.counted("a1"), 2);
  });

  it("tells readers apart by address, browser and article", () => {
    const { views } = counter();
    assert.equal(views.hit(reader()), true);
    assert.equal(views.hit(reader({ ip: "10.0.0.2" })), true);
    assert.equal(views.hit(reader({ userAgent: FIREFOX })), true);
    assert.equal(views.hit(reader({ articleId: "a2" })), true);
    assert.equal(views.counted("a1"), 3);
    assert.equal(views.counted("a2"), 1);
    assert.equal(views.counted("never-seen"), 0);
  });

  it("forgets the oldest readers when it remembers too many, keeping the newest", () => {
    const { views } = counter({ maxRecent: 10 });
    for (let i = 1; i <= 11; i++) assert.equal(views.hit(reader({ ip: `10.0.1.${i}` })), true);
    // Over the limit it drops the oldest down to 90%: readers 1 and 2 are forgotten.
    assert.equal(views.hit(reader({ ip: "10.0.1.1" })), true);
    assert.equal(views.hit(reader({ ip: "10.0.1.3" })), false);
    assert.equal(views.hit(reader({ ip: "10.0.1.11" })), false);
    assert.equal(views.counted("a1"), 12);
  });
});

describe("view counter: who is not a reader", () => {
  const bots = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "WhatsApp/2.23.20.0",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
  ];
  for (const userAgent of bots) {
    it(`does not count ${userAgent.slice(0, 40)}`, () => {
      const { views } = counter();
      assert.equal(views.hit(reader({ userAgent })), false);
      assert.equal(views.counted("a1"), 0);
    });
  }

  it("does not count a request without a user agent", () => {
    const { views } = counter();
    assert.equal(views.hit(reader({ userAgent: "" })), false);
    assert.equal(views.counted("a1"), 0);
  });

  it("does not count a prefetch, and the reader's real visit after it still counts", () => {
    const { views } = counter();
    assert.equal(views.hit(reader({ prefetch: true })), false);
    assert.equal(views.counted("a1"), 0);
    assert.equal(views.hit(reader()), true);
    assert.equal(views.counted("a1"), 1);
  });

  it("does not write anything for bots and prefetches", async () => {
    const { views, writes } = counter();
    views.hit(reader({ userAgent: bots[0]! }));
    views.hit(reader({ prefetch: true }));
    await views.flush();
    assert.deepEqual(writes, []);
  });
});

describe("view counter: writing in batches", () => {
  it("writes one sum per article, then nothing until there are new views", async () => {
    const { views, writes } = counter();
    for (const ip of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) views.hit(reader({ ip }));
    views.hit(reader({ articleId: "a2" }));
    views.hit(reader()); // a reload: not counted
    await views.flush();
    assert.deepEqual(writes, [
      { articleId: "a1", n: 3 },
      { articleId: "a2", n: 1 },
    ]);
    await views.flush();
    assert.equal(writes.length, 2, "an empty flush writes nothing");
    views.hit(reader({ ip: "10.0.0.4" }));
    await views.flush();
    assert.deepEqual(writes.slice(2), [{ articleId: "a1", n: 1 }]);
  });

  it("keeps counting what it has written, so a cached page can add it to the stored count", async () => {
    const { views } = counter();
    views.hit(reader());
    views.hit(reader({ ip: "10.0.0.2" }));
    await views.flush();
    assert.equal(views.counted("a1"), 2);
  });

  it("keeps views whose write failed and writes them with the next flush", async () => {
    let failing = true;
    const { views, writes } = counter({ fail: (w) => failing && w.articleId === "a1" });
    views.hit(reader());
    views.hit(reader({ ip: "10.0.0.2" }));
    views.hit(reader({ articleId: "a2" }));
    await views.flush();
    assert.deepEqual(writes, [{ articleId: "a2", n: 1 }], "the other article's write went through");
    views.hit(reader({ ip: "10.0.0.3" }));
    await views.flush();
    assert.deepEqual(writes.slice(1), [], "still failing: nothing written, nothing lost");
    failing = false;
    await views.flush();
    assert.deepEqual(writes.slice(1), [{ articleId: "a1", n: 3 }]);
    await views.flush();
    assert.equal(writes.length, 2, "written once, not again");
  });

  it("runs one flush at a time; views during a write go to the next flush", async () => {
    let active = 0;
    let most = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const writes: Write[] = [];
    const views = new ViewCounter(
      async (articleId, n) => {
        active++;
        most = Math.max(most, active);
        await gate;
        writes.push({ articleId, n });
        active--;
      },
      { windowMs: WINDOW, maxRecent: 1000, now: () => 0 },
    );
    views.hit(reader());
    const first = views.flush();
    while (active === 0) await new Promise((resolve) => setImmediate(resolve));
    views.hit(reader({ ip: "10.0.0.2" }));
    views.hit(reader({ ip: "10.0.0.3" }));
    const second = views.flush();
    release();
    await Promise.all([first, second]);
    assert.equal(most, 1);
    assert.deepEqual(writes, [
      { articleId: "a1", n: 1 },
      { articleId: "a1", n: 2 },
    ]);
  });
});
