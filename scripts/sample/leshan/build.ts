import type { Divisions } from '../../../src/lib/ingest/divisions';
import { Rng } from '../random';
import { plantDefects } from './defects';
import { INTENSITY, LESHAN_TIERS, SAMPLE_SCOPE, SAMPLE_SEED } from './facts';
import { FILE_PLAN } from './files';
import { allocate, byEstablished, communityOrgs, townshipOrgs } from './organizations';
import type { Context, SampleFile, SampleModel, SampleOrg } from './types';

/** The whole Leshan model from one PRNG stream: counties in code order, then files, then defects. */
export function buildSampleModel(divisions: Divisions, seed = SAMPLE_SEED): SampleModel {
  const ctx: Context = { rng: new Rng(seed), divisions, creditCodes: new Set() };
  const counties = [...(divisions.childrenOf.get(SAMPLE_SCOPE) ?? [])].sort();
  for (const c of Object.keys(LESHAN_TIERS)) if (!counties.includes(c)) throw new Error(`county ${c} missing from the divisions`);

  const orgsByCounty = new Map<string, SampleOrg[]>();
  for (const county of counties) {
    const tier = LESHAN_TIERS[county];
    const mult = INTENSITY[county];
    const units = (divisions.townshipsOf.get(county) ?? []).flatMap((t) => divisions.unitsOf.get(t) ?? []).sort();
    const activeBy = new Map<string, number>();
    for (const kind of ['urban', 'rural'] as const) {
      const ofKind = units.filter((c) => divisions.units.get(c)!.kind === kind);
      const total = Math.ceil(mult[kind] * tier[kind] * ofKind.length);
      allocate(ctx.rng, ofKind.length, total).forEach((n, i) => activeBy.set(ofKind[i], n));
    }
    const orgs: SampleOrg[] = [];
    for (const code of units) orgs.push(...communityOrgs(ctx, divisions.units.get(code)!, activeBy.get(code) ?? 0));
    for (const t of divisions.townshipsOf.get(county) ?? []) orgs.push(...townshipOrgs(ctx, t));
    orgsByCounty.set(county, orgs.sort(byEstablished));
  }

  const files: SampleFile[] = FILE_PLAN.map((plan) => ({
    ...plan,
    rows: plan.counties.flatMap((c) => orgsByCounty.get(c) ?? []).map((org) => ({ org, override: {}, defect: null })),
  }));
  const assigned = new Set(FILE_PLAN.flatMap((p) => p.counties));
  for (const c of counties) if (!assigned.has(c)) throw new Error(`county ${c} is in no sample file`);

  // 夹江: about one row in ten gives names only (no code), as hand-kept ledgers do.
  const bom = files.find((f) => f.format === 'csv-utf8-bom')!;
  for (const row of bom.rows) if (row.org.communityCode && ctx.rng.chance(0.1)) row.override.community_code = '';

  for (const file of files) plantDefects(ctx, file);
  // every row the reader must count: the generated ones and the ledger-word rows
  const validOrgs = files.flatMap((f) => f.rows.filter((r) => !r.defect || r.defect.kind === 'understood').map((r) => r.org));
  return { files, validOrgs };
}
