import type { FastifyInstance } from "fastify";
import { deskMemberRoutes } from "./desk.tsx";
import { publicMemberRoutes } from "./public.tsx";

export async function memberRoutes(app: FastifyInstance): Promise<void> {
  await deskMemberRoutes(app);
  await publicMemberRoutes(app);
}
