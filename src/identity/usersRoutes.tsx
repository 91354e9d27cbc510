import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { findCentreByCode, listCentres } from "../centres/queries.ts";
import { formatDate, translator } from "../i18n/index.ts";
import { DomainError } from "../server/errors.ts";
import { formErrors } from "../server/forms.ts";
import { sendPage } from "../server/render.tsx";
import type { FieldErrors } from "../ui/forms.tsx";
import { createStaffUser } from "./createStaffUser.ts";
import { generatePassword } from "./passwords.ts";
import { isStaffRole, MANAGERS } from "./policy.ts";
import { listStaffUsers } from "./queries.ts";
import { resetStaffPassword } from "./resetStaffPassword.ts";
import { csrfOf } from "./routes.tsx";
import { UsersPage } from "./views/UsersPage.tsx";

/** Staff accounts: headquarters manages everyone; a manager their own centre's staff and instructors. */
export async function usersRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock, config } = app.deps;
  const access = { staff: MANAGERS };
  const FormBody = Type.Record(Type.String(), Type.Unknown());

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values?: Record<string, string>; errors?: FieldErrors; flash?: string; status?: number } = {},
  ) {
    const t = translator(request.locale);
    const user = request.staff!.user;
    const hq = user.role === "hq_admin";
    const centres = await listCentres(db);
    const names = new Map(centres.map((c) => [c.id, request.locale === "ur" ? c.name_ur : c.name_en]));
    const rows = await listStaffUsers(db, hq ? null : user.centre_id);
    const tz = (await app.currentCentre())?.time_zone ?? config.defaultTimeZone;
    const now = clock.now().toISOString();
    const roles = (
      hq
        ? (["staff", "instructor", "centre_manager", "hq_admin"] as const)
        : (["staff", "instructor"] as const)
    ).map((r) => ({ value: r, label: t(`role.${r}`) }));
    reply.header("cache-control", "private, no-store");
    return sendPage(request, reply, {
      title: t("users.title"),
      status: state.status ?? 200,
      flash: state.flash ? { kind: "ok", text: state.flash } : null,
      body: (
        <UsersPage
          t={t}
          csrf={csrfOf(request)}
          rows={rows.map((r) => ({
            username: r.username,
            name: r.display_name,
            role: t(`role.${r.role}`),
            centre: r.centre_id ? (names.get(r.centre_id) ?? "") : t("dashboard.all_centres"),
            lastLogin: r.last_login_at
              ? formatDate(request.locale, r.last_login_at, tz, "datetime")
              : t("users.never"),
            locked: !!r.locked_until && r.locked_until > now,
          }))}
          roles={roles}
          centres={
            hq
              ? centres.map((c) => ({
                  value: c.code,
                  label: request.locale === "ur" ? c.name_ur : c.name_en,
                }))
              : null
          }
          values={state.values ?? { role: "staff" }}
          errors={state.errors ?? {}}
        />
      ),
    });
  }

  app.get("/staff/users", { config: { access } }, async (request, reply) => render(request, reply));

  app.post("/staff/users", { config: { access }, schema: { body: FormBody } }, async (request, reply) => {
    const t = translator(request.locale);
    const body = request.body as Record<string, unknown>;
    const values = Object.fromEntries(
      Object.entries(body).filter(([, v]) => typeof v === "string"),
    ) as Record<string, string>;
    const user = request.staff!.user;
    const role = values.role ?? "";
    const centreId =
      user.role === "hq_admin"
        ? role === "hq_admin"
          ? null
          : ((await findCentreByCode(db, values.centre ?? ""))?.id ?? null)
        : user.centre_id;
    const password = generatePassword();
    try {
      await db.transaction().execute((trx) =>
        createStaffUser(
          trx,
          {
            username: values.username ?? "",
            displayName: values.display_name ?? "",
            role: isStaffRole(role) ? role : ("" as never),
            centreId,
            password,
            locale: request.locale,
          },
          { actor: request.actor(), clock },
        ),
      );
    } catch (error) {
      if (error instanceof DomainError && error.fields.length) {
        return render(request, reply, {
          values,
          errors: formErrors(request.locale, error.fields),
          status: 400,
        });
      }
      throw error;
    }
    return render(request, reply, {
      flash: t("users.created", { username: (values.username ?? "").trim().toLowerCase(), password }),
    });
  });

  app.post(
    "/staff/users/reset",
    { config: { access }, schema: { body: FormBody } },
    async (request, reply) => {
      const t = translator(request.locale);
      const username = String((request.body as Record<string, unknown>).username ?? "");
      const password = generatePassword();
      await db
        .transaction()
        .execute((trx) =>
          resetStaffPassword(trx, { username, newPassword: password }, { actor: request.actor(), clock }),
        );
      return render(request, reply, { flash: t("users.reset_done", { username, password }) });
    },
  );
}
