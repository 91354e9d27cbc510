import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cliActor, type Actor } from "../audit/actor.ts";
import { setCurrentCentre } from "../centres/currentCentre.ts";
import { findCentreByCode, listCentres } from "../centres/queries.ts";
import { createCentre } from "../centres/saveCentre.ts";
import type { Clock } from "../db/clock.ts";
import type { Db } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import { createStaffUser } from "../identity/createStaffUser.ts";
import { generatePassword } from "../identity/passwords.ts";
import { countStaffUsers } from "../identity/queries.ts";
import { storeMediaFile } from "../portal/media.ts";
import { findArticleBySlug, insertArticle } from "../portal/queries.ts";
import { newShortId, slugify } from "../portal/slugs.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const demoDir = path.join(here, "..", "portal", "demo");

export const DEMO_CENTRE_CODE = "ISB-01";

export interface SeedReport {
  centreCreated: boolean;
  admin: { username: string; password: string } | null;
  articlesAdded: number;
}

interface SeedArticle {
  language: "ur" | "en";
  title: string;
  strap: string;
  view_count: number;
  image_caption: string;
  body_paragraphs: string[];
}

/**
 * Seeds the demo centre, a first administrator and the seed article. Each part is keyed by
 * a natural key (centre code, "any staff exists", article slug), so running it again adds nothing.
 */
export async function seedDemo(
  db: Db,
  dataDir: string,
  clock: Clock,
  actor: Actor = cliActor(),
): Promise<SeedReport> {
  const report: SeedReport = { centreCreated: false, admin: null, articlesAdded: 0 };
  await db.transaction().execute(async (trx) => {
    const ctx = { actor, clock };
    let centre = await findCentreByCode(trx, DEMO_CENTRE_CODE);
    if (!centre && (await listCentres(trx)).length === 0) {
      await createCentre(
        trx,
        {
          code: DEMO_CENTRE_CODE,
          name_ur: "انفارمیشن ایکسیس سنٹر اسلام آباد",
          name_en: "Information Access Centre Islamabad",
          district: "Islamabad",
          province: "ict",
          address: "G-9 Markaz, Islamabad",
          time_zone: "Asia/Karachi",
          phone: "+92 51 0000000",
          email: null,
          exceptions: [{ date: "2026-12-25", closed: true, note: "Quaid-e-Azam Day" }],
        },
        ctx,
      );
      centre = await findCentreByCode(trx, DEMO_CENTRE_CODE);
      report.centreCreated = true;
    }
    if (centre && report.centreCreated) await setCurrentCentre(trx, centre.id, clock.now().toISOString());

    if ((await countStaffUsers(trx)) === 0) {
      const password = generatePassword();
      await createStaffUser(
        trx,
        {
          username: "admin",
          displayName: "Administrator",
          role: "hq_admin",
          centreId: null,
          password,
          locale: "ur",
        },
        ctx,
      );
      report.admin = { username: "admin", password };
    }

    const seed = JSON.parse(fs.readFileSync(path.join(demoDir, "seed-article.json"), "utf8")) as SeedArticle;
    const slug = slugify(seed.title);
    if (!(await findArticleBySlug(trx, seed.language, slug))) {
      const shortId = newShortId();
      const imageName = `${shortId}.jpg`;
      storeMediaFile(dataDir, imageName, path.join(demoDir, "seed-article.jpg"));
      const now = clock.now().toISOString();
      await insertArticle(trx, {
        id: newId(),
        centre_id: null,
        short_id: shortId,
        lang: seed.language,
        kind: "news",
        status: "published",
        slug,
        title: seed.title,
        strap: seed.strap,
        body: JSON.stringify(seed.body_paragraphs),
        image_path: imageName,
        image_alt: "وفاقی وزیر سید امین الحق اور پاکستان میں کوریا کے سفیر سو سنگپیو ملاقات کے دوران",
        image_caption: seed.image_caption,
        byline: null,
        view_count: seed.view_count,
        published_at: "2021-05-10T10:00:00.000Z",
        created_at: now,
        updated_at: now,
        deleted_at: null,
      });
      report.articlesAdded++;
    }
  });
  return report;
}
