/**
 * `plan --pilot`: the pilot sweep read back from its store and analysed as `report` does, and the
 * planned spec's groups (reg × init factor × option variant) matched to the pilot's.
 */
import { SWEEP_ID } from '../../functions/keys.js';
import type { TrainingOptions } from '../../functions/trainer/task.js';
import type { Analysis, GroupAnalysis } from '../analysis/analysis-types.js';
import { analyze } from '../analysis/analyze.js';
import { UsageError } from '../errors.js';
import { optionVariants } from '../plan/planner.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import type { ResultStore } from '../store/result-store.js';
import { loadManifest, readSweep } from '../sweep/load-sweep.js';
import type { CloudFlags } from './cloud-flags.js';
import { openStoreFromFlags } from './open-store-from-flags.js';

export interface SpecGroup {
  reg: 'l1' | 'l2';
  initFactor: number;
  /** The spec's options that it varies, as in the report's group labels. */
  options: Partial<TrainingOptions>;
  label: string;
  /** The pilot's group with the same reg, init factor and every training option; null if none. */
  pilot: GroupAnalysis | null;
}

const fmt = (v: unknown) => (Array.isArray(v) ? v.join(', ') : String(v));

/** A sweep id, or the name of exactly one sweep in the store. */
async function resolvePilot(store: ResultStore, given: string): Promise<string> {
  const status = `\`lambdastar status --store ${store.location}\` lists them`;
  if (SWEEP_ID.test(given)) {
    if (await store.getManifest(given)) return given;
    throw new UsageError(`--pilot: no sweep ${given} in ${store.location}; give a sweep id or name there (${status}), or point --store at the pilot's store`);
  }
  const named: string[] = [];
  for (const id of await store.listSweeps()) if ((await store.getManifest(id))?.spec.name === given) named.push(id);
  if (named.length === 1) return named[0];
  if (named.length === 0) {
    throw new UsageError(`--pilot: no sweep named "${given}" in ${store.location}; give a sweep id or name there (${status}), or point --store at the pilot's store`);
  }
  throw new UsageError(`--pilot: ${named.length} sweeps in ${store.location} are named "${given}" (${named.join(', ')}); give one by its id`);
}

/** The pilot sweep `flags.pilot` names (by id or name) in the flags' store, analysed. */
export async function loadPilot(flags: Pick<CloudFlags, 'store' | 'stackOutputs' | 'region'> & { pilot: string }): Promise<Analysis> {
  const store = await openStoreFromFlags(flags);
  const manifest = await loadManifest(store, await resolvePilot(store, flags.pilot));
  return analyze(manifest, await readSweep(store, manifest));
}

/** Every training option of a pilot group: its varied ones, and the pilot's single value of the rest. */
function optionsOf(analysis: Analysis, g: GroupAnalysis): TrainingOptions {
  const all = Object.fromEntries(Object.entries(analysis.protocol).map(([k, v]) => [k, v[0]]));
  return { ...all, ...g.options } as TrainingOptions;
}

const sameOptions = (a: TrainingOptions, b: TrainingOptions) => (Object.keys(a) as (keyof TrainingOptions)[]).every((k) => a[k] === b[k]);

/** The spec's groups, each with its pilot group; throws when the pilot has none of them. */
export function matchGroups(spec: CanonicalSpec, pilot: Analysis): SpecGroup[] {
  const varied = (Object.keys(spec.options) as (keyof TrainingOptions)[]).filter((k) => spec.options[k].length > 1);
  const out: SpecGroup[] = [];
  for (const reg of spec.regs) {
    for (const initFactor of spec.initFactors) {
      for (const variant of optionVariants(spec)) {
        const options = Object.fromEntries(varied.map((k) => [k, variant[k]])) as Partial<TrainingOptions>;
        const label = [reg.toUpperCase(), `f=${initFactor}`, ...Object.entries(options).map(([k, v]) => `${k}=${String(v)}`)].join(' ');
        const g = pilot.groups.find((p) => p.reg === reg && p.initFactor === initFactor && sameOptions(optionsOf(pilot, p), variant));
        out.push({ reg, initFactor, options, label, pilot: g ?? null });
      }
    }
  }
  if (out.some((g) => g.pilot !== null)) return out;
  throw new UsageError(
    `--pilot: sweep ${pilot.sweepId}${pilot.name ? ` (${pilot.name})` : ''} has none of the spec's groups (reg × init factor × training options): ${mismatch(spec, pilot)}; ` +
      'pilot the same protocol with a few seeds',
  );
}

/** How the pilot's groups differ from the spec's, in words. */
function mismatch(spec: CanonicalSpec, pilot: Analysis): string {
  const disjoint = <T>(a: readonly T[], b: readonly T[]) => !a.some((v) => b.includes(v));
  const pilotRegs = [...new Set(pilot.groups.map((g) => g.reg))];
  const pilotInits = [...new Set(pilot.groups.map((g) => g.initFactor))];
  const differ: string[] = [];
  if (pilotRegs.length > 0 && disjoint(spec.regs, pilotRegs)) differ.push(`regs: pilot ${fmt(pilotRegs)}, spec ${fmt(spec.regs)}`);
  if (pilotInits.length > 0 && disjoint(spec.initFactors, pilotInits)) differ.push(`initFactors: pilot ${fmt(pilotInits)}, spec ${fmt(spec.initFactors)}`);
  for (const k of Object.keys(spec.options) as (keyof TrainingOptions)[]) {
    if (disjoint(spec.options[k] as unknown[], pilot.protocol[k] as unknown[])) differ.push(`${k}: pilot ${fmt(pilot.protocol[k])}, spec ${fmt(spec.options[k])}`);
  }
  if (differ.length > 0) return `they differ in ${differ.join('; ')}`;
  return pilot.groups.length === 0
    ? 'it has no group with a λ* (no complete cell, or every λ diverged)'
    : `its groups with a λ* are ${pilot.groups.map((g) => g.label).join(', ')}`;
}
