/**
 * Table shapes as Kysely sees them. Timestamps are ISO-8601 UTC strings on both
 * dialects (PostgreSQL's timestamptz is parsed back to the same string form), flags
 * are 0/1 integers, JSON is text: one row shape whatever the database.
 */
export interface SyncedRow {
  id: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface InstanceSettingTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface CentreTable extends SyncedRow {
  code: string;
  name_ur: string;
  name_en: string;
  district: string;
  province: string;
  address: string;
  time_zone: string;
  phone: string | null;
  email: string | null;
  /** JSON: `{ "mon": [{"opens":"09:00","closes":"17:00"}], ... }`; a missing day is closed. */
  opening_hours: string;
}

export interface CentreHoursExceptionTable extends SyncedRow {
  centre_id: string;
  date: string;
  /** 1 when closed all day, else the opens/closes pair applies. */
  closed: number;
  opens: string | null;
  closes: string | null;
  note: string;
}

export type StaffRole = "hq_admin" | "centre_manager" | "staff" | "instructor";

export interface StaffUserTable extends SyncedRow {
  centre_id: string | null;
  username: string;
  display_name: string;
  role: StaffRole;
  password_hash: string;
  locale: string;
  failed_logins: number;
  locked_until: string | null;
  password_changed_at: string | null;
  last_login_at: string | null;
}

export interface SessionTable {
  /** SHA-256 of the cookie token: a copied database holds no usable session. */
  id: string;
  kind: string;
  subject_id: string;
  csrf_secret: string;
  ip: string;
  user_agent: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  id: string;
  centre_id: string | null;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  entity: string;
  entity_id: string | null;
  details: string;
  ip: string | null;
  created_at: string;
}

export interface ArticleTable extends SyncedRow {
  centre_id: string | null;
  short_id: string;
  lang: "ur" | "en";
  kind: "news" | "notice" | "guide";
  status: "draft" | "review" | "published";
  slug: string;
  title: string;
  strap: string;
  /** JSON array of paragraphs (the portal issue turns this into Markdown). */
  body: string;
  image_path: string | null;
  image_alt: string | null;
  image_caption: string | null;
  byline: string | null;
  view_count: number;
  published_at: string | null;
}

export interface Database {
  instance_settings: InstanceSettingTable;
  centres: CentreTable;
  centre_hours_exceptions: CentreHoursExceptionTable;
  staff_users: StaffUserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  articles: ArticleTable;
}
