import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { listAuditEntries } from "../audit/queries.ts";
import { AuditPage } from "../audit/views/AuditPage.tsx";
import { findCentreById } from "../centres/queries.ts";
import { formatDate, translator } from "../i18n/index.ts";
import { STAFF_AREAS } from "../identity/navigation.ts";
import { ALL_STAFF, MANAGERS } from "../identity/policy.ts";
import { Placeholder } from "../ui/Placeholder.tsx";
import { sendPage } from "./render.tsx";

/** The staff dashboard, the audit log, and the areas later issues fill in. */
export async function staffPages(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.deps;

  app.get("/staff", { config: { access: { staff: ALL_STAFF } } }, async (request, reply) => {
    const t = translator(request.locale);
    const user = request.staff!.user;
    const centre = user.centre_id ? await findCentreById(db, user.centre_id) : undefined;
    const areas = STAFF_AREAS.filter((a) => a.href !== "/staff" && a.roles.includes(user.role));
    return sendPage(request, reply, {
      title: t("dashboard.title"),
      body: (
        <section>
          <h1>{t("dashboard.welcome", { name: user.display_name })}</h1>
          <p class="meta">
            {t("dashboard.signed_in_as", { username: user.username, role: t(`role.${user.role}`) })}
            {" · "}
            {centre
              ? t("dashboard.centre", { centre: request.locale === "ur" ? centre.name_ur : centre.name_en })
              : t("dashboard.all_centres")}
          </p>
          <ul class="cards list">
            {areas.map((a) => (
              <li class="card">
                <a href={a.href}>{t(a.label)}</a>
              </li>
            ))}
          </ul>
        </section>
      ),
    });
  });

  for (const area of ["training", "reports"] as const) {
    const def = STAFF_AREAS.find((a) => a.href === `/staff/${area}`)!;
    app.get(`/staff/${area}`, { config: { access: { staff: def.roles } } }, async (request, reply) => {
      const t = translator(request.locale);
      return sendPage(request, reply, {
        title: t(def.label),
        body: (
          <Placeholder
            title={t(def.label)}
            text={t(`placeholder.${area}`)}
            coming={t("placeholder.coming")}
          />
        ),
      });
    });
  }

  app.get(
    "/staff/audit",
    {
      config: { access: { staff: MANAGERS } },
      schema: {
        querystring: Type.Object({ page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 }) }),
      },
    },
    async (request, reply) => {
      const t = translator(request.locale);
      const user = request.staff!.user;
      const per = 50;
      const page = request.query.page;
      const rows = await listAuditEntries(db, {
        centreId: user.role === "hq_admin" ? null : user.centre_id,
        limit: per + 1,
        offset: (page - 1) * per,
      });
      const tz = (await app.currentCentre())?.time_zone ?? config.defaultTimeZone;
      return sendPage(request, reply, {
        title: t("audit.title"),
        body: (
          <AuditPage
            t={t}
            rows={rows.slice(0, per).map((r) => ({
              when: formatDate(request.locale, r.created_at, tz, "datetime"),
              isoWhen: r.created_at,
              who: `${r.actor_name} (${r.actor_kind})`,
              action: r.action,
              record: `${r.entity}${r.entity_id ? ` ${r.entity_id.slice(-8)}` : ""}`,
              from: r.ip ?? "",
            }))}
            newer={page > 1 ? `/staff/audit?page=${page - 1}` : null}
            older={rows.length > per ? `/staff/audit?page=${page + 1}` : null}
          />
        ),
      });
    },
  );
}
