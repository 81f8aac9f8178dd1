/**
 * Writes a study's folder: README.md, figures/*.svg, results.json (the table's numbers and every
 * configuration's λ* per N), specs/*.json (each configuration's final sweep, to price or run on
 * Lambda) and runs.json (the runs that trained something, whose wall time the README adds up).
 * Files no longer produced are removed, so the folder is exactly what the outcome says.
 */
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { makeFolder, writeFileAtomic } from '../fs/atomic-file.js';
import { renderSvg } from '../report/render-svg.js';
import type { Study } from './init-epochs.js';
import { configLabel, configSpecInput, referenceSpecInput } from './init-epochs.js';
import type { StudyOutcome } from './run-study.js';
import type { RunRecord } from './study-doc.js';
import { studyReadme } from './study-doc.js';
import { studyFigures } from './study-figures.js';

const runRecordSchema = z.strictObject({
  started: z.string(),
  wallSeconds: z.number().nonnegative(),
  pointsTrained: z.number().int().nonnegative(),
  cores: z.number().int().positive(),
  kernel: z.string(),
  stopped: z.boolean().optional(),
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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path}: not JSON (${(err as Error).message}); fix it, or delete it to forget the recorded wall times`);
  }
  const parsed = z.array(runRecordSchema).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${path}: not a list of run records (at ${issue?.path.join('.') || 'the top'}: ${issue?.message}); fix it, or delete it to forget the recorded wall times`);
  }
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

/** Adds `run` to `dir`/runs.json alone (a run that stopped: the documents wait for a run that ends). */
export async function recordRun(dir: string, runs: readonly RunRecord[]): Promise<void> {
  await makeFolder(dir);
  await writeFileAtomic(join(dir, 'runs.json'), json(runs));
}

/** What the study writes into its folder: anything else there is not its to replace. */
const OWN = new Set(['README.md', 'results.json', 'runs.json', 'figures', 'specs']);

/** Throws, naming --out, when `dir` holds files the study did not write (it replaces the folder whole). */
export async function checkStudyFolder(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const foreign = names.filter((n) => !OWN.has(n));
  if (foreign.length > 0) {
    throw new UsageError(`--out: ${dir} holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, which the study did not write; point --out at the study's own folder or a new one`);
  }
}

/**
 * Writes the whole folder beside `dir`, then swaps it in: an interrupted or failed write leaves
 * the previous folder as it was, never half of each.
 */
export async function writeStudy(study: Study, outcome: StudyOutcome, runs: readonly RunRecord[], dir: string): Promise<void> {
  const figures = studyFigures(study, outcome);
  const files = new Map<string, string>();
  for (const f of figures) files.set(join('figures', `${f.name}.svg`), await renderSvg(f.spec));
  for (const c of outcome.configs) {
    files.set(join('specs', `${fileName(configLabel(c.config))}.json`), json(configSpecInput(study, c.config, c.seedSteps[c.seedSteps.length - 1])));
  }
  files.set(join('specs', 'reference.json'), json(referenceSpecInput(study)));
  files.set('results.json', json(results(outcome)));
  files.set('runs.json', json(runs));
  files.set('README.md', studyReadme(study, outcome, runs, figures));
  const staging = `${dir}.writing-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    for (const [name, body] of files) {
      await makeFolder(dirname(join(staging, name)));
      await writeFile(join(staging, name), body);
    }
    await rename(dir, old).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(staging, dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  await rm(old, { recursive: true, force: true });
}
