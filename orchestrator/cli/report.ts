/** `lambdastar report`: rebuild the analysis, CSV and figures of a stored sweep. */
import type { Command } from 'commander';
import { defaultReportFolder } from '../../functions/keys.js';
import { summaryLines } from '../report/text-summary.js';
import { writeReport } from '../report/write-report.js';
import type { CloudFlags } from './cloud-flags.js';
import { addStoreOptions, openStoreFromFlags, storeLocation } from './cloud-flags.js';
import { positiveInt } from './options.js';
import { checkOutFolder } from './out-folder.js';
import { resolveSweep } from './resolve-sweep.js';

interface ReportFlags extends Pick<CloudFlags, 'store' | 'stackOutputs' | 'region'> {
  sweep?: string;
  out?: string;
  lossN?: number;
  png?: boolean;
  json?: boolean;
}

export function registerReport(program: Command): void {
  const cmd = program
    .command('report')
    .description('write analysis.json, results.csv, SVG figures and report.html from a stored sweep (folder or S3)')
    .option('--sweep <id>', 'the sweep id (default: the only sweep in the store)')
    .option('--out <dir>', 'report folder (default: <store>/sweeps/<sweep id>/report, or ./lambdastar-reports/<sweep id> for S3)')
    .option('--loss-n <n>', 'draw the loss-against-λ figure at this N only (default: every N, or six spread over them)', positiveInt('--loss-n'))
    .option('--png', 'also write each figure as a 300 dpi PNG (figures/*.png)')
    .option('--json', 'print the analysis as JSON');
  addStoreOptions(cmd).action(async (flags: ReportFlags) => {
    const store = openStoreFromFlags(flags);
    const id = await resolveSweep(store, flags.sweep);
    const out = flags.out ?? defaultReportFolder(storeLocation(flags), id);
    await checkOutFolder(out);
    const { analysis, paths } = await writeReport(store, id, out, { lossN: flags.lossN, png: flags.png });
    if (flags.json) process.stdout.write(`${JSON.stringify(analysis, null, 2)}\n`);
    else process.stdout.write(`${[...summaryLines(analysis), `report: ${paths.html}`].join('\n')}\n`);
  });
}
