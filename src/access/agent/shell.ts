// Running the agent's configured commands: placeholders travel in the environment (never spliced
// into the command text), each command runs in its own process group and is killed at its timeout.

import { spawn } from "node:child_process";
import { PLACEHOLDERS } from "./config.ts";
import type { CommandVars } from "./stateMachine.ts";

export interface ShellResult {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  output: string;
}

const OUTPUT_LIMIT = 4000;

/** `{name}` → `${RASAI_NAME}` for every known placeholder; values travel in the environment. */
export function commandText(command: string): string {
  return command.replace(/\{([a-z_]+)\}/g, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? `\${RASAI_${name.toUpperCase()}}` : whole,
  );
}

export function commandEnv(vars: CommandVars, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  delete env.RASAI_KIOSK_TOKEN; // a command never needs the PC's token
  for (const name of PLACEHOLDERS) env[`RASAI_${name.toUpperCase()}`] = vars[name] ?? "";
  return env;
}

/**
 * Runs a command through `/bin/sh -c` in its own process group, killed at the timeout. A command
 * that leaves something running in the background (`chromium … &`) does not hold the agent up.
 */
export function runShell(command: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ShellResult> {
  return new Promise((resolve) => {
    let output = "";
    let timedOut = false;
    let settled = false;
    const child = spawn("/bin/sh", ["-c", command], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const collect = (chunk: Buffer) => {
      if (output.length < OUTPUT_LIMIT) output += chunk.toString("utf8");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    const finish = (code: number | null, signal: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Something left running in the background may still hold the pipes: stop waiting on them.
      for (const stream of [child.stdout, child.stderr])
        (stream as unknown as { unref?: () => void }).unref?.();
      resolve({ code, signal, timedOut, output: output.slice(0, OUTPUT_LIMIT).trim() });
    };
    child.once("error", (error) => {
      output += String(error.message);
      finish(null, null);
    });
    child.once("close", (code, signal) => finish(code, signal));
    child.once("exit", (code, signal) => {
      // 'close' waits for the pipes; give short output a moment to arrive, then settle anyway.
      setTimeout(() => finish(code, signal), 200).unref();
    });
  });
}
