// The access bench's load phase: against the running server, kiosks poll, desk screens follow the
// grid's event stream and the driver starts and ends sessions (accessClients.ts) for the measured
// window; this sets them going, times the window, and gathers what they saw into one LoadResult.
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Settings } from "./access.ts";
import { DeskScreens, Driver, Kiosks } from "./accessClients.ts";
import { DESK_SCREENS, type Fixture } from "./accessFixture.ts";
import { CHANGE_TIMEOUT_MS, KIOSK_ADDRESS_BASE, LoadRun, POLL_MS, WARMUP_MS } from "./accessLoadState.ts";
import { cpuSeconds, distribution, type Distribution, type Tally } from "./accessMeasures.ts";
import { sleep } from "./lib/cleanup.ts";
import { readMemory, type RunningServer } from "./lib/server.ts";

export interface LoadResult {
  measuredSeconds: number;
  kiosks: number;
  kioskAddresses: string;
  kioskPolls: number;
  kioskPollsPerSecond: number;
  kioskPollMs: Distribution;
  kioskStatus: Record<string, number>;
  kioskErrors: ReturnType<Tally["toJSON"]>;
  /** Non-2xx answers and failed requests in the window. */
  kioskFailures: number;
  kioskBadSignatures: number;
  deskScreens: number;
  streamEvents: number;
  gridFetches: number;
  gridFetchMs: Distribution;
  gridBytesOnWire: number | null;
  gridBytesHtml: number | null;
  gridErrors: ReturnType<Tally["toJSON"]>;
  changesAttempted: number;
  changesApplied: number;
  starts: number;
  ends: number;
  changeErrors: ReturnType<Tally["toJSON"]>;
  deskPostMs: Distribution;
  /** Time from just before the POST to the first grid each screen fetched showing the new state. */
  changeToGridMs: Distribution;
  /** Screen sightings missing after CHANGE_TIMEOUT_MS. */
  changeToGridMissed: number;
  changeToKioskMs: Distribution;
  changeToKioskMissed: number;
  runningAtEnd: number;
  serverCpuPercent: number | null;
  serverRssMiB: number | null;
  serverPeakRssMiB: number | null;
  serverHwmMiB: number | null;
  benchCpuPercent: number;
  benchEventLoopDelayP99Ms: number;
  /** The machine's 1-minute load average before and after the window (others' work shows here). */
  loadAverage: [number, number];
}

export async function loadPhase(
  server: RunningServer,
  fixture: Fixture,
  settings: Settings,
  log: (m: string) => void,
): Promise<LoadResult> {
  const kioskCount = Math.min(settings.kiosks, fixture.pcs.length);
  const run = new LoadRun(server.baseUrl, fixture.pcs.slice(0, kioskCount));

  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();

  const kiosks = new Kiosks(run, settings.sameAddress);
  const screens = new DeskScreens(run, fixture);
  const driver = new Driver(run, fixture);

  const memory = { peak: 0 };
  const sampleMemory = () => {
    const m = readMemory(server.pid);
    if (m && m.rssMiB > memory.peak) memory.peak = m.rssMiB;
  };
  const memoryTimer = setInterval(sampleMemory, 500);

  try {
    // Desk screens first, then kiosks spread over one poll interval.
    for (let s = 0; s < DESK_SCREENS; s++) screens.open(s);
    const kioskLoops: Promise<void>[] = [];
    for (let i = 0; i < kioskCount; i++) {
      const delay = (i / kioskCount) * POLL_MS;
      kioskLoops.push(sleep(delay).then(() => kiosks.poll(i)));
    }
    log(
      `${kioskCount} kiosks polling, ${DESK_SCREENS} desk screens on the event stream; ${WARMUP_MS} ms warm-up`,
    );
    await sleep(WARMUP_MS);
    const deadlineReady = performance.now() + 10_000;
    while (!screens.screensReady.every(Boolean)) {
      if (performance.now() > deadlineReady)
        throw new Error(
          `desk screens got no grid within 10 s: ${JSON.stringify(screens.gridErrors.toJSON())}`,
        );
      await sleep(100);
    }

    const loadBefore = os.loadavg()[0]!;
    const cpuBefore = cpuSeconds(server.pid);
    const benchCpuBefore = process.cpuUsage();
    loopDelay.reset();
    run.windowStart = performance.now();
    run.measuring = true;
    log(`measuring ${settings.seconds} s at ${settings.changesPerSecond} changes/s`);
    const interval = 1000 / settings.changesPerSecond;
    const drives: Promise<void>[] = [];
    run.windowEnd = run.windowStart + settings.seconds * 1000;
    for (let next = run.windowStart; next < run.windowEnd; next += interval) {
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      drives.push(driver.driveOne());
      // Changes nobody saw in time stop holding their PC.
      for (const change of [...run.pending.values()])
        if (change.status !== undefined && performance.now() - change.t0 > CHANGE_TIMEOUT_MS)
          run.settle(change, true);
    }
    const windowMs = performance.now() - run.windowStart;
    const cpuAfter = cpuSeconds(server.pid);
    const loadAfter = os.loadavg()[0]!;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    sampleMemory();
    const memoryEnd = readMemory(server.pid);
    await Promise.all(drives);
    // Let the last changes reach the screens and kiosks.
    const settleBy = performance.now() + CHANGE_TIMEOUT_MS;
    while (run.pending.size > 0 && performance.now() < settleBy) await sleep(100);
    for (const change of [...run.pending.values()]) run.settle(change, true);
    run.measuring = false;
    loopDelay.disable();

    const done = run.done;
    const toGrid = done.flatMap((c) => c.seenByScreen.filter((t): t is number => t !== null));
    const toKiosk = done.map((c) => c.seenByKiosk).filter((t): t is number => t !== null && t >= 0);
    const seconds = windowMs / 1000;
    return {
      measuredSeconds: Math.round(seconds * 10) / 10,
      kiosks: kioskCount,
      kioskAddresses: settings.sameAddress
        ? "127.0.0.1 (all)"
        : `127.0.0.${KIOSK_ADDRESS_BASE}–127.0.0.${KIOSK_ADDRESS_BASE + kioskCount - 1}`,
      kioskPolls: kiosks.polls,
      kioskPollsPerSecond: Math.round((kiosks.polls / seconds) * 10) / 10,
      kioskPollMs: distribution(kiosks.pollMs),
      kioskStatus: kiosks.status.counts,
      kioskErrors: kiosks.errors.toJSON(),
      kioskFailures: kiosks.errors.total,
      kioskBadSignatures: kiosks.badSignatures,
      deskScreens: DESK_SCREENS,
      streamEvents: screens.streamEvents,
      gridFetches: screens.gridFetches,
      gridFetchMs: distribution(screens.gridFetchMs),
      gridBytesOnWire: screens.gridFetches ? Math.round(screens.gridBytesOnWire / screens.gridFetches) : null,
      gridBytesHtml: screens.gridFetches ? Math.round(screens.gridBytesHtml / screens.gridFetches) : null,
      gridErrors: screens.gridErrors.toJSON(),
      changesAttempted: driver.changesAttempted,
      changesApplied: done.length,
      starts: driver.starts,
      ends: driver.ends,
      changeErrors: driver.changeErrors.toJSON(),
      deskPostMs: distribution(driver.deskPostMs),
      changeToGridMs: distribution(toGrid),
      changeToGridMissed: done.length * DESK_SCREENS - toGrid.length,
      changeToKioskMs: distribution(toKiosk),
      changeToKioskMissed: done.filter((c) => c.seenByKiosk === null).length,
      runningAtEnd: driver.memberOnPc.size,
      serverCpuPercent:
        cpuBefore !== null && cpuAfter !== null
          ? Math.round(((cpuAfter - cpuBefore) / seconds) * 1000) / 10
          : null,
      serverRssMiB: memoryEnd?.rssMiB ?? null,
      serverPeakRssMiB: memory.peak || null,
      serverHwmMiB: memoryEnd?.hwmMiB ?? null,
      benchCpuPercent: Math.round(((benchCpu.user + benchCpu.system) / 1e6 / seconds) * 1000) / 10,
      benchEventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e4) / 100,
      loadAverage: [Math.round(loadBefore * 100) / 100, Math.round(loadAfter * 100) / 100],
    };
  } finally {
    run.stopping = true;
    clearInterval(memoryTimer);
    for (const timer of run.timers) clearTimeout(timer);
    for (const request of run.streams) request.destroy();
    for (const agent of run.agents) agent.destroy();
  }
}
