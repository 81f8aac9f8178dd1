/** The S3 result store as the CLI opens it: the standard credential chain, region and endpoint variables. */
import type { ClientOptions } from '../aws/clients.js';
import { makeS3Client } from '../aws/clients.js';
import { ObjectResultStore } from './object-result-store.js';
import type { ResultStore } from './result-store.js';
import { S3Backend } from './s3-backend.js';

export function openS3Store(bucket: string, prefix: string, location: string, client: ClientOptions = {}): ResultStore {
  return new ObjectResultStore(new S3Backend(makeS3Client(client), bucket), prefix, location, { bucket });
}
