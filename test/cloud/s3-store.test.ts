import { PutObjectCommand } from '@aws-sdk/client-s3';
import { expect, test } from 'vitest';
import { ObjectResultStore } from '../../orchestrator/store/object-result-store.js';
import { S3Backend } from '../../orchestrator/store/s3-backend.js';
import { tinyManifest, tinyResult } from '../helpers/fixtures.js';
import { freshPrefix, TEST_BUCKET, testS3Client } from '../helpers/s3.js';
import { storeContract } from '../helpers/store-contract.js';

const client = testS3Client();

storeContract('S3 (s3rver)', async () => {
  const prefix = freshPrefix('contract');
  return {
    store: new ObjectResultStore(new S3Backend(client, TEST_BUCKET), prefix, `s3://${TEST_BUCKET}/${prefix}`, { bucket: TEST_BUCKET }),
    corruptResult: async (sweepId, taskId, body) => {
      await client.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: `${prefix}/${sweepId}/results/${taskId}.json`, Body: body }));
    },
  };
});

test('listing pages through continuation tokens', async () => {
  const prefix = freshPrefix('pages');
  const store = new ObjectResultStore(new S3Backend(client, TEST_BUCKET, 2), prefix, 's3://x', { bucket: TEST_BUCKET });
  const m = tinyManifest();
  await store.putManifest(m);
  const ids = new Set<string>();
  for (let seed = 0; seed < 5; seed++) {
    const r = tinyResult(seed);
    await store.putResult(m.sweepId, r);
    ids.add(r.taskId);
  }
  expect(await store.listResultIds(m.sweepId)).toEqual(ids);
  expect(await store.listSweeps()).toEqual([m.sweepId]);
});

test('the S3 store hands the trainer its results prefix', () => {
  const store = new ObjectResultStore(new S3Backend(client, TEST_BUCKET), 'sweeps', 's3://b/sweeps', { bucket: TEST_BUCKET });
  expect(store.remoteTarget('abc')).toEqual({ bucket: TEST_BUCKET, prefix: 'sweeps/abc/results' });
});

test('a missing bucket is a one-line error naming it and the fix', async () => {
  const store = new ObjectResultStore(new S3Backend(client, 'no-such-bucket'), 'sweeps', 's3://no-such-bucket/sweeps');
  await expect(store.listSweeps()).rejects.toThrow(/--store: bucket "no-such-bucket" does not exist; create it \(cdk deploy\) or fix the name/);
  await expect(store.putManifest(tinyManifest())).rejects.toThrow(/bucket "no-such-bucket" does not exist/);
});
