import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { deferCleanup } from "./cleanup.ts";

/** A fresh folder under the system temp dir, removed by `remove()` or by the interrupt cleanup. */
export function makeTempDir(prefix: string): { dir: string; remove: () => Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const remove = deferCleanup(`temp folder ${dir}`, () =>
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 }),
  );
  return { dir, remove };
}
