// Starts the real server (`node bin/rasai.js serve`) as a child process on loopback, as a centre runs it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deferCleanup, sleep, withTimeout } from "./cleanup.ts";

export const REPO_ROOT = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const HOST = "127.0.0.1";
const OUTPUT_LIMIT = 64 * 1024;

/** A port the kernel reports free on 127.0.0.1 (released again before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

export interface MemorySample {
  /** Resident set size now, MiB. */
  rssMiB: number;
  /** Peak resident set size over the process lifetime (VmHWM), MiB. */
  hwmMiB: number;
}

/** VmRSS and VmHWM of a process from /proc (Linux); null where /proc is absent. */
export function readMemory(pid: number): MemorySample | null {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(status);
    return match ? Number(match[1]) : NaN;
  };
  const round = (n: number) => Math.round((n / 1024) * 10) / 10;
  return { rssMiB: round(kib("VmRSS")), hwmMiB: round(kib("VmHWM")) };
}

export interface RunningServer {
  pid: number;
  port: number;
  baseUrl: string;
  /** Milliseconds from spawn until /readyz answered 200 (includes migrations and the demo seed). */
  startupMs: number;
  memory(): MemorySample | null;
  /** Last lines the server printed (stdout and stderr), for error reports. */
  output(): string;
  /** SIGTERM, then waits for exit (SIGKILL after `graceMs`); resolves with the exit code or signal. */
  stop(graceMs?: number): Promise<string>;
}

export interface StartOptions {
  dataDir: string;
  /** Unset for SQLite in dataDir. */
  databaseUrl?: string;
  readyTimeoutMs?: number;
  extraEnv?: Record<string, string>;
}

function childEnv(options: StartOptions, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // The caller's own Rasai settings must not leak into the bench server.
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("RASAI_") || key === "DATABASE_URL" || key === "PORT" || key === "HOST") continue;
    env[key] = value;
  }
  Object.assign(env, {
    PORT: String(port),
    HOST,
    RASAI_DATA_DIR: options.dataDir,
    RASAI_LOG_LEVEL: "warn",
    RASAI_BACKUP_HOUR: "off",
    ...options.extraEnv,
  });
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  return env;
}

function getStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      response.once("end", () => resolve(response.statusCode ?? 0));
      response.once("error", reject);
    });
    request.once("timeout", () => request.destroy(new Error("timeout")));
    request.once("error", reject);
  });
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const port = await freePort();
  const baseUrl = `http://${HOST}:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin/rasai.js"), "serve"], {
    cwd: REPO_ROOT,
    env: childEnv(options, port),
    stdio: ["ignore", "pipe", "pipe"],
  });

  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);

  let exitInfo: string | null = null;
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => {
      exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve(exitInfo);
    });
    child.once("error", (error) => {
      exitInfo = `spawn error: ${error.message}`;
      resolve(exitInfo);
    });
  });

  const stop = async (graceMs = 20_000): Promise<string> => {
    if (exitInfo !== null) return exitInfo;
    child.kill("SIGTERM");
    const result = await Promise.race([exited, sleep(graceMs).then(() => null)]);
    if (result !== null) return result;
    child.kill("SIGKILL");
    const killed = await withTimeout(exited, 5000, `server pid ${child.pid} did not die on SIGKILL`);
    return `${killed} (SIGKILL after ${graceMs} ms without exiting on SIGTERM)`;
  };
  const unregister = deferCleanup(`server pid ${child.pid}`, () => stop(5000));
  const tail = () => output.trimEnd().split("\n").slice(-40).join("\n");

  const failStart = async (reason: string): Promise<never> => {
    await unregister();
    throw new Error(`${reason}\n--- server output (last lines) ---\n${tail() || "(nothing printed)"}`);
  };

  const deadline = started + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exitInfo !== null) return failStart(`server exited before it was ready (${exitInfo})`);
    try {
      if ((await getStatus(`${baseUrl}/readyz`, 2000)) === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      return failStart(`server not ready within ${options.readyTimeoutMs ?? 60_000} ms (GET /readyz)`);
    }
    await sleep(100);
  }
  const startupMs = Math.round(performance.now() - started);
  const pid = child.pid!;

  return {
    pid,
    port,
    baseUrl,
    startupMs,
    memory: () => readMemory(pid),
    output: tail,
    stop: async (graceMs) => {
      const result = await stop(graceMs);
      await unregister();
      return result;
    },
  };
}
