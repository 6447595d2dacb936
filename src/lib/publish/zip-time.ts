/** Local-time Date whose calendar fields equal the UTC instant's: ZIP (DOS) times are zone-less, fflate reads local fields. */
export function zipTime(iso: string): Date {
  // DOS dates start in 1980: an earlier SOURCE_DATE_EPOCH (e.g. 0) is clamped rather than rejected by fflate.
  const t = new Date(Math.max(Date.parse(iso), Date.UTC(1980, 0, 1)));
  return new Date(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds());
}
