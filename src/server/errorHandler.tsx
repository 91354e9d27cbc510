import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasMessage, t, type MessageKey } from "../i18n/index.ts";
import type { Locale } from "../i18n/locale.ts";
import { DomainError, type FieldProblem } from "./errors.ts";
import { fieldProblemsFromAjv } from "./validation.ts";
import { sendPage } from "./render.tsx";

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    fields?: { path: string; code: string; message: string }[];
  };
}

export function fieldLabel(locale: Locale, path: string): string {
  const last =
    path
      .split("/")
      .filter((s) => s && !/^\d+$/.test(s))
      .pop() ?? "";
  const key = `label.${last}`;
  return hasMessage(key) ? t(locale, key) : last;
}

export function fieldMessage(locale: Locale, problem: FieldProblem): string {
  const key = `field.${problem.code}`;
  return t(locale, hasMessage(key) ? key : "field.invalid", problem.params);
}

/** The one error shape every API route answers with. */
export function errorBody(
  locale: Locale,
  code: string,
  params: Record<string, string | number> = {},
  fields: FieldProblem[] = [],
): ErrorBody {
  const key = `error.${code}`;
  const body: ErrorBody = {
    error: { code, message: t(locale, (hasMessage(key) ? key : "error.bad_request") as MessageKey, params) },
  };
  if (fields.length) {
    body.error.fields = fields.map((f) => {
      const label = fieldLabel(locale, f.path);
      const message = fieldMessage(locale, f);
      return { path: f.path, code: f.code, message: label ? `${label}: ${message}` : message };
    });
  }
  return body;
}

export function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith("/api/")) return true;
  const accept = request.headers.accept ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

function classify(error: FastifyError | DomainError): {
  status: number;
  code: string;
  params: Record<string, string | number>;
  fields: FieldProblem[];
} {
  if (error instanceof DomainError)
    return { status: error.status, code: error.code, params: error.params, fields: error.fields };
  const e = error as FastifyError;
  if (e.validation) {
    return { status: 400, code: "validation_failed", params: {}, fields: fieldProblemsFromAjv(e.validation) };
  }
  const status = e.statusCode ?? 500;
  if (status === 429) {
    const seconds = Number(/(\d+)/.exec(e.message)?.[1] ?? 60);
    return { status, code: "rate_limited", params: { seconds }, fields: [] };
  }
  if (status === 413) return { status, code: "payload_too_large", params: {}, fields: [] };
  if (status === 415) return { status, code: "unsupported_media_type", params: {}, fields: [] };
  if (status === 404) return { status, code: "route_not_found", params: {}, fields: [] };
  if (status === 503) return { status, code: "service_unavailable", params: {}, fields: [] };
  if (status >= 400 && status < 500) return { status, code: "bad_request", params: {}, fields: [] };
  return { status: 500, code: "internal", params: {}, fields: [] };
}

export async function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  params: Record<string, string | number> = {},
  fields: FieldProblem[] = [],
): Promise<FastifyReply> {
  const body = errorBody(request.locale ?? "ur", code, params, fields);
  if (wantsJson(request)) return reply.code(status).header("cache-control", "no-store").send(body);
  return sendPage(request, reply, {
    title: t(request.locale, "error.page_title"),
    status,
    body: (
      <section>
        <h1>{t(request.locale, "error.page_title")}</h1>
        <p class="notice bad" role="alert">
          {body.error.message}
        </p>
        {body.error.fields && (
          <ul>
            {body.error.fields.map((f) => (
              <li>{f.message}</li>
            ))}
          </ul>
        )}
        <p>
          <a href={`/${request.locale}`}>{t(request.locale, "error.back_home")}</a>
        </p>
      </section>
    ),
  });
}

/** Maps every thrown error to the one shape; 5xx details go to the log, never to the person. */
export async function handleError(
  error: FastifyError | DomainError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const { status, code, params, fields } = classify(error);
  if (status >= 500) request.log.error({ err: error }, "request failed");
  else request.log.info({ code, status }, "request refused");
  if (status === 401 && !wantsJson(request) && request.method === "GET") {
    const login =
      request.routeOptions.config?.access === "member"
        ? `/${request.locale ?? "ur"}/account/login`
        : "/staff/login";
    return reply.redirect(`${login}?next=${encodeURIComponent(request.url)}`, 303);
  }
  try {
    return await sendError(request, reply, status, code, params, fields);
  } catch (renderError) {
    // The error page itself failed: answer plainly, still without internals.
    request.log.error({ err: renderError }, "error page failed");
    return reply
      .code(status)
      .type("application/json")
      .send(errorBody(request.locale ?? "ur", status >= 500 ? "internal" : code, params));
  }
}
