/** Calendar days as integers (days since 1970-01-01, UTC), so dates are drawn with integer maths. */

export const DAY_MS = 86_400_000;
export const toDay = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY_MS;
export const fromDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const isoParts = (iso: string) => iso.split('-').map((p) => +p);

/** Active at a date: established on or before it, not dissolved on or before it (ISO strings compare as dates). */
export const activeAt = (o: { establishedOn: string; dissolvedOn: string | null }, asOf: string) =>
  o.establishedOn <= asOf && (!o.dissolvedOn || o.dissolvedOn > asOf);

/** Code-unit comparison, not localeCompare: the order must not depend on the machine's ICU locale. */
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
