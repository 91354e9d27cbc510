import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { NotFound } from "../../server/errors.ts";
import type { FieldErrors } from "../../ui/forms.tsx";
import type { MemberCtx } from "../register.ts";
import { memberKeys } from "./context.ts";

export const FormBody = Type.Record(Type.String(), Type.Unknown());
export const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });

/** The string fields of a posted form (files and repeated fields left out). */
export function strings(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>))
    if (typeof v === "string") out[k] = v;
  return out;
}

/** The forms of a member's page at the desk; field errors are shown next to the one that failed. */
export type DetailForm = "pin" | "reveal" | "erase" | "photo";

export interface DetailState {
  revealed?: string;
  errors?: FieldErrors;
  errorsFor?: DetailForm;
  flash?: string;
  status?: number;
}

export type RenderDetail = (
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  state?: DetailState,
) => Promise<FastifyReply>;

/** What every desk member route needs from the app. */
export function deskContext(app: FastifyInstance) {
  const { clock, config } = app.deps;
  return {
    ctx: (request: FastifyRequest): MemberCtx => ({ actor: request.actor(), clock, keys: memberKeys(app) }),
    /** The centre a desk member works for; headquarters registers for the centre this server runs. */
    async workingCentreId(request: FastifyRequest): Promise<string> {
      const user = request.staff!.user;
      if (user.centre_id) return user.centre_id;
      const current = await app.currentCentre();
      if (!current) throw new NotFound("centre");
      return current.id;
    },
    async timeZone(): Promise<string> {
      return (await app.currentCentre())?.time_zone ?? config.defaultTimeZone;
    },
  };
}
