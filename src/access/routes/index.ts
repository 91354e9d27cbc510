import type { FastifyInstance } from "fastify";
import { deskPcRoutes } from "./desk.tsx";
import { kioskRoutes } from "./kiosk.tsx";
import { queueRoutes } from "./queue.tsx";
import { accessReservationRoutes } from "./reservations.tsx";

export async function accessRoutes(app: FastifyInstance): Promise<void> {
  await deskPcRoutes(app);
  await kioskRoutes(app);
  await accessReservationRoutes(app);
  await queueRoutes(app);
}
