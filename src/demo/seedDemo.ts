import { addPc } from "../access/pcs.ts";
import { listPcs } from "../access/queries.ts";
import { ensureCategories as ensureMemberCategories } from "../members/categories.ts";
import { loadMemberKeys } from "../members/keys.ts";
import { registerMember } from "../members/register.ts";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cliActor, type Actor } from "../audit/actor.ts";
import { setCurrentCentre } from "../centres/currentCentre.ts";
import { findCentreByCode, listCentres } from "../centres/queries.ts";
import { createCentre } from "../centres/saveCentre.ts";
import type { Clock } from "../db/clock.ts";
import type { Db, Executor } from "../db/connect.ts";
import { newId } from "../db/ids.ts";
import { createStaffUser } from "../identity/createStaffUser.ts";
import { generatePassword } from "../identity/passwords.ts";
import { countStaffUsers } from "../identity/queries.ts";
import { attachLeadImage } from "../portal/articles/attachImage.ts";
import { createArticle } from "../portal/articles/saveArticle.ts";
import { linkTranslation } from "../portal/articles/workflow.ts";
import { findArticleBySourceKey, findCategoryBySlug, insertCategory } from "../portal/queries.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const demoDir = path.join(here, "..", "portal", "demo");

export const DEMO_CENTRE_CODE = "ISB-01";

export const DEMO_CATEGORIES = [
  { slug: "technology", name_ur: "ٹیکنالوجی", name_en: "Technology" },
  { slug: "education", name_ur: "تعلیم", name_en: "Education" },
  { slug: "e-services", name_ur: "ای سروسز", name_en: "E-services" },
  { slug: "agriculture", name_ur: "زراعت", name_en: "Agriculture" },
];

export interface SeedReport {
  centreCreated: boolean;
  admin: { username: string; password: string } | null;
  articlesAdded: number;
  membersAdded: number;
}

/** Six PCs and three members (PIN 2580) so the desk, the kiosk and the card can be tried. */
async function seedPcsAndMembers(
  db: Db,
  centreId: string,
  dataDir: string,
  ctx: { actor: Actor; clock: Clock },
): Promise<number> {
  if ((await listPcs(db, centreId)).length > 0) return 0;
  for (const [name, room] of [
    ["PC-01", "lounge"],
    ["PC-02", "lounge"],
    ["PC-03", "lounge"],
    ["PC-04", "lounge"],
    ["LAB-01", "lab"],
    ["LAB-02", "lab"],
  ] as const) {
    await addPc(db, centreId, { name, room }, ctx);
  }
  const categories = await ensureMemberCategories(db, centreId, ctx.clock);
  const keys = loadMemberKeys(dataDir, process.env);
  const people = [
    {
      full_name_ur: "عائشہ بی بی",
      full_name_en: "Ayesha Bibi",
      cnic: "61101-0000001-2",
      date_of_birth: "1994-03-08",
      gender: "female",
      category: "women",
    },
    {
      full_name_ur: "محمد عمران",
      full_name_en: "Muhammad Imran",
      cnic: "61101-0000002-1",
      date_of_birth: "1968-11-20",
      gender: "male",
      category: "senior",
    },
    {
      full_name_ur: "زینب علی",
      full_name_en: "Zainab Ali",
      cnic: "61101-0000003-4",
      date_of_birth: "2006-06-15",
      gender: "",
      category: "student",
    },
  ];
  for (const p of people) {
    await registerMember(
      db,
      centreId,
      {
        ...p,
        phone: "03001234567",
        district: "Islamabad",
        education: p.category === "student" ? "intermediate" : "matric",
        category_id: (categories.find((c) => c.code === p.category) ?? categories[0])!.id,
        consent: "yes",
        pin: "2580",
        confirm_not_duplicate: "yes",
      },
      { ...ctx, keys },
    );
  }
  return people.length;
}

interface SeedArticle {
  key?: string;
  language: "ur" | "en";
  kind?: "news" | "notice" | "guide";
  category?: string;
  centre?: boolean;
  title: string;
  strap: string;
  view_count: number;
  image_caption?: string;
  body_paragraphs: string[];
  also_read_after_paragraph?: number;
  also_read_titles?: string[];
  published_at?: string;
  expires_in_days?: number;
  translation_of?: string;
}

async function ensureCategories(db: Executor, clock: Clock) {
  for (const c of DEMO_CATEGORIES) {
    if (await findCategoryBySlug(db, c.slug)) continue;
    const now = clock.now().toISOString();
    await insertCategory(db, {
      id: newId(),
      centre_id: null,
      ...c,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
  }
}

/**
 * Seeds the demo centre, a first administrator, categories, the seed article (with its lead
 * image), its two also-read articles, notices, and news and guides about the centre's services
 * in Urdu and English (so search can be tried in Urdu script, English and Roman Urdu). Each
 * part is keyed (centre code, "any staff exists", category slug, article source key), so
 * running it again adds nothing.
 */
export async function seedDemo(
  db: Db,
  dataDir: string,
  clock: Clock,
  actor: Actor = cliActor(),
): Promise<SeedReport> {
  const report: SeedReport = { centreCreated: false, admin: null, articlesAdded: 0, membersAdded: 0 };
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
      if (centre) await setCurrentCentre(trx, centre.id, clock.now().toISOString());
    }

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

    await ensureCategories(trx, clock);

    const extras = JSON.parse(
      fs.readFileSync(path.join(demoDir, "extra-articles.json"), "utf8"),
    ) as SeedArticle[];
    const seed = JSON.parse(fs.readFileSync(path.join(demoDir, "seed-article.json"), "utf8")) as SeedArticle;
    const all: SeedArticle[] = [
      ...extras,
      {
        ...seed,
        key: "seed-article",
        kind: "news",
        category: "technology",
        published_at: "2021-05-10T10:00:00.000Z",
      },
    ];
    for (const a of all) {
      const sourceKey = `demo:${a.key}`;
      if (await findArticleBySourceKey(trx, sourceKey)) continue;
      const expires = a.expires_in_days
        ? new Date(clock.now().getTime() + a.expires_in_days * 86400000).toISOString()
        : null;
      // The seed article links to the two short articles made before it.
      const alsoRead = await Promise.all(
        (a.also_read_titles ?? []).map((_, i) => findArticleBySourceKey(trx, `demo:also-read-${i + 1}`)),
      );
      const created = await createArticle(
        trx,
        {
          lang: a.language,
          kind: a.kind ?? "news",
          centre: a.centre && centre ? centre.code : "national",
          title: a.title,
          strap: a.strap,
          body: a.body_paragraphs.join("\n\n"),
          category: a.category ?? null,
          also_read: alsoRead.filter(Boolean).map((x) => x!.short_id),
          also_read_after: a.also_read_after_paragraph ?? 2,
          image_caption: a.image_caption ?? null,
          expires_at: expires,
        },
        ctx,
        {
          status: "published",
          published_at: a.published_at ?? clock.now().toISOString(),
          view_count: a.view_count,
          source_key: sourceKey,
        },
      );
      report.articlesAdded++;
      if (a.key === "seed-article") {
        await attachLeadImage(
          trx,
          {
            articleId: created.id,
            bytes: fs.readFileSync(path.join(demoDir, "seed-article.jpg")),
            alt: "وفاقی وزیر سید امین الحق اور پاکستان میں کوریا کے سفیر سو سنگپیو ملاقات کے دوران",
            dataDir,
          },
          ctx,
        );
      }
    }
    for (const a of all.filter((x) => x.translation_of)) {
      const one = await findArticleBySourceKey(trx, `demo:${a.key}`);
      const other = await findArticleBySourceKey(trx, `demo:${a.translation_of}`);
      if (one && other && !one.translation_group) await linkTranslation(trx, one.id, other.short_id, ctx);
    }
    if (centre) report.membersAdded = await seedPcsAndMembers(trx, centre.id, dataDir, ctx);
  });
  return report;
}
