import { KioskAgent } from "../access/agent/agent.ts";
import {
  buildAgentConfig,
  checkConfigFile,
  defaultConfigFile,
  readConfigFile,
  readTokenFile,
  type AgentConfigFile,
} from "../access/agent/config.ts";
import { UsageError } from "./runtime.ts";

export interface KioskAgentOptions {
  server?: string;
  pc?: string;
  "token-file"?: string;
  config?: string;
  "print-config"?: boolean;
}

const USAGE = "Usage: rasai kiosk-agent --server <url> --pc <name> --token-file <path> [--config <file>]";

/** `rasai kiosk-agent`: runs on a public PC, from boot, until SIGTERM. */
export async function kioskAgentCommand(
  values: KioskAgentOptions,
  extra?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  if (extra) throw new UsageError(`${USAGE} (unexpected "${extra}"). See rasai kiosk-agent --help.`);
  const file: AgentConfigFile | undefined = values.config ? readConfigFile(values.config) : undefined;
  if (values["print-config"]) {
    const shown = {
      ...defaultConfigFile(),
      ...file,
      commands: { ...defaultConfigFile().commands, ...file?.commands },
    };
    process.stdout.write(`${JSON.stringify(checkConfigFile(shown, "the configuration"), null, 2)}\n`);
    return;
  }
  const server = values.server ?? file?.server;
  const pc = values.pc ?? file?.pc;
  const tokenFile = values["token-file"] ?? (env.RASAI_KIOSK_TOKEN ? undefined : file?.token_file);
  const missing = [
    server ? null : "--server <url>",
    pc ? null : "--pc <name>",
    tokenFile || env.RASAI_KIOSK_TOKEN?.trim() ? null : "a token (--token-file <path> or RASAI_KIOSK_TOKEN)",
  ].filter((m): m is string => m !== null);
  if (missing.length > 0) {
    throw new UsageError(`${USAGE} (missing ${missing.join(", ")}). See rasai kiosk-agent --help.`);
  }
  const token = tokenFile ? readTokenFile(tokenFile) : env.RASAI_KIOSK_TOKEN!.trim();
  const config = buildAgentConfig({ server: server!, pc: pc!, token, file });

  const agent = new KioskAgent(config);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // a second signal: do not wait any longer
    stopping = true;
    process.stderr.write(`kiosk-agent: ${signal}, stopping (the screen stays locked)\n`);
    void agent.stop().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // An "End session" button or shortcut on the desktop sends SIGUSR1 to end the session now.
  process.on("SIGUSR1", () => agent.endSession());
  agent.start();
  await new Promise<never>(() => {}); // runs until a signal stops it
}
