import { CATEGORIES, REGISTRATIONS, type Category, type OrgColumns, type OrgRecord, type Registration } from './types';

export type { OrgColumns } from './types';


/** yyyy-mm-dd → yyyymmdd (0 for null). */
export const dateInt = (iso: string | null): number => {
  if (iso === null) return 0;
  // digit by digit: the reader's ISO days are yyyy-mm-dd (1.75 M rows × 2 dates, without three slices each)
  let v = 0;
  for (let i = 0; i < 10; i++) if (i !== 4 && i !== 7) v = v * 10 + iso.charCodeAt(i) - 48;
  return v;
};

/** yyyymmdd → yyyy-mm-dd (null for 0). */
export const dateIso = (n: number): string | null => {
  if (n === 0) return null;
  const s = String(n);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
};

/** Active at `asOf` (yyyymmdd): established on or before it (or unknown), not dissolved on or before it (model/aggregate.ts isActiveAt). */
export const activeAt = (established: number, dissolved: number, asOf: number) => established <= asOf && (dissolved === 0 || dissolved > asOf);

const CATEGORY_INDEX = new Map<string, number>(CATEGORIES.map((c, i) => [c, i]));
const REGISTRATION_INDEX = new Map<string, number>(REGISTRATIONS.map((r, i) => [r, i]));

/**
 * Where a unit code stands among the divisions' units (src/lib/ingest/divisions.ts UnitTable): -1 for any other
 * string. With it, a dictionary of unit codes is an array by position instead of a Map of 620,000 codes.
 */
export interface UnitPositions {
  indexOf(code: string): number;
  readonly size: number;
}

class Dictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  /** code + 1 of each unit by its position (0: not seen), when values are unit codes */
  private readonly byPosition: Int32Array | null;
  // rows come sorted by place more often than not: the value of the row before is compared first
  private last: string | null = null;
  private lastCode = -1;

  constructor(private readonly positions: UnitPositions | null = null) {
    this.byPosition = positions ? new Int32Array(positions.size) : null;
  }

  has(value: string): boolean {
    const p = this.positions ? this.positions.indexOf(value) : -1;
    return p >= 0 ? this.byPosition![p] > 0 : this.index.has(value);
  }

  code(value: string): number {
    if (value === this.last) return this.lastCode;
    let i: number | undefined;
    // a unit code is looked up by its position; any other string (never a unit's) in the Map
    const p = this.positions ? this.positions.indexOf(value) : -1;
    if (p >= 0) {
      i = this.byPosition![p] - 1;
      if (i < 0) {
        i = this.values.length;
        this.values.push(value);
        this.byPosition![p] = i + 1;
      }
    } else {
      i = this.index.get(value);
      if (i === undefined) {
        i = this.values.length;
        this.values.push(value);
        this.index.set(value, i);
      }
    }
    this.last = value;
    this.lastCode = i;
    return i;
  }
}

/** A builder's rows as they cross between threads (typed arrays, transferable). */
export interface OrgRowsExport {
  columns: OrgColumns;
  sheets: string[];
  /** Index in `sheets` of each row's worksheet, -1 for a CSV. */
  sheet: Int32Array;
}

/** Appends organizations one at a time (the reader's sink); `finish()` trims the arrays to length. */
export class OrgColumnsBuilder {
  private n = 0;
  private cap: number;
  private readonly unitDict: Dictionary;
  private readonly townshipDict = new Dictionary();
  private readonly countyDict = new Dictionary();
  private readonly fileDict = new Dictionary();
  private readonly sheetDict = new Dictionary();
  /** Worksheet of each row (index in sheetDict, -1 for a CSV): for "duplicate of …" messages only, not published. */
  private sheet: Int32Array;
  private cols;

  /** units: where each unit code stands (the reader passes the divisions' UnitTable); without it, a Map of codes. */
  constructor(capacity = 1024, units: UnitPositions | null = null) {
    this.unitDict = new Dictionary(units);
    this.cap = capacity;
    this.cols = this.allocate(capacity);
    this.sheet = new Int32Array(capacity);
  }

  private allocate(cap: number) {
    return {
      unit: new Int32Array(cap), township: new Int32Array(cap), county: new Int32Array(cap),
      category: new Uint8Array(cap), registration: new Uint8Array(cap),
      established: new Int32Array(cap), dissolved: new Int32Array(cap), file: new Uint16Array(cap), line: new Int32Array(cap),
    };
  }

  private grow(): void {
    const next = this.allocate(this.cap * 2);
    for (const key of Object.keys(next) as (keyof typeof next)[]) (next[key] as Int32Array).set(this.cols[key] as Int32Array);
    this.cols = next;
    const sheet = new Int32Array(this.cap * 2);
    sheet.set(this.sheet);
    this.sheet = sheet;
    this.cap *= 2;
  }

  get length(): number {
    return this.n;
  }

  /** Whether a row of this county was pushed. */
  hasCounty(code: string): boolean {
    return this.countyDict.has(code);
  }

  /** Returns the row index of the organization. */
  push(org: OrgRecord): number {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    const c = this.cols;
    c.unit[i] = org.communityCode === null ? -1 : this.unitDict.code(org.communityCode);
    c.township[i] = org.townshipCode === null ? -1 : this.townshipDict.code(org.townshipCode);
    c.county[i] = this.countyDict.code(org.countyCode);
    c.category[i] = CATEGORY_INDEX.get(org.category)!;
    c.registration[i] = REGISTRATION_INDEX.get(org.registration)!;
    c.established[i] = dateInt(org.establishedOn);
    c.dissolved[i] = dateInt(org.dissolvedOn);
    c.file[i] = this.fileDict.code(org.source.file);
    c.line[i] = org.source.line;
    this.sheet[i] = org.source.sheet === undefined ? -1 : this.sheetDict.code(org.source.sheet);
    return i;
  }

  /** The file and line of row i (for "duplicate of …" messages while reading). */
  sourceOf(i: number): { file: string; line: number; sheet?: string } {
    const source = { file: this.fileDict.values[this.cols.file[i]], line: this.cols.line[i] };
    return this.sheet[i] < 0 ? source : { ...source, sheet: this.sheetDict.values[this.sheet[i]] };
  }

  /** The rows with the worksheet of each (for a helper thread's share, appended by `append`). */
  exportRows(): OrgRowsExport {
    return { columns: this.finish(), sheets: this.sheetDict.values, sheet: this.sheet.slice(0, this.n) };
  }

  /**
   * Appends another builder's rows after these, its dictionary codes translated into these (a value new here gets
   * the next code, as if its rows had been pushed one by one: the same columns as one builder reading both).
   */
  append(rows: OrgRowsExport): void {
    const c = rows.columns;
    const recode = (dict: Dictionary, values: readonly string[]) => Int32Array.from(values, (v) => dict.code(v));
    const units = recode(this.unitDict, c.units);
    const townships = recode(this.townshipDict, c.townships);
    const counties = recode(this.countyDict, c.counties);
    const files = recode(this.fileDict, c.files);
    const sheets = recode(this.sheetDict, rows.sheets);
    while (this.cap < this.n + c.length) this.grow();
    const to = this.cols;
    for (let j = 0; j < c.length; j++) {
      const i = this.n + j;
      to.unit[i] = c.unit[j] < 0 ? -1 : units[c.unit[j]];
      to.township[i] = c.township[j] < 0 ? -1 : townships[c.township[j]];
      to.county[i] = counties[c.county[j]];
      to.file[i] = files[c.file[j]];
      this.sheet[i] = rows.sheet[j] < 0 ? -1 : sheets[rows.sheet[j]];
    }
    to.category.set(c.category, this.n);
    to.registration.set(c.registration, this.n);
    to.established.set(c.established, this.n);
    to.dissolved.set(c.dissolved, this.n);
    to.line.set(c.line, this.n);
    this.n += c.length;
  }

  finish(): OrgColumns {
    const n = this.n;
    const c = this.cols;
    return {
      length: n,
      units: this.unitDict.values,
      townships: this.townshipDict.values,
      counties: this.countyDict.values,
      files: this.fileDict.values,
      unit: c.unit.slice(0, n), township: c.township.slice(0, n), county: c.county.slice(0, n),
      category: c.category.slice(0, n), registration: c.registration.slice(0, n),
      established: c.established.slice(0, n), dissolved: c.dissolved.slice(0, n), file: c.file.slice(0, n), line: c.line.slice(0, n),
    };
  }
}

/** Columns from records (tests and small callers that hold OrgRecord arrays). */
export function orgColumns(orgs: readonly OrgRecord[] | OrgColumns): OrgColumns {
  if (!Array.isArray(orgs)) return orgs as OrgColumns;
  const b = new OrgColumnsBuilder(Math.max(16, orgs.length));
  for (const o of orgs) b.push(o);
  return b.finish();
}

/** Row i back as the record fields the model knows about (name is not kept: ''). */
export function orgAt(c: OrgColumns, i: number): Omit<OrgRecord, 'name' | 'creditCode'> {
  return {
    communityCode: c.unit[i] < 0 ? null : c.units[c.unit[i]],
    townshipCode: c.township[i] < 0 ? null : c.townships[c.township[i]],
    countyCode: c.counties[c.county[i]],
    category: CATEGORIES[c.category[i]] as Category,
    registration: REGISTRATIONS[c.registration[i]] as Registration,
    establishedOn: dateIso(c.established[i]),
    dissolvedOn: dateIso(c.dissolved[i]),
    source: { file: c.files[c.file[i]], line: c.line[i] },
  };
}
