/**
 * How people write community names, for the Leshan sample's name-only rows.
 *
 * Independent oracle: these rules are written here from how ledgers spell names, not imported from
 * src/lib/ingest/match.ts, so rows the generator places by name test the reader's name matching
 * instead of sharing its assumptions.
 */

/** "篦子街社区居委会" → "篦子街社区"; "任家坝村委会" / "新声村村民委员会" → "任家坝村" / "新声村". */
export function communityShortName(name: string): string {
  if (/(居委会|居民委员会)$/.test(name)) return name.replace(/(居委会|居民委员会)$/, '');
  const core = name.replace(/(村民委员会|村委会)$/, '');
  return core.endsWith('村') ? core : core + '村';
}

/** "五渡社区居民委员会" → "五渡"; "新声村村民委员会" → "新声": the bare name some ledgers use. */
export function communityCore(name: string): string {
  return communityShortName(name).replace(/(社区|村)$/, '');
}
