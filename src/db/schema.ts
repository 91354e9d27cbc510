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

export type ArticleKind = "news" | "notice" | "guide";
export type ArticleStatus = "draft" | "review" | "published";

export interface ArticleTable extends SyncedRow {
  /** null: national content (headquarters); else the centre it belongs to. */
  centre_id: string | null;
  short_id: string;
  lang: "ur" | "en";
  kind: ArticleKind;
  status: ArticleStatus;
  slug: string;
  title: string;
  strap: string;
  body_md: string;
  /** Rendered and sanitised from body_md on every save. */
  body_html: string;
  image_path: string | null;
  image_alt: string | null;
  image_caption: string | null;
  image_width: number | null;
  image_height: number | null;
  /** JSON: [{ width, format, file }] */
  image_variants: string;
  byline: string | null;
  view_count: number;
  published_at: string | null;
  scheduled_at: string | null;
  expires_at: string | null;
  content_updated_at: string | null;
  category_id: string | null;
  /** JSON string array. */
  tags: string;
  /** JSON array of article ids. */
  also_read: string;
  also_read_after: number;
  translation_group: string | null;
  author_id: string | null;
  source_key: string | null;
  comments_open: number;
}

export interface CategoryTable extends SyncedRow {
  centre_id: string | null;
  slug: string;
  name_ur: string;
  name_en: string;
}

export interface ArticleRevisionTable {
  id: string;
  article_id: string;
  centre_id: string | null;
  number: number;
  /** JSON of the editable fields at that moment. */
  snapshot: string;
  author_id: string | null;
  author_name: string;
  note: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export type CommentStatus = "pending" | "approved" | "rejected" | "spam";

export interface CommentTable extends SyncedRow {
  article_id: string;
  centre_id: string | null;
  parent_id: string | null;
  author_name: string;
  author_email: string | null;
  body: string;
  status: CommentStatus;
  lang: string;
  /** Keyed hash of the sender's address: enough to rate-limit, never the address itself. */
  ip_hash: string | null;
  content_hash: string;
  spam_reason: string | null;
  source_key: string | null;
  moderated_by: string | null;
  moderated_at: string | null;
}

/**
 * Derived from the content, never synced. The text index beside it is engine-specific: FTS5 tables
 * on SQLite, search_vectors (key, filter columns, tsvectors) on PostgreSQL — only queries.ts uses them.
 */
export interface SearchDocumentTable {
  doc_key: number;
  id: string;
  source: string;
  centre_id: string | null;
  kind: string;
  lang: string;
  title: string;
  strap: string;
  path: string;
  body_text: string;
  title_terms: string;
  strap_terms: string;
  vocab: string;
  /** Each body word's bits as snippets test them (search/snippetBits.ts); null if indexed before. */
  snippet_bits: Uint8Array | null;
  published_at: string;
  expires_at: string | null;
  indexed_at: string;
}

export interface SearchVocabTable {
  term: string;
  df: number;
}

export interface SearchQueryTable extends SyncedRow {
  centre_id: string | null;
  query: string;
  lang: string;
  hits: number;
}

export interface MemberCategoryTable extends SyncedRow {
  centre_id: string;
  code: string;
  name_ur: string;
  name_en: string;
  sort_order: number;
  active: number;
}

export type MemberStatus = "pending" | "active" | "erased";
export type IdKind = "cnic" | "bform";

export interface MemberTable extends SyncedRow {
  centre_id: string;
  member_no: string;
  status: MemberStatus;
  full_name_ur: string | null;
  full_name_en: string | null;
  id_kind: IdKind;
  /** "v1:<key id>:<iv>:<ciphertext+tag>" under the centre's data key; null once erased. */
  cnic_enc: string | null;
  /** HMAC-SHA256 under the national hash key, hex: finds duplicates without decrypting. */
  cnic_hash: string | null;
  /** Sealed to headquarters' public key (X25519 + AES-256-GCM); null until that key is set. */
  cnic_sealed: string | null;
  /** "35202-*******-3": what every screen shows. */
  cnic_masked: string | null;
  phone_e164: string | null;
  /** YYYY-MM-DD */
  date_of_birth: string | null;
  /** Self-described, optional; never inferred. */
  gender: string | null;
  district: string | null;
  education: string | null;
  disability: string | null;
  category_id: string | null;
  /**
   * The id of the member's live `member_photos` row, or null without a photo. (The column kept
   * the name it was first given; the photo itself is in the database, encrypted, not a file.)
   */
  photo_path: string | null;
  consent_version: string | null;
  consent_at: string | null;
  confirmed_at: string | null;
  confirmed_by: string | null;
  pin_hash: string | null;
  pin_failures: number;
  pin_locked_until: string | null;
  card_serial: number;
  last_seen_at: string | null;
  erased_at: string | null;
}

export interface MemberCardTable extends SyncedRow {
  centre_id: string;
  member_id: string;
  serial: number;
  issued_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

export interface MemberPhotoTable extends SyncedRow {
  centre_id: string;
  member_id: string;
  /** Always "image/jpeg": every upload is re-encoded. */
  content_type: string;
  width: number;
  height: number;
  /** Bytes of the JPEG (before encryption). */
  byte_size: number;
  /** The data key `bytes` is encrypted under; null once tombstoned. */
  key_id: string | null;
  /** IV (12 bytes) + AES-256-GCM ciphertext + tag (16 bytes); null once tombstoned. */
  bytes: Buffer | null;
}

export interface MemberNumberSeqTable {
  centre_id: string;
  last: number;
}

export type PcRoom = "lounge" | "lab";

export interface PcTable extends SyncedRow {
  centre_id: string;
  name: string;
  room: PcRoom;
  out_of_order: number;
  min_age: number | null;
  notes: string;
  agent_token_hash: string | null;
  agent_seen_at: string | null;
}

export interface AccessRuleTable extends SyncedRow {
  centre_id: string;
  /** null: the rule for guest passes. */
  category_id: string | null;
  daily_minutes: number;
  weekly_minutes: number;
  session_minutes: number;
}

export interface GuestPassTable extends SyncedRow {
  centre_id: string;
  code_hash: string;
  minutes: number;
  valid_until: string;
  used_at: string | null;
}

export interface BanTable extends SyncedRow {
  centre_id: string;
  member_id: string;
  until: string;
  note: string;
}

/** Statistics columns: never identity, so they survive a member's erasure. */
export interface AccessStats {
  category_code: string | null;
  age_group: string | null;
  gender: string | null;
}

export interface PcSessionTable extends SyncedRow, AccessStats {
  centre_id: string;
  pc_id: string;
  member_id: string | null;
  guest_pass_id: string | null;
  started_at: string;
  ends_at: string;
  ended_at: string | null;
  end_reason: string | null;
  extended_minutes: number;
}

export interface ReservationTable extends SyncedRow, AccessStats {
  centre_id: string;
  pc_id: string;
  member_id: string | null;
  kind: "member" | "class";
  title: string;
  starts_at: string;
  ends_at: string;
  status: "booked" | "claimed" | "released" | "cancelled";
}

export interface ReservationSlotTable extends SyncedRow {
  centre_id: string;
  reservation_id: string;
  pc_id: string;
  slot_start: string;
}

export interface QueueTicketTable extends SyncedRow, AccessStats {
  centre_id: string;
  day: string;
  number: number;
  member_id: string | null;
  status: "waiting" | "called" | "claimed" | "expired" | "cancelled";
  pc_id: string | null;
  called_at: string | null;
  claimed_at: string | null;
}

export interface PcMessageTable extends SyncedRow {
  centre_id: string;
  pc_id: string;
  text: string;
  sent_by: string | null;
  seen_at: string | null;
}

export interface Database {
  instance_settings: InstanceSettingTable;
  centres: CentreTable;
  centre_hours_exceptions: CentreHoursExceptionTable;
  staff_users: StaffUserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  articles: ArticleTable;
  categories: CategoryTable;
  article_revisions: ArticleRevisionTable;
  comments: CommentTable;
  search_documents: SearchDocumentTable;
  search_vocab: SearchVocabTable;
  search_queries: SearchQueryTable;
  member_categories: MemberCategoryTable;
  members: MemberTable;
  member_cards: MemberCardTable;
  member_photos: MemberPhotoTable;
  member_number_seq: MemberNumberSeqTable;
  pcs: PcTable;
  access_rules: AccessRuleTable;
  guest_passes: GuestPassTable;
  bans: BanTable;
  pc_sessions: PcSessionTable;
  reservations: ReservationTable;
  reservation_slots: ReservationSlotTable;
  queue_tickets: QueueTicketTable;
  pc_messages: PcMessageTable;
}
