// Text analysis on a second thread, so a bulk rebuild analyses the next batch while the current
// one is written. The worker runs Rasai's TypeScript through tsx like the main thread; when it
// cannot start, analysis runs inline and only the overlap is lost.

import { Worker } from "node:worker_threads";
import { analyseDocument, type AnalysisInput, type DocumentAnalysis } from "./analysis.ts";

export interface Analyser {
  analyse(docs: readonly AnalysisInput[]): Promise<DocumentAnalysis[]>;
  close(): Promise<void>;
}

const inline: Analyser = {
  analyse: async (docs) => docs.map(analyseDocument),
  close: async () => {},
};

type Reply = { id: number; analyses: DocumentAnalysis[] } | { id: number; error: string };

/** One analysis worker (a centre's machine has two cores: one writes, one analyses). */
export function startAnalyser(): Analyser {
  let worker: Worker;
  try {
    const tsx = import.meta.resolve("tsx/esm/api");
    const entry = new URL("./analysisWorker.ts", import.meta.url).href;
    // An eval'd bootstrap: a worker does not inherit the loader `rasai` registers in-process.
    const bootstrap = `import(${JSON.stringify(tsx)})
      .then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })
      .catch((error) => { console.error(error); process.exit(1); });`;
    worker = new Worker(bootstrap, { eval: true });
  } catch {
    return inline;
  }
  worker.unref();
  let failed: Error | null = null;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (a: DocumentAnalysis[]) => void; reject: (e: Error) => void }>();
  const failAll = (error: Error) => {
    failed = error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on("message", (reply: Reply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if ("error" in reply) w.reject(new Error(`search analysis failed: ${reply.error}`));
    else w.resolve(reply.analyses);
  });
  worker.on("error", (error) => failAll(error));
  worker.on("exit", (code) => failAll(new Error(`search analysis worker exited (${code})`)));
  return {
    async analyse(docs) {
      // A worker that died (or never started) leaves the work to this thread.
      if (failed) return inline.analyse(docs);
      const id = nextId++;
      const plain = docs.map(({ title, strap, body_text }) => ({ title, strap, body_text }));
      try {
        return await new Promise<DocumentAnalysis[]>((resolve, reject) => {
          waiting.set(id, { resolve, reject });
          worker.postMessage({ id, docs: plain });
        });
      } catch {
        return inline.analyse(docs);
      }
    },
    async close() {
      worker.removeAllListeners("exit");
      await worker.terminate();
    },
  };
}
