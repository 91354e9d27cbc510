import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { diffWords } from "diff";
import { Type } from "typebox";
import { translator } from "../../i18n/index.ts";
import { csrfOf } from "../../identity/routes.tsx";
import { DESK } from "../../identity/policy.ts";
import { NotFound } from "../../server/errors.ts";
import { sendPage } from "../../server/render.tsx";
import type { Snapshot } from "../articles/snapshot.ts";
import { restoreRevision } from "../articles/workflow.ts";
import { mayRestoreRevision } from "../policy.ts";
import { findRevision } from "../queries.ts";
import { DiffPage } from "./DeskPages.tsx";
import { loadDeskArticle } from "./loadDeskArticle.ts";

/** A revision compared word by word with the article as it is now, and restoring it. */
export async function revisionRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = app.deps;
  const access = { staff: DESK };
  const loadForDesk = (request: Parameters<typeof loadDeskArticle>[1], id: string) =>
    loadDeskArticle(db, request, id);

  const RevParams = Type.Object({ id: Type.String({ format: "uuid" }), n: Type.Integer({ minimum: 1 }) });

  app.get(
    "/staff/articles/:id/revisions/:n",
    { config: { access }, schema: { params: RevParams } },
    async (request, reply) => {
      const a = await loadForDesk(request, request.params.id);
      const revision = await findRevision(db, a.id, request.params.n);
      if (!revision) throw new NotFound("revision");
      const t = translator(request.locale);
      const snap = JSON.parse(revision.snapshot) as Snapshot;
      const text = (x: { title: string; strap: string; body_md: string }) =>
        `${x.title}\n\n${x.strap}\n\n${x.body_md}`;
      const parts = diffWords(text(snap), text(a), {
        intlSegmenter: new Intl.Segmenter(a.lang, { granularity: "word" }),
      }).map((p) => ({
        kind: p.added ? ("added" as const) : p.removed ? ("removed" as const) : ("same" as const),
        text: p.value,
      }));
      return sendPage(request, reply, {
        title: t("desk.diff_title", { n: revision.number }),
        body: (
          <DiffPage
            t={t}
            heading={t("desk.diff_title", { n: revision.number })}
            parts={parts}
            restore={
              mayRestoreRevision(request.actor(), a)
                ? {
                    action: `/staff/articles/${a.id}/revisions/${revision.number}/restore`,
                    csrf: csrfOf(request),
                  }
                : null
            }
            back={`/staff/articles/${a.id}`}
          />
        ),
      });
    },
  );

  app.post(
    "/staff/articles/:id/revisions/:n/restore",
    { config: { access }, schema: { params: RevParams } },
    async (request, reply) => {
      const a = await loadForDesk(request, request.params.id);
      await db
        .transaction()
        .execute((trx) => restoreRevision(trx, a.id, request.params.n, { actor: request.actor(), clock }));
      return reply.redirect(`/staff/articles/${a.id}?done=restored`, 303);
    },
  );
}
