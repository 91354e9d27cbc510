import type { CentreHoursExceptionTable, CentreTable } from "../db/schema.ts";
import type { CentreView, HoursException, OpeningHours } from "./schemas.ts";

export function exceptionFromRow(row: CentreHoursExceptionTable): HoursException {
  return {
    date: row.date,
    closed: row.closed === 1,
    ...(row.opens ? { opens: row.opens } : {}),
    ...(row.closes ? { closes: row.closes } : {}),
    note: row.note,
  };
}

export function presentCentre(row: CentreTable, exceptions: CentreHoursExceptionTable[]): CentreView {
  return {
    id: row.id,
    code: row.code,
    name_ur: row.name_ur,
    name_en: row.name_en,
    district: row.district,
    province: row.province,
    address: row.address,
    time_zone: row.time_zone,
    phone: row.phone,
    email: row.email,
    opening_hours: JSON.parse(row.opening_hours) as OpeningHours,
    exceptions: exceptions.map(exceptionFromRow),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
