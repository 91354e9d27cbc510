// The access bench's HTTP client: one request on a given agent and loopback address, its body
// decoded as the server compressed it, and what an error answer says.
import http from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function httpRequest(
  url: string,
  options: {
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    agent?: http.Agent | false;
    localAddress?: string;
    timeoutMs?: number;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method ?? "GET",
        headers: options.body
          ? { ...options.headers, "content-length": String(Buffer.byteLength(options.body)) }
          : options.headers,
        agent: options.agent ?? false,
        localAddress: options.localAddress,
        timeout: options.timeoutMs ?? 15_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.once("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.once("error", reject);
      },
    );
    request.once("timeout", () =>
      request.destroy(new Error(`timeout after ${options.timeoutMs ?? 15_000} ms`)),
    );
    request.once("error", reject);
    request.end(options.body);
  });
}

const brotliDecompress = promisify(zlib.brotliDecompress);
const gunzip = promisify(zlib.gunzip);

export async function decoded(answer: Answer): Promise<string> {
  const encoding = answer.headers["content-encoding"];
  if (encoding === "br") return (await brotliDecompress(answer.body)).toString("utf8");
  if (encoding === "gzip") return (await gunzip(answer.body)).toString("utf8");
  return answer.body.toString("utf8");
}

/** What an error answer says: the desk page's alert, a JSON error message, or the start of the body. */
export async function problemOf(answer: Answer): Promise<string> {
  let text: string;
  try {
    text = await decoded(answer);
  } catch {
    text = answer.body.toString("utf8");
  }
  const alert = /<p class="notice bad" role="alert">([\s\S]*?)<\/p>/.exec(text)?.[1];
  if (alert) return alert.replace(/<[^>]+>/g, "").trim();
  return text.replace(/\s+/g, " ").slice(0, 200);
}
