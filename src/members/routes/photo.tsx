import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { LOCALES } from "../../i18n/index.ts";
import { DESK } from "../../identity/policy.ts";
import { handleError } from "../../server/errorHandler.tsx";
import { NotFound, type DomainError } from "../../server/errors.ts";
import { formErrors } from "../../server/forms.ts";
import {
  memberPhotoFor,
  preparePhoto,
  removeMemberPhoto,
  setMemberPhoto,
  type MemberPhoto,
} from "../photos.ts";
import { loadMemberFor } from "../register.ts";
import { memberKeys } from "./context.ts";
import { detailAction, detailRenderer } from "./detail.tsx";
import { deskContext, FormBody, IdParams } from "./deskContext.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A photo is personal data: never cached by the browser or anything between. The header is set
 * before the photo is looked up, so an error answer (no photo, refused) is not cached either.
 */
async function sendPhoto(reply: FastifyReply, find: () => Promise<MemberPhoto | null>) {
  reply.header("cache-control", "private, no-store");
  const photo = await find();
  if (!photo) throw new NotFound();
  return reply
    .type(photo.contentType)
    .header("content-disposition", "inline")
    .header("content-length", photo.jpeg.length)
    .send(photo.jpeg);
}

/**
 * A member's photo: the desk uploads, replaces or removes it on the member's page (a multipart
 * form that works without JavaScript); the desk of the member's centre and the member themself
 * (signed in, on their account page) can see it. There is no public address for a photo.
 */
export async function memberPhotoRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.deps;
  const desk = { staff: DESK };
  const { ctx } = deskContext(app);
  const renderDetail = detailRenderer(app);

  /** A file over the upload limit is refused while the form is read: show it next to the field. */
  async function uploadErrors(
    error: FastifyError | DomainError,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const id = (request.params as { id?: string }).id;
    if ((error as FastifyError).code === "FST_REQ_FILE_TOO_LARGE" && id && UUID.test(id) && request.staff) {
      return renderDetail(request, reply, id, {
        errors: formErrors(request.locale, [{ path: "/photo", code: "photo_too_large" }]),
        errorsFor: "photo",
        status: 413,
      });
    }
    return handleError(error, request, reply);
  }

  app.post(
    "/staff/members/:id/photo",
    {
      config: { access: desk },
      schema: { params: IdParams, consumes: ["multipart/form-data"], hide: true },
      errorHandler: uploadErrors,
    },
    async (request, reply) => {
      const m = await loadMemberFor(db, request.params.id, request.actor());
      const body = (request.body ?? {}) as Record<string, unknown>;
      const failed = await detailAction(renderDetail, request, reply, m.id, "photo", async () => {
        // The picture is checked and converted before the transaction opens; the transaction
        // only writes, so a failure anywhere leaves the member as they were.
        const photo = await preparePhoto(Buffer.isBuffer(body.photo) ? body.photo : null);
        await db.transaction().execute((trx) => setMemberPhoto(trx, m.id, photo, ctx(request)));
      });
      return failed ?? reply.redirect(`/staff/members/${m.id}?done=photo_saved#photo`, 303);
    },
  );

  app.post(
    "/staff/members/:id/photo/remove",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    async (request, reply) => {
      await db.transaction().execute((trx) => removeMemberPhoto(trx, request.params.id, ctx(request)));
      return reply.redirect(`/staff/members/${request.params.id}?done=photo_removed#photo`, 303);
    },
  );

  app.get(
    "/staff/members/:id/photo",
    {
      config: { access: desk },
      schema: {
        params: IdParams,
        // The photo's id, so a replaced photo gets a new address; the answer is never cached anyway.
        querystring: Type.Object({ v: Type.Optional(Type.String({ maxLength: 40 })) }),
        hide: true,
      },
    },
    async (request, reply) =>
      sendPhoto(reply, () =>
        memberPhotoFor(db, request.params.id, { actor: request.actor(), keys: memberKeys(app) }),
      ),
  );

  for (const locale of LOCALES) {
    app.get(`/${locale}/account/photo`, { config: { access: "member" } }, async (request, reply) =>
      sendPhoto(reply, () =>
        memberPhotoFor(db, request.member!.member.id, { actor: request.actor(), keys: memberKeys(app) }),
      ),
    );
  }
}
