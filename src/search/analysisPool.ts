// Text analysis on a second thread, so a bulk rebuild analyses the next batch while the current
// one is written. The worker runs Rasai's TypeScript through tsx like the main thread; when it
// cannot start, analysis runs inline and only the overlap is lost.

import { Worker } from "node:worker_threads";
import {
  analyseAndCount,
  analyseDocument,
  VocabularyCounter,
  type AnalysisInput,
  type DocumentAnalysis,
} from "./analysis.ts";

export interface Analyser {
  analyse(docs: readonly AnalysisInput[]): Promise<DocumentAnalysis[]>;
  /**
   * How many of the documents analysed so far hold each vocabulary word, when started with
   * countWords; null when not, or when some were analysed where the count was lost (a worker
   * that died).
   */
  wordCounts(): Promise<Map<string, number> | null>;
  close(): Promise<void>;
}

/** Analysis on the calling thread (what the worker runs, and the fallback when it cannot). */
export function inlineAnalyser(counting: boolean): Analyser {
  const counter = counting ? new VocabularyCounter() : undefined;
  return {
    analyse: async (docs) =>
      docs.map((doc) => (counter ? analyseAndCount(doc, counter) : analyseDocument(doc))),
    wordCounts: async () => counter?.wordCounts() ?? null,
    close: async () => {},
  };
}

type Reply =
  | { id: number; analyses: DocumentAnalysis[] }
  | { id: number; counts: Map<string, number> }
  | { id: number; error: string };

/** One analysis worker (a centre's machine has two cores: one writes, one analyses). */
export function startAnalyser({ countWords: counting = false }: { countWords?: boolean } = {}): Analyser {
  const inline = inlineAnalyser(counting);
  let worker: Worker;
  try {
    const tsx = import.meta.resolve("tsx/esm/api");
    const entry = new URL("./analysisWorker.ts", import.meta.url).href;
    // An eval'd bootstrap: a worker does not inherit the loader `rasai` registers in-process.
    const bootstrap = `import(${JSON.stringify(tsx)})
      .then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })
      .catch((error) => { console.error(error); process.exit(1); });`;
    worker = new Worker(bootstrap, { eval: true, workerData: { countWords: counting } });
  } catch {
    return inline;
  }
  worker.unref();
  let failed: Error | null = null;
  // Some documents were analysed on this thread instead: the worker's count misses them.
  let wentInline = false;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
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
    else w.resolve(reply);
  });
  worker.on("error", (error) => failAll(error));
  worker.on("exit", (code) => failAll(new Error(`search analysis worker exited (${code})`)));
  const ask = (message: object) =>
    new Promise<Reply>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  return {
    async analyse(docs) {
      // A worker that died (or never started) leaves the work to this thread.
      if (!failed) {
        const plain = docs.map(({ title, strap, body_text }) => ({ title, strap, body_text }));
        try {
          const reply = await ask({ docs: plain });
          if ("analyses" in reply) return reply.analyses;
        } catch {
          // analysed here, below
        }
      }
      wentInline = true;
      return inline.analyse(docs);
    },
    async wordCounts() {
      if (!counting || failed || wentInline) return null;
      try {
        const reply = await ask({ counts: true });
        // A batch the worker failed on, answered before the counts, was analysed here instead.
        return "counts" in reply && !wentInline ? reply.counts : null;
      } catch {
        return null;
      }
    },
    async close() {
      worker.removeAllListeners("exit");
      await worker.terminate();
    },
  };
}
