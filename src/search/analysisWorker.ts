// Worker thread entry (see analysisPool.ts): analyses each batch of documents it is sent, and
// counts their vocabulary words when started to (workerData.countWords).

import { parentPort, workerData } from "node:worker_threads";
import type { AnalysisInput } from "./analysis.ts";
import { inlineAnalyser } from "./analysisPool.ts";

const analyser = inlineAnalyser((workerData as { countWords?: boolean } | null)?.countWords === true);

parentPort?.on("message", (message: { id: number; docs?: AnalysisInput[]; counts?: true }) => {
  const reply = message.counts
    ? analyser.wordCounts().then((counts) => ({ counts }))
    : analyser.analyse(message.docs ?? []).then((analyses) => ({ analyses }));
  reply.then(
    (answer) => parentPort?.postMessage({ id: message.id, ...answer }),
    (error: unknown) =>
      parentPort?.postMessage({
        id: message.id,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});
