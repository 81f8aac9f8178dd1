/**
 * Writes a study's folder: README.md, figures/*.svg, results.json (the table's numbers and every
 * configuration's λ* per N), specs/*.json (each configuration's final sweep, to price or run on
 * Lambda) and runs.json (the runs that trained something, whose wall time the README adds up).
 * Files no longer produced are removed, so the folder is exactly what the outcome says.
 */
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { makeFolder, writeFileAtomic } from '../fs/atomic-file.js';
import { renderSvg } from '../report/render-svg.js';
import type { Study } from './init-epochs.js';
import { configLabel, configSpecInput } from './init-epochs.js';
import type { StudyOutcome } from './run-study.js';
import type { RunRecord } from './study-doc.js';
import { studyFigures, studyReadme } from './study-doc.js';

const runRecordSchema = z.strictObject({
  started: z.string(),
  wallSeconds: z.number().nonnegative(),
  pointsTrained: z.number().int().nonnegative(),
  cores: z.number().int().positive(),
  kernel: z.string(),
});

/** The runs recorded in `dir`/runs.json; none when the file does not exist. */
export async function readRuns(dir: string): Promise<RunRecord[]> {
  const path = join(dir, 'runs.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed = z.array(runRecordSchema).safeParse(JSON.parse(text));
  if (!parsed.success) throw Object.assign(new Error(`${path}: not a list of run records (${parsed.error.issues[0]?.message}); fix or delete it`), { code: 'CORRUPT_RECORD' });
  return parsed.data;
}

const fileName = (label: string) => label.replace(/[= ]+/g, '-').replace(/[^A-Za-z0-9.-]/g, '');

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** What results.json holds per configuration: the table's numbers, and λ* per N without the loss curves. */
function results(outcome: StudyOutcome) {
  const strip = (g: StudyOutcome['configs'][number]['group']) => ({ label: g.label, slope: g.slope, points: g.points });
  return {
    configs: outcome.configs.map((c) => ({
      ...c.config, seedSteps: c.seedSteps, status: c.status, halfWidth: c.halfWidth, floor: c.floor,
      sweepId: c.analysis.sweepId, trainerVersion: c.analysis.trainerVersion, lambdaPoints: c.analysis.points, work: c.analysis.work, ...strip(c.group),
    })),
    reference: { sweepId: outcome.reference.sweepId, points: outcome.reference.points, work: outcome.reference.work, groups: outcome.reference.groups.map(strip) },
  };
}

/** Replaces `dir`/`sub` with exactly `files`. */
async function writeExactly(dir: string, files: Map<string, string>): Promise<void> {
  await makeFolder(dir);
  for (const name of await readdir(dir)) if (!files.has(name)) await rm(join(dir, name), { recursive: true, force: true });
  for (const [name, body] of files) await writeFileAtomic(join(dir, name), body);
}

export async function writeStudy(study: Study, outcome: StudyOutcome, runs: readonly RunRecord[], dir: string): Promise<void> {
  await makeFolder(dir);
  const figures = new Map<string, string>();
  for (const f of studyFigures(study, outcome)) figures.set(`${f.name}.svg`, await renderSvg(f.spec));
  await writeExactly(join(dir, 'figures'), figures);
  const specs = new Map(outcome.configs.map((c) => [
    `${fileName(configLabel(c.config))}.json`,
    json(configSpecInput(study, c.config, c.seedSteps[c.seedSteps.length - 1])),
  ]));
  await writeExactly(join(dir, 'specs'), specs);
  await writeFileAtomic(join(dir, 'results.json'), json(results(outcome)));
  await writeFileAtomic(join(dir, 'runs.json'), json(runs));
  await writeFileAtomic(join(dir, 'README.md'), studyReadme(study, outcome, runs));
}
