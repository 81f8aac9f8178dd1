import { join } from 'node:path';

/** `<store>/<sweep>/report` for a folder store; `./lambdastar-reports/<sweep>` for a remote one. */
export function defaultReportDir(location: string, sweepId: string): string {
  return location.startsWith('s3://') ? join('lambdastar-reports', sweepId) : join(location, sweepId, 'report');
}
