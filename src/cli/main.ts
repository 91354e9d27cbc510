import { searchCommand } from "./searchCommand.ts";
import { keysCommand } from "./keysCommand.ts";
import { kioskAgentCommand } from "./kioskAgentCommand.ts";
import { parseArgs } from "node:util";
import { ConfigError } from "../config.ts";
import { MigrationFailed } from "../db/migrate.ts";
import { ImportFailed } from "../portal/import/report.ts";
import { DomainError } from "../server/errors.ts";
import { errorBody } from "../server/errorHandler.tsx";
import {
  backupCommand,
  centreCommand,
  importCommand,
  migrateCommand,
  restoreCommand,
  seedCommand,
  userCommand,
} from "./commands.ts";
import { HELP } from "./help.ts";
import { UsageError } from "./runtime.ts";
import { serve } from "./serve.ts";

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  demo: { type: "boolean" },
  "no-demo": { type: "boolean" },
  json: { type: "boolean" },
  current: { type: "boolean" },
  code: { type: "string" },
  "name-ur": { type: "string" },
  "name-en": { type: "string" },
  district: { type: "string" },
  province: { type: "string" },
  address: { type: "string" },
  "time-zone": { type: "string" },
  phone: { type: "string" },
  email: { type: "string" },
  username: { type: "string" },
  name: { type: "string" },
  role: { type: "string" },
  centre: { type: "string" },
  password: { type: "string" },
  locale: { type: "string" },
  keep: { type: "string" },
  out: { type: "string" },
  uploads: { type: "string" },
  lang: { type: "string" },
  "hash-key": { type: "string" },
  all: { type: "boolean" },
  server: { type: "string" },
  pc: { type: "string" },
  "token-file": { type: "string" },
  config: { type: "string" },
  "print-config": { type: "boolean" },
} as const;

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. See rasai --help.`);
  }
  const { values, positionals } = parsed;
  const [command, action, ...rest] = positionals;
  const helpKey = [command, action].filter(Boolean).join(" ");
  if (values.help || !command || command === "help") {
    const key = command === "help" ? [action, ...rest].filter(Boolean).join(" ") : helpKey;
    process.stdout.write(HELP[key] ?? HELP[command ?? ""] ?? HELP[""]!);
    return;
  }
  switch (command) {
    case "serve":
      return serve({ demo: !values["no-demo"] && process.env.RASAI_DEMO !== "off" });
    case "migrate":
      return migrateCommand();
    case "seed":
      return seedCommand(values);
    case "centre":
      return centreCommand(action, rest, values);
    case "user":
      return userCommand(action, rest, values);
    case "backup":
      return backupCommand(values);
    case "restore":
      return restoreCommand(action ? [action, ...rest] : []);
    case "import":
      return importCommand(action, rest, values);
    case "search":
      return searchCommand(action);
    case "keys":
      return keysCommand(action, rest, values);
    case "kiosk-agent":
      return kioskAgentCommand(values, action);
    default:
      throw new UsageError(`Unknown command "${command}". See rasai --help.`);
  }
}

function fail(message: string, code: number): never {
  process.stderr.write(`rasai: ${message}\n`);
  process.exit(code);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) fail(error.message, 64);
  if (error instanceof ConfigError) fail(error.message, 2);
  if (error instanceof MigrationFailed) fail(error.message, 3);
  if (error instanceof ImportFailed) fail(error.message, 1);
  if (error instanceof DomainError) {
    const body = errorBody("en", error.code, error.params, error.fields);
    const details =
      body.error.fields?.map((f) => `${f.path.replace(/^\//, "--").replace(/_/g, "-")}: ${f.message}`) ?? [];
    fail([body.error.message, ...details].join("\n  "), 1);
  }
  if (process.env.RASAI_DEBUG) console.error(error);
  fail(`unexpected error: ${(error as Error)?.message ?? String(error)} (set RASAI_DEBUG=1 for details)`, 1);
});
