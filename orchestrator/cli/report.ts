/** `lambdastar report`: rebuild the analysis, CSV and figures of a stored sweep. */
import { defaultReportFolder } from '../../functions/keys.js';
import { summaryLines } from '../report/text-summary.js';
import { writeReport } from '../report/write-report.js';
import type { CloudFlags } from './cloud-flags.js';
import { openStoreFromFlags } from './open-store-from-flags.js';
import { storeLocation } from './cloud-flags.js';
import { checkOutFolder } from './out-folder.js';
import { resolveSweep } from './resolve-sweep.js';

export interface ReportFlags extends Pick<CloudFlags, 'store' | 'stackOutputs' | 'region'> {
  sweep?: string;
  out?: string;
  lossN?: number;
  png?: boolean;
  json?: boolean;
}

export async function reportCommand(flags: ReportFlags): Promise<void> {
  const store = await openStoreFromFlags(flags);
  const id = await resolveSweep(store, flags.sweep);
  const out = flags.out ?? defaultReportFolder(storeLocation(flags), id);
  await checkOutFolder(out);
  const { analysis, paths } = await writeReport(store, id, out, { lossN: flags.lossN, png: flags.png });
  if (flags.json) process.stdout.write(`${JSON.stringify(analysis, null, 2)}\n`);
  else process.stdout.write(`${[...summaryLines(analysis), `report: ${paths.html}`].join('\n')}\n`);
}
