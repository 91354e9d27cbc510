// PC reservations: members book a PC for a time (online or at the desk), the desk block-books the
// training lab for a class, bookings nobody comes for are released after a grace period.
//
// A booking is stored as fixed 15-minute slots, one row per (PC, slot), under a unique index over
// live rows: whatever the requests race, the database keeps one booking per PC and slot, on
// SQLite and PostgreSQL alike. Cancelling or releasing tombstones the slots, so the time can be
// booked again. Every reservation keeps category, age group and gender (never identity).
//
// One file per use case; this module is their common entry point.

export { availability, dayReservations, type Availability } from "./availability.ts";
export { bookClass, CLASS_HORIZON_DAYS, CLASS_MAX_MINUTES, type ClassBookingInput } from "./bookClass.ts";
export { bookForMember, type MemberBookingInput } from "./bookForMember.ts";
export { describeClashes } from "./bookingSlots.ts";
export {
  centreTime,
  daySlots,
  localDate,
  localTime,
  localToInstant,
  openThroughout,
  type CentreTime,
} from "./centreTime.ts";
export {
  cancelReservation,
  CLAIM_EARLY_MS,
  claimReservation,
  releaseNoShows,
} from "./reservationLifecycle.ts";
