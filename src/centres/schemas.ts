import { Type, type Static } from "typebox";
import { StringEnum } from "../server/validation.ts";

export const PROVINCES = ["punjab", "sindh", "kp", "balochistan", "ict", "gb", "ajk"] as const;
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const Time = Type.String({ pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$", description: "24-hour HH:MM" });

export const OpeningSpan = Type.Object({ opens: Time, closes: Time }, { additionalProperties: false });
export type OpeningSpan = Static<typeof OpeningSpan>;

export const OpeningHours = Type.Object(
  Object.fromEntries(
    WEEKDAYS.map((d) => [d, Type.Optional(Type.Array(OpeningSpan, { maxItems: 3 }))]),
  ) as Record<Weekday, ReturnType<typeof Type.Optional<ReturnType<typeof Type.Array<typeof OpeningSpan>>>>>,
  { additionalProperties: false, description: "Weekly hours; a day left out is closed." },
);
export type OpeningHours = Partial<Record<Weekday, OpeningSpan[]>>;

export const HoursException = Type.Object(
  {
    date: Type.String({ format: "date", description: "YYYY-MM-DD in the centre's time zone" }),
    closed: Type.Boolean(),
    opens: Type.Optional(Time),
    closes: Type.Optional(Time),
    note: Type.String({ maxLength: 200, default: "" }),
  },
  { additionalProperties: false },
);
export type HoursException = Static<typeof HoursException>;

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const CentreCode = Type.String({
  pattern: "^[A-Z0-9][A-Z0-9-]{1,19}$",
  description: "Short code, capitals, digits and dashes, e.g. ISB-01",
});

export const CentreFields = {
  name_ur: Text(120),
  name_en: Text(120),
  district: Text(80),
  province: StringEnum(PROVINCES),
  address: Text(300),
  time_zone: Type.String({ minLength: 3, maxLength: 64, default: "Asia/Karachi" }),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])),
  email: Type.Optional(Type.Union([Type.String({ format: "email", maxLength: 120 }), Type.Null()])),
  opening_hours: Type.Optional(OpeningHours),
  exceptions: Type.Optional(Type.Array(HoursException, { maxItems: 366 })),
};

export const CentreCreate = Type.Object(
  { code: CentreCode, ...CentreFields },
  { additionalProperties: false },
);
export type CentreCreate = Static<typeof CentreCreate>;

export const CentreUpdate = Type.Partial(Type.Object(CentreFields, { additionalProperties: false }));
export type CentreUpdate = Static<typeof CentreUpdate>;

export const CentreView = Type.Object({
  id: Type.String({ format: "uuid" }),
  code: Type.String(),
  name_ur: Type.String(),
  name_en: Type.String(),
  district: Type.String(),
  province: Type.String(),
  address: Type.String(),
  time_zone: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  opening_hours: OpeningHours,
  exceptions: Type.Array(HoursException),
  created_at: Type.String({ format: "date-time" }),
  updated_at: Type.String({ format: "date-time" }),
});
export type CentreView = Static<typeof CentreView>;
