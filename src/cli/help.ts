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
HELP["centre create"] = HELP.centre!;
HELP["centre list"] = HELP.centre!;
HELP["centre set"] = HELP.centre!;
HELP["user create"] = HELP.user!;
HELP["user reset-password"] = HELP.user!;
