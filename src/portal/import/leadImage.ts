// Finding an imported article's lead image on disk and attaching it through the same use case as an upload.
// A missing or unusable picture never costs the article: it comes back as a warning to report.
import fs from "node:fs/promises";
import path from "node:path";
import type { Executor } from "../../db/connect.ts";
import { ValidationFailed } from "../../server/errors.ts";
import { attachLeadImage } from "../articles/attachImage.ts";
import type { Ctx } from "../articles/saveArticle.ts";
import { clip, describeFailure } from "./report.ts";

const UPLOADS = "/wp-content/uploads/";
/** ArticleInput's limit on image_alt: longer alt text would block every later edit of the article. */
const MAX_ALT = 300;

/** `path` inside `root`, or null when it would leave it (`..`, an absolute path, a NUL). */
export function insideFolder(root: string, relative: string): string | null {
  if (relative.includes("\0")) return null;
  const base = path.resolve(root);
  const full = path.resolve(base, relative);
  return full.startsWith(base + path.sep) ? full : null;
}

/**
 * The file in the uploads folder for a WordPress upload URL: the part of the URL path after
 * /wp-content/uploads/ (percent-decoded), else the attachment's `_wp_attached_file`. Null when neither
 * names a place inside the folder.
 */
export function uploadsFileFor(uploadsDir: string, url: string | null, attachedFile?: string | null) {
  if (url) {
    let pathname = "";
    try {
      pathname = new URL(url, "http://wordpress.invalid/").pathname;
    } catch {
      pathname = "";
    }
    const at = pathname.indexOf(UPLOADS);
    if (at >= 0) {
      try {
        const file = insideFolder(uploadsDir, decodeURIComponent(pathname.slice(at + UPLOADS.length)));
        if (file) return file;
      } catch {
        // malformed percent-encoding: try the attached file below
      }
    }
  }
  return attachedFile ? insideFolder(uploadsDir, attachedFile) : null;
}

/** WordPress names resized copies `name-1024x576.jpg` (and big originals `name-scaled.jpg`): the original. */
export function originalOfResized(url: string): string {
  return url.replace(/-(?:\d+x\d+|scaled)(\.[A-Za-z0-9]+)(?=$|[?#])/, "$1");
}

/** Rasai requires alt text: the alt as written, else the caption, else the title. */
export function altText(alt: string | null | undefined, caption: string | null | undefined, title: string) {
  return clip((alt?.trim() || caption?.trim() || title).replace(/\s+/g, " "), MAX_ALT);
}

/**
 * Reads `file` and makes it the article's lead image. Returns null when done, else a warning: the file is
 * missing or unreadable, or the image is refused (not an image, too small, …). Other errors propagate.
 */
export async function attachImportedImage(
  db: Executor,
  input: { articleId: string; file: string; shownAs: string; alt: string; dataDir: string },
  ctx: Ctx,
): Promise<string | null> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(input.file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `image ${input.shownAs} not imported: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : ((error as Error).message ?? code)}`;
  }
  try {
    await attachLeadImage(
      db,
      { articleId: input.articleId, bytes, alt: input.alt, dataDir: input.dataDir },
      ctx,
    );
    return null;
  } catch (error) {
    if (error instanceof ValidationFailed) {
      return `image ${input.shownAs} not imported: ${describeFailure(error)}`;
    }
    throw error;
  }
}
