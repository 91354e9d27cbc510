#!/usr/bin/env node
// Entry point of the `rasai` command. Rasai runs its TypeScript sources through tsx,
// so a centre needs no build step: `npm install && npm start` is the whole set-up.
import { register } from "tsx/esm/api";
import { fileURLToPath } from "node:url";

// Name the repo's tsconfig so JSX compiles the same from any working directory.
register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../src/cli/main.ts");
