import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import crypto from "node:crypto";
import type { FastifyInstance } from "fastify";
import { renderToString } from "preact-render-to-string";
import { Type } from "typebox";
import { findCentreById } from "../../centres/queries.ts";
import { formatDate, translator } from "../../i18n/index.ts";
import { DESK } from "../../identity/policy.ts";
import { baseUrl, sendPage } from "../../server/render.tsx";
import { code128Svg, qrSvg } from "../card/codes.ts";
import { renderPdf } from "../card/pdf.ts";
import { signMemberRef } from "../card/reference.ts";
import { issueCard } from "../cards.ts";
import { ensureCategories } from "../categories.ts";
import { photoDataUrl, readPhoto } from "../photos.ts";
import { listCards } from "../queries.ts";
import { loadMemberFor } from "../register.ts";
import { CARD_PRINT_JS, cardStyleText } from "../views/cardAssets.ts";
import { CardPage } from "../views/CardPage.tsx";
import { memberKeys } from "./context.ts";
import { deskContext, FormBody, IdParams } from "./deskContext.ts";

const CARD_JS_HASH = crypto.createHash("sha256").update(CARD_PRINT_JS).digest("hex").slice(0, 10);

/** The member card: issuing one, its print page (with the photo if any) and the same as a PDF. */
export async function memberCardRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, secret } = app.deps;
  const desk = { staff: DESK };
  const { ctx, timeZone } = deskContext(app);

  app.post(
    "/staff/members/:id/card",
    { config: { access: desk }, schema: { params: IdParams, body: FormBody, hide: true } },
    async (request, reply) => {
      const reason = typeof request.body.reason === "string" ? request.body.reason : "";
      await db.transaction().execute((trx) => issueCard(trx, request.params.id, reason, ctx(request)));
      return reply.redirect(`/staff/members/${request.params.id}/card?print=1`, 303);
    },
  );

  app.get(
    "/staff/members/card.js",
    { config: { access: desk }, schema: { hide: true } },
    async (_request, reply) => {
      reply.header("cache-control", "private, max-age=86400").type("text/javascript; charset=utf-8");
      return CARD_PRINT_JS;
    },
  );

  app.get(
    "/staff/members/:id/card",
    {
      config: { access: desk },
      schema: {
        params: IdParams,
        querystring: Type.Object({ print: Type.Optional(Type.String({ maxLength: 2 })) }),
        hide: true,
      },
    },
    async (request, reply) => {
      const t = translator(request.locale);
      const m = await loadMemberFor(db, request.params.id, request.actor());
      if (m.card_serial === 0 || m.status !== "active") return reply.redirect(`/staff/members/${m.id}`, 303);
      const centre = await findCentreById(db, m.centre_id);
      const cat = (await ensureCategories(db, m.centre_id, clock)).find((c) => c.id === m.category_id);
      const card = (await listCards(db, m.id)).find((c) => c.serial === m.card_serial);
      const ref = signMemberRef(secret, m.member_no, m.card_serial);
      // Inline, so the photo is there when the page prints (and in the PDF) without a second
      // request; the page's CSP allows data: images.
      const photo = await readPhoto(db, m, memberKeys(app));
      const props = {
        locale: request.locale,
        css: "",
        fontUrduUrl: app.assets.urls.fontUrdu,
        fontLatinUrl: app.assets.urls.fontLatin,
        faviconUrl: app.assets.urls.favicon,
        centreNameUr: centre?.name_ur ?? "",
        centreNameEn: centre?.name_en ?? "",
        memberNo: m.member_no,
        fullNameUr: m.full_name_ur,
        fullNameEn: m.full_name_en,
        categoryUr: cat?.name_ur ?? "",
        categoryEn: cat?.name_en ?? "",
        issued: formatDate(request.locale, card?.issued_at ?? m.updated_at, await timeZone()),
        photoUrl: photo ? photoDataUrl(photo) : null,
        qrSvg: await qrSvg(ref),
        barcodeSvg: code128Svg(ref),
        autoPrint: request.query.print === "1",
        printScriptUrl: `/staff/members/card.js?v=${CARD_JS_HASH}`,
        backHref: `/staff/members/${m.id}`,
        labels: { print: t("members.card_print"), back: t("members.card_back") },
      };
      const styleHash = crypto.createHash("sha256").update(cardStyleText(props)).digest("base64");
      reply.header(
        "content-security-policy",
        `default-src 'self'; script-src 'self'; style-src 'self' 'sha256-${styleHash}'; img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'`,
      );
      reply.header("cache-control", "no-store").type("text/html; charset=utf-8");
      return `<!doctype html>${renderToString(<CardPage {...props} />)}`;
    },
  );

  app.get(
    "/staff/members/:id/card.pdf",
    { config: { access: desk }, schema: { params: IdParams, hide: true } },
    async (request, reply) => {
      const t = translator(request.locale);
      const m = await loadMemberFor(db, request.params.id, request.actor());
      if (m.card_serial === 0) return reply.redirect(`/staff/members/${m.id}`, 303);
      const token = request.cookies.rasai_staff ?? "";
      const url = new URL(`/staff/members/${m.id}/card`, baseUrl(request));
      const pdf = await renderPdf(url.toString(), {
        cookie: { name: "rasai_staff", value: token, domain: url.hostname },
      });
      if (!pdf) {
        return sendPage(request, reply, {
          title: t("members.card"),
          status: 503,
          flash: { kind: "bad", text: t("members.card_no_pdf") },
          body: (
            <p>
              <a href={`/staff/members/${m.id}/card`}>{t("members.card_open")}</a>
            </p>
          ),
        });
      }
      reply.header("cache-control", "no-store");
      reply.header("content-disposition", `attachment; filename="card-${m.member_no}.pdf"`);
      return reply.type("application/pdf").send(pdf);
    },
  );
}
