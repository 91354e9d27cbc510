// What every session, reservation and queue ticket records about who used it: category, age group
// and gender, never identity, so the rows survive a member's erasure and feed the reports.

import type { AccessStats, MemberTable } from "../db/schema.ts";

export const AGE_GROUPS = ["under-15", "15-24", "25-34", "35-49", "50-64", "65+"] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

export function ageOn(dateOfBirth: string, on: Date): number {
  const [y, m, d] = dateOfBirth.split("-").map(Number) as [number, number, number];
  let age = on.getUTCFullYear() - y;
  if (on.getUTCMonth() + 1 < m || (on.getUTCMonth() + 1 === m && on.getUTCDate() < d)) age--;
  return age;
}

export function ageGroup(age: number): AgeGroup {
  if (age < 15) return "under-15";
  if (age < 25) return "15-24";
  if (age < 35) return "25-34";
  if (age < 50) return "35-49";
  if (age < 65) return "50-64";
  return "65+";
}

/** The statistics columns for a member (or a guest, when member is null). */
export function accessStats(
  member: Pick<MemberTable, "date_of_birth" | "gender"> | null,
  categoryCode: string | null,
  now: Date,
): AccessStats {
  if (!member) return { category_code: "guest", age_group: null, gender: null };
  return {
    category_code: categoryCode,
    age_group: member.date_of_birth ? ageGroup(ageOn(member.date_of_birth, now)) : null,
    // Self-described text is folded to a few buckets so a rare answer cannot identify anyone.
    gender: genderBucket(member.gender),
  };
}

export function genderBucket(gender: string | null): string | null {
  if (!gender) return null;
  const g = gender.trim().toLowerCase();
  if (["female", "woman", "f", "عورت", "خاتون", "مونث", "لڑکی"].includes(g)) return "female";
  if (["male", "man", "m", "مرد", "مذکر", "لڑکا"].includes(g)) return "male";
  return "other";
}
