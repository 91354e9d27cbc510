import type { FastifyInstance } from "fastify";
import { deskPcRoutes } from "./desk.tsx";
import { kioskRoutes } from "./kiosk.tsx";

export async function accessRoutes(app: FastifyInstance): Promise<void> {
  await deskPcRoutes(app);
  await kioskRoutes(app);
}
