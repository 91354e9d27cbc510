import type { FastifyInstance } from "fastify";
import { kioskRoutes } from "./kiosk.tsx";
import { memberReservationRoutes } from "./memberReservations.tsx";
import { pcDeskRoutes } from "./pcDesk.tsx";
import { pcSettingsRoutes } from "./pcSettings.tsx";
import { queueDeskRoutes } from "./queueDesk.tsx";
import { queueScreenRoutes } from "./queueScreens.tsx";
import { reservationDeskRoutes } from "./reservationDesk.tsx";

/** Every PC-access route: the desk's PCs and settings, the kiosks, reservations and the queue. */
export async function accessRoutes(app: FastifyInstance): Promise<void> {
  await pcDeskRoutes(app);
  await pcSettingsRoutes(app);
  await kioskRoutes(app);
  await reservationDeskRoutes(app);
  await memberReservationRoutes(app);
  await queueScreenRoutes(app);
  await queueDeskRoutes(app);
}
