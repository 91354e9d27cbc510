import type { FastifyInstance } from "fastify";
import { memberCardRoutes } from "./card.tsx";
import { memberCategoryRoutes } from "./categories.tsx";
import { deskMemberRoutes } from "./desk.tsx";
import { memberDetailRoutes } from "./detail.tsx";
import { memberPhotoRoutes } from "./photo.tsx";
import { publicMemberRoutes } from "./public.tsx";

export async function memberRoutes(app: FastifyInstance): Promise<void> {
  await deskMemberRoutes(app);
  await memberDetailRoutes(app);
  await memberPhotoRoutes(app);
  await memberCardRoutes(app);
  await memberCategoryRoutes(app);
  await publicMemberRoutes(app);
}
