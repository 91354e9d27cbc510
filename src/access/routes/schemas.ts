// TypeBox schemas the access pages share. Their forms post name/value pairs that the use cases
// check themselves, so problems come back beside the fields instead of as a 400 from validation.

import { Type } from "typebox";

export const FormBody = Type.Record(Type.String(), Type.Unknown());
export const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });

/** A reservation page's day, and a free cell's PC and start to fill the booking form with. */
export const DayQuery = Type.Object({
  day: Type.Optional(Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" })),
  pc: Type.Optional(Type.String({ format: "uuid" })),
  start: Type.Optional(Type.String({ pattern: "^\\d{2}:\\d{2}$" })),
  done: Type.Optional(Type.String({ maxLength: 20 })),
});
