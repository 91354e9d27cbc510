import { Type } from "typebox";

/** The one error shape, documented once and referenced by every API route. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: "Stable machine-readable code, e.g. validation_failed" }),
      message: Type.String({ description: "Human message in the request's language" }),
      fields: Type.Optional(
        Type.Array(
          Type.Object({
            path: Type.String({ description: "JSON pointer of the field, e.g. /name" }),
            code: Type.String(),
            message: Type.String(),
          }),
        ),
      ),
    }),
  },
  { $id: "ErrorResponse", description: "Every error answers with this shape" },
);

export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  429: ErrorResponse,
};
