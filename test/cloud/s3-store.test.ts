import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ObjectResultStore } from '../../orchestrator/store/object-result-store.js';
import { S3Backend } from '../../orchestrator/store/s3-backend.js';
import { cellId } from '../../functions/trainer/ids.js';
import { tinyManifest, tinyResult } from '../helpers/fixtures.js';
import { freshPrefix, s3rverEndpoint, TEST_BUCKET, testS3Client } from '../helpers/s3.js';
import { S3ConditionalProxy } from '../helpers/s3-conditional-proxy.js';
import { storeContract } from '../helpers/store-contract.js';

// Our own proxy in front of s3rver, so that faults can be scheduled on it.
let proxy: S3ConditionalProxy;
let endpoint: string;
const direct = () => testS3Client(s3rverEndpoint());

beforeAll(async () => {
  proxy = new S3ConditionalProxy(s3rverEndpoint());
  endpoint = await proxy.start();
});
afterAll(() => proxy.stop());

function client() {
  return testS3Client(endpoint);
}

storeContract('S3 (s3rver behind a conditional-write proxy)', async (wait) => {
  const prefix = freshPrefix('contract');
  const raw = {
    write: async (key: string, body: string) => {
      await direct().send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: `${prefix}/${key}`, Body: body }));
    },
    read: async (key: string) => {
      try {
        return await (await direct().send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: `${prefix}/${key}` }))).Body?.transformToString();
      } catch {
        return undefined;
      }
    },
  };
  return {
    store: new ObjectResultStore(new S3Backend(client(), TEST_BUCKET), prefix, `s3://${TEST_BUCKET}/${prefix}`, { bucket: TEST_BUCKET }, wait),
    raw,
    race: (key, race) =>
      proxy.schedule(`/${TEST_BUCKET}/${prefix}/${key}`, race.mode === 'exists' ? { mode: 'exists', write: () => raw.write(key, race.body) } : race),
  };
});

test('the conditional write is real: S3 answers 412 to a create of an existing key, and the store reads instead of overwriting', async () => {
  const prefix = freshPrefix('cond');
  const store = new ObjectResultStore(new S3Backend(client(), TEST_BUCKET), prefix, 's3://x');
  const r = tinyResult(0);
  const before = proxy.refused;
  expect(await store.putResult(r)).toBe('written');
  // Bypass the store's read-first: a second conditional create must be refused by the server.
  const backend = new S3Backend(client(), TEST_BUCKET);
  expect(await backend.createExclusive(`${prefix}/cells/${cellId(r.task)}/${r.taskId}.json`, 'overwrite?')).toBe(false);
  expect(proxy.refused).toBe(before + 1);
});

test('listing pages through continuation tokens', async () => {
  const prefix = freshPrefix('pages');
  const store = new ObjectResultStore(new S3Backend(client(), TEST_BUCKET, 2), prefix, 's3://x', { bucket: TEST_BUCKET });
  await store.putManifest(tinyManifest());
  const cells = new Set<string>();
  for (let seed = 0; seed < 5; seed++) {
    const r = tinyResult(seed);
    await store.putResult(r);
    cells.add(cellId(r.task));
  }
  let read = 0;
  for await (const e of store.readCells(cells)) if (e.result) read++;
  expect(read).toBe(5);
  expect(await store.listSweeps()).toEqual([tinyManifest().sweepId]);
});

test('the S3 store hands the trainer its bucket and prefix', () => {
  const store = new ObjectResultStore(new S3Backend(client(), TEST_BUCKET), 'lab', 's3://b/lab', { bucket: TEST_BUCKET });
  expect(store.remoteTarget()).toEqual({ bucket: TEST_BUCKET, prefix: 'lab' });
});

test('a missing bucket is a one-line error naming it and the fix', async () => {
  const store = new ObjectResultStore(new S3Backend(client(), 'no-such-bucket'), 'lab', 's3://no-such-bucket/lab');
  await expect(store.listSweeps()).rejects.toThrow(/--store: bucket "no-such-bucket" does not exist; create it \(cdk deploy\) or fix the name/);
  await expect(store.putManifest(tinyManifest())).rejects.toThrow(/bucket "no-such-bucket" does not exist/);
});
