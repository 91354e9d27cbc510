// Worker thread entry (see analysisPool.ts): analyses each batch of documents it is sent.

import { parentPort } from "node:worker_threads";
import { analyseDocument, type AnalysisInput } from "./analysis.ts";

parentPort?.on("message", (message: { id: number; docs: AnalysisInput[] }) => {
  try {
    parentPort?.postMessage({ id: message.id, analyses: message.docs.map(analyseDocument) });
  } catch (error) {
    parentPort?.postMessage({
      id: message.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
