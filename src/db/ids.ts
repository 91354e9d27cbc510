import { uuidv7 } from "uuidv7";

/** Ids are UUIDv7: time-ordered, so they index well and merge cleanly across centres. */
export function newId(): string {
  return uuidv7();
}
