/**
 * Ring winding for d3-geo, shared by the boundary build (scripts/build-boundaries.ts), the boundary reader
 * (src/lib/ingest/boundaries.ts) and the map renderer (src/lib/map.ts). Pure; imports nothing from lib.
 */
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

/** Planar shoelace area in lon/lat (y up): > 0 counter-clockwise, < 0 clockwise. Fine for county-sized rings. */
export function ringSignedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[(i + 1) % n];
    sum += x0 * y1 - x1 * y0;
  }
  return sum / 2;
}

function rewindPolygon(rings: Position[][]): Position[][] {
  // d3-geo: exterior clockwise, holes counter-clockwise (the reverse of RFC 7946).
  return rings.map((ring, i) => {
    const clockwise = ringSignedArea(ring) < 0;
    const wantClockwise = i === 0;
    return clockwise === wantClockwise ? ring : [...ring].reverse();
  });
}

/**
 * Copy of a feature with rings wound the way d3-geo expects. Without this a counter-clockwise (RFC 7946) exterior
 * is read as "the whole sphere minus the county" and fills the map. Ring by ring, so both windings work (the
 * Tianditu source is clockwise, TopoJSON merges may be either).
 */
export function rewindForD3<P>(f: Feature<Polygon | MultiPolygon, P>): Feature<Polygon | MultiPolygon, P> {
  const g = f.geometry;
  const geometry: Polygon | MultiPolygon =
    g.type === 'Polygon'
      ? { type: 'Polygon', coordinates: rewindPolygon(g.coordinates) }
      : { type: 'MultiPolygon', coordinates: g.coordinates.map(rewindPolygon) };
  return { ...f, geometry };
}
