// What every access use case takes after the database: who acts, and the clock.

import type { Actor } from "../audit/actor.ts";
import type { Clock } from "../db/clock.ts";

export interface AccessCtx {
  actor: Actor;
  clock: Clock;
}
