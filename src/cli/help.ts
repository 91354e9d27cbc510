/** Help texts, by command. */
export const HELP: Record<string, string> = {
  "": `rasai — runs an Information Access Centre (or headquarters)

Usage: rasai <command> [options]

Commands:
  serve                    Start the web server (migrates; seeds a demo centre on a fresh install)
  migrate                  Bring the database schema up to date
  seed --demo              Add the demo centre, an administrator and the seed article (idempotent)
  centre create|list|set   Manage centres
  user create              Create a staff account
  user reset-password      Set a new password for a staff account and unlock it
  backup                   Write a consistent, compressed copy of the SQLite database
  restore <file>           Put a backup back (with the server stopped)
  import wordpress <file>  Bring in a WordPress export: posts, pages, comments, images (idempotent)
  import articles <file>   Bring in a JSONL file of articles, one a line (idempotent)
  search reindex           Rebuild the search index from the content, with a progress bar
  search merge             Merge the search index into one piece (the server does it nightly)
  keys status|rotate|...   Keys that protect CNICs and photos: rotate, seal for headquarters, rehash
  kiosk-agent              On a public PC: lock it between sessions, unlock for the server's sessions

Run rasai <command> --help for the options of one command.
Configuration comes from the environment: see the README (PORT, HOST, DATABASE_URL, RASAI_DATA_DIR, RASAI_MODE, ...).
`,
  serve: `Usage: rasai serve [--no-demo]

Starts the server on HOST:PORT (default 0.0.0.0:3000). On a database with no centre and no
staff it seeds the demo centre and prints the administrator's password once; --no-demo (or
RASAI_DEMO=off) skips that. SIGTERM or Ctrl-C finishes requests in flight, then stops.
`,
  migrate: `Usage: rasai migrate

Applies pending migrations to the database named by DATABASE_URL (or the SQLite file).
`,
  seed: `Usage: rasai seed --demo

Adds the demo centre (ISB-01), an administrator (when there is no staff yet) and the seed
article. Running it again adds nothing.
`,
  centre: `Usage:
  rasai centre list [--json]
  rasai centre create --code ISB-02 --name-ur "…" --name-en "…" --district … --province ict --address "…"
                      [--time-zone Asia/Karachi] [--phone …] [--email …] [--current]
  rasai centre set <code> [--name-ur …] [--name-en …] [--district …] [--province …] [--address …]
                   [--time-zone …] [--phone …] [--email …] [--current]

Provinces: punjab, sindh, kp, balochistan, ict, gb, ajk.
--current makes the centre the one this server runs (centre mode).
`,
  user: `Usage:
  rasai user create --username NAME --role ROLE [--centre CODE] [--name "Display name"]
                    [--password P] [--locale ur|en]
  rasai user reset-password <username> [--password P]

Roles: hq_admin (no centre), centre_manager, staff, instructor (these need --centre).
Without --password a strong password is generated and printed once.
`,
  backup: `Usage: rasai backup [--keep N] [--out DIR]

Writes data/backups/rasai-YYYYMMDD-HHMMSSZ.sqlite.gz, a consistent copy taken while the
server keeps running, and keeps the newest N (default RASAI_BACKUP_KEEP, 7).
On PostgreSQL use pg_dump instead (see the README).
`,
  restore: `Usage: rasai restore <backup-file>

Stop the server first. Checks the backup (gzip, SQLite integrity, Rasai tables), then puts
it in place of the database file; the replaced file is kept beside it.
`,
};
HELP.import = `Usage:
  rasai import wordpress <export.xml> [--uploads <dir>] [--centre CODE] [--lang ur|en]
  rasai import articles <file.jsonl> [--centre CODE]

wordpress reads a WordPress export (Tools → Export, all content). Posts become news, pages
guides; published ones are published at their WordPress date, drafts, pending and private ones
come in as drafts, password-protected ones are skipped. Categories are created as needed, tags,
authors (as bylines), view counts (post_views_count) and comments come along: approved ones
approved, held ones pending, spam and trash as spam, all as plain text. --uploads names a copy
of the site's wp-content/uploads folder, where lead images are found. Each post's language is
judged from its title (Urdu script or not) unless --lang says.

articles reads one JSON article a line: the fields of article.json (language, title, strap,
body_paragraphs, view_count, image_caption, also_read_after_paragraph, also_read_titles) plus
optional slug, published_at, category (an existing slug), kind (news|notice|guide), image (a
file path relative to the JSONL file's folder) and image_alt. With published_at an article is
published at that date; without, it comes in as a draft.

Both read the file as a stream, import each item in its own transaction, report each rejected
item with its reason and carry on, and end with a summary. Running one again adds nothing.
Content is national unless --centre names a centre. Exit status 0 once the file has been read
through (even with rejections), 1 when it cannot be read or is refused whole.
`;
HELP["import wordpress"] = HELP.import;
HELP["import articles"] = HELP.import;
HELP["centre create"] = HELP.centre!;
HELP["centre list"] = HELP.centre!;
HELP["centre set"] = HELP.centre!;
HELP["user create"] = HELP.user!;
HELP["user reset-password"] = HELP.user!;

HELP.search = `Usage: rasai search reindex
       rasai search merge

reindex rebuilds the search index from every published article (and, later, course). The index
is kept in step with each change as it happens, so this is only needed after restoring from an
old backup or a change to the normalisation rules. Searches keep working while it runs; each
batch of 500 documents commits on its own, and documents whose source is gone are removed at the
end. The server also builds the index by itself at start when it is empty but content exists.

merge puts the index back in one piece: on SQLite each publication adds a segment to FTS5's
index, and searches read every segment (a few thousand of them: a third slower); on PostgreSQL
it empties GIN's pending lists. It works in short steps, so the server can keep running. The
server does it every night at RASAI_MAINTENANCE_HOUR (default 3); run it by hand after a large
import if searches feel slow before then.
`;
HELP["search reindex"] = HELP.search;
HELP["search merge"] = HELP.search;

HELP.keys = `Usage:
  rasai keys status                    Key ids and sources; members and photos under each data key
  rasai keys rotate                    New data key; re-encrypt CNICs and photos under it (server stopped)
  rasai keys reencrypt                 Re-encrypt CNICs and photos still under an older data key
  rasai keys seal-pending [--all]      Seal for headquarters every CNIC not yet sealed (--all: every CNIC)
  rasai keys rehash [--hash-key FILE]  Recompute CNIC hashes, e.g. under the national key (server stopped)
  rasai keys hq-generate --out DIR     Headquarters only: make the key pair centres seal CNICs to

CNICs and members' photos are stored encrypted under this centre's data key (RASAI_DATA_KEY, else
RASAI_DATA_DIR/keys/data-<id>.key, made at first start). CNICs also get a keyed hash for finding
duplicates (RASAI_CNIC_HASH_KEY, else keys/cnic-hash.key) and a copy sealed to headquarters' public
key (RASAI_HQ_PUBLIC_KEY, else keys/hq-public.pem); photos are not sealed, so only this centre can
show them. Back the keys folder up apart from the database.
See docs/member-keys.md.
`;
HELP["keys status"] = `Usage: rasai keys status

Shows the keys folder, each data key's id with how many members' CNICs and how many photos are
under it (current, old, retired, or MISSING when no key file has it), the CNIC hash key's id and
where it comes from, headquarters' public key id, how many CNICs are not yet sealed for
headquarters, and how many CNICs and photos are still under older data keys.
`;
HELP["keys rotate"] = `Usage: rasai keys rotate

Stop the server first. Writes a new data key, makes it current (keys/current), re-encrypts every
CNIC under it in batches of 500 with a progress bar, then every member's photo in batches of 100
(each batch commits on its own; running it again finishes an interrupted run), reports how many
of each it re-encrypted, then moves old key files no CNIC and no photo uses to keys/retired/. Keep
retired keys: backups made before the rotation need them. Back up the keys folder afterwards.
When the data key comes from RASAI_DATA_KEY, set a new key there, put the old one in
RASAI_DATA_KEY_OLD (comma-separated) and run rasai keys reencrypt instead.
`;
HELP["keys reencrypt"] = `Usage: rasai keys reencrypt

Re-encrypts, in batches, every CNIC (with a progress bar) and then every member's photo not under
the current data key, and reports both counts: after RASAI_DATA_KEY was changed (the old key in
RASAI_DATA_KEY_OLD), or to finish an interrupted rotate.
`;
HELP["keys seal-pending"] = `Usage: rasai keys seal-pending [--all]

After headquarters' public key is in place (keys/hq-public.pem or RASAI_HQ_PUBLIC_KEY), seals
every CNIC not yet sealed, so headquarters can read what this centre captured. Safe to run again.
--all re-seals every CNIC: after headquarters replaced its key pair (a lost or stolen private key).
`;
HELP["keys rehash"] = `Usage: rasai keys rehash [--hash-key FILE]

Stop the server first. Recomputes every CNIC hash from the decrypted numbers, in one transaction.
--hash-key names the national hash key file headquarters issued at enrolment: it is used, and
put in place as keys/cnic-hash.key only when every hash is done (this centre's own key goes to
keys/retired/). Without it, the configured key is used (e.g. after setting RASAI_CNIC_HASH_KEY).
If two members turn out to hold the same number, nothing changes: they are listed (masked) and
the command exits with status 1; merge or correct them and run it again.
`;
HELP["keys hq-generate"] = `Usage: rasai keys hq-generate --out DIR

Headquarters only. Writes hq-private.pem (readable by this user only; keep it at headquarters,
never on a centre) and hq-public.pem (give it to every centre) into DIR, refusing to overwrite.
`;

HELP["kiosk-agent"] =
  `Usage: rasai kiosk-agent --server <url> --pc <name> --token-file <path> [--config <file>]
       rasai kiosk-agent --print-config [--config <file>]

Runs on a public PC, started at boot (see docs/kiosk-pc-setup.md). It shows the lock screen (the
server's /kiosk/<pc> page, full-screen), asks the server for the PC's state every 2 seconds, and
when a session starts unlocks the desktop; it warns 5 and 1 minutes before the end, and at the
end logs the user out (clearing their files) and locks the PC again. The countdown runs on the
PC with the server's clock, so a session ends on time even while the server cannot be reached;
the end is reported when the link returns.

  --server URL       the centre server, e.g. http://192.168.1.10:3000
  --pc NAME          this PC's name on the server, e.g. PC-01
  --token-file PATH  file holding the PC's token (shown once when the PC was added);
                     or set RASAI_KIOSK_TOKEN
  --config FILE      JSON: poll interval, warnings, and the lock, unlock, timer, warn, logout,
                     message and lock_check commands (defaults: a Debian desktop, guest account)
  --print-config     print the configuration in effect, defaults filled in, and exit

SIGTERM stops it and leaves the screen locked; SIGUSR1 ends the running session now.
`;
