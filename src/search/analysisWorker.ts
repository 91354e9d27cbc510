// Worker thread entry (see analysisPool.ts): analyses each batch of documents it is sent, and
// counts their vocabulary words when started to (workerData.countWords).

import { parentPort, workerData } from "node:worker_threads";
import { analyseDocument, countWords, type AnalysisInput } from "./analysis.ts";

const counting = (workerData as { countWords?: boolean } | null)?.countWords === true;
const counts = new Map<string, number>();

parentPort?.on("message", (message: { id: number; docs?: AnalysisInput[]; counts?: true }) => {
  try {
    if (message.counts) {
      parentPort?.postMessage({ id: message.id, counts });
      return;
    }
    const analyses = (message.docs ?? []).map(analyseDocument);
    if (counting)
      countWords(
        analyses.map((a) => a.vocab),
        counts,
      );
    parentPort?.postMessage({ id: message.id, analyses });
  } catch (error) {
    parentPort?.postMessage({
      id: message.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
