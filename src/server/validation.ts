import { Ajv, type ErrorObject } from "ajv";
import addFormatsImport from "ajv-formats";
import { Type, type Static, type TSchema } from "typebox";
import { ValidationFailed, type FieldProblem } from "./errors.ts";

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ??
  addFormatsImport) as unknown as (ajv: Ajv) => Ajv;

/** ajv options shared by Fastify's validator and use-case validation, so both judge alike. */
export const AJV_OPTIONS = {
  allErrors: true,
  coerceTypes: "array" as const,
  removeAdditional: true as const,
  useDefaults: true,
  strict: false,
};

const ajv = addFormats(new Ajv(AJV_OPTIONS));

/** A string limited to some values, as one JSON-schema `enum` (clearer errors than anyOf). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: Record<string, unknown> = {},
) {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });
}

const CODE_BY_KEYWORD: Record<string, string> = {
  required: "required",
  minLength: "too_short",
  maxLength: "too_long",
  pattern: "invalid_format",
  format: "invalid_format",
  type: "invalid_type",
  enum: "invalid_choice",
  const: "invalid_choice",
  anyOf: "invalid_choice",
  oneOf: "invalid_choice",
  minimum: "too_small",
  exclusiveMinimum: "too_small",
  maximum: "too_large",
  exclusiveMaximum: "too_large",
  minItems: "too_few",
  maxItems: "too_many",
  additionalProperties: "unknown_field",
};

/** Turns ajv errors into field problems: one per field, the most useful first. */
export function fieldProblemsFromAjv(errors: readonly Partial<ErrorObject>[], prefix = ""): FieldProblem[] {
  const byPath = new Map<string, FieldProblem>();
  for (const error of errors) {
    const keyword = error.keyword ?? "invalid";
    const params = (error.params ?? {}) as Record<string, unknown>;
    let path = `${prefix}${error.instancePath ?? ""}`;
    if (keyword === "required" && typeof params.missingProperty === "string") {
      path = `${path}/${params.missingProperty}`;
    }
    if (keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
      path = `${path}/${params.additionalProperty}`;
    }
    if (byPath.has(path) && keyword !== "required") continue;
    const limit = params.limit;
    // An empty required text is "required", not "too short by one".
    const code =
      keyword === "minLength" && limit === 1 ? "required" : (CODE_BY_KEYWORD[keyword] ?? "invalid");
    byPath.set(path, {
      path: path || "/",
      code,
      ...(typeof limit === "number" ? { params: { limit } } : {}),
    });
  }
  return [...byPath.values()];
}

const compiled = new WeakMap<TSchema, ReturnType<Ajv["compile"]>>();

/** Checks (and coerces, defaults, strips unknown keys of) a copy of a value; never throws. */
export function checkInput<S extends TSchema>(
  schema: S,
  value: unknown,
): { value: Static<S>; problems: FieldProblem[] } {
  let check = compiled.get(schema);
  if (!check) {
    check = ajv.compile(schema as object);
    compiled.set(schema, check);
  }
  const copy = structuredClone(value ?? {});
  const ok = check(copy);
  return { value: copy as Static<S>, problems: ok ? [] : fieldProblemsFromAjv(check.errors ?? []) };
}

/** Validates a value, or throws ValidationFailed naming every bad field. */
export function validateInput<S extends TSchema>(schema: S, value: unknown): Static<S> {
  const { value: checked, problems } = checkInput(schema, value);
  if (problems.length) throw new ValidationFailed(problems);
  return checked;
}
