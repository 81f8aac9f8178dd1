/** The result store the command line points at: a folder, or S3 (which loads the AWS SDK). */
import { openStore } from '../store/open-store.js';
import type { ResultStore } from '../store/result-store.js';
import type { CloudFlags } from './cloud-flags.js';
import { regionOf, storeLocation } from './cloud-flags.js';

/** The result store the flags point at; S3 through the standard chain and endpoint variables (the SDK loaded only then). */
export async function openStoreFromFlags(flags: Pick<CloudFlags, 'store' | 'stackOutputs' | 'region'>, maxSockets = 64): Promise<ResultStore> {
  const location = storeLocation(flags);
  const s3 = location.startsWith('s3://') ? await import('../store/open-s3-store.js') : undefined;
  return openStore(location, { openS3: s3 && ((bucket, prefix, loc) => s3.openS3Store(bucket, prefix, loc, { region: regionOf(flags), maxSockets })) });
}
