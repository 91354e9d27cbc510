import { Type, type Static } from "typebox";
import { StringEnum } from "../server/validation.ts";

export const KINDS = ["news", "notice", "guide"] as const;
export const STATUSES = ["draft", "review", "published"] as const;

/** The editable parts of an article, as the desk form and the API send them. */
export const ArticleInput = Type.Object(
  {
    lang: StringEnum(["ur", "en"] as const),
    kind: StringEnum(KINDS),
    /** A centre's code, or "national" (headquarters only). Staff default to their own centre. */
    centre: Type.Optional(Type.String({ maxLength: 20 })),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    strap: Type.String({ maxLength: 400, default: "" }),
    body: Type.String({ minLength: 1, maxLength: 60000, description: "Markdown" }),
    slug: Type.Optional(Type.String({ maxLength: 100 })),
    category: Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Null()])),
    tags: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 12, default: [] }),
    also_read: Type.Array(Type.String({ pattern: "^[0-9a-z]{7}$" }), {
      maxItems: 6,
      default: [],
      description: "Short ids",
    }),
    also_read_after: Type.Integer({ minimum: 0, maximum: 100, default: 2 }),
    image_alt: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
    image_caption: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    byline: Type.Optional(Type.Union([Type.String({ maxLength: 120 }), Type.Null()])),
    expires_at: Type.Optional(Type.Union([Type.String({ format: "date-time" }), Type.Null()])),
    comments_open: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);
export type ArticleInput = Static<typeof ArticleInput>;

export const ArticleSummary = Type.Object({
  id: Type.String(),
  short_id: Type.String(),
  url: Type.String(),
  lang: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  title: Type.String(),
  strap: Type.String(),
  centre_id: Type.Union([Type.String(), Type.Null()]),
  published_at: Type.Union([Type.String(), Type.Null()]),
  scheduled_at: Type.Union([Type.String(), Type.Null()]),
  updated_at: Type.String(),
});

export const ArticleDetail = Type.Object({
  ...ArticleSummary.properties,
  body: Type.String(),
  slug: Type.String(),
  category: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Array(Type.String()),
  also_read: Type.Array(Type.String()),
  also_read_after: Type.Integer(),
  image: Type.Union([
    Type.Object({
      url: Type.String(),
      alt: Type.String(),
      caption: Type.Union([Type.String(), Type.Null()]),
      width: Type.Integer(),
      height: Type.Integer(),
    }),
    Type.Null(),
  ]),
  byline: Type.Union([Type.String(), Type.Null()]),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  view_count: Type.Integer(),
  translations: Type.Array(Type.Object({ lang: Type.String(), short_id: Type.String(), url: Type.String() })),
  comments_open: Type.Boolean(),
});
export type ArticleDetail = Static<typeof ArticleDetail>;
