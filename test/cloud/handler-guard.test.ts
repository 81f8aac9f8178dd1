/**
 * The deployed handler guards itself: the real bundle, configured as the stack configures it
 * (LAMBDASTAR_BUCKET, LAMBDASTAR_PREFIX, a timeout), behind the local Invoke endpoint and the real
 * SDK client. It writes only to its own store and starts no task it cannot finish in time.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TrainerEvent, TrainerResponse } from '../../functions/handler.js';
import { resultKey } from '../../functions/keys.js';
import { cellId, taskId } from '../../functions/trainer/ids.js';
import { withDefaults } from '../../functions/trainer/task.js';
import { makeLambdaClient } from '../../orchestrator/aws/clients.js';
import { LocalLambda } from '../helpers/local-lambda.js';
import { cloudEnv, freshPrefix, TEST_BUCKET, testS3Client } from '../helpers/s3.js';

const prefix = freshPrefix('guard');
let lambda: LocalLambda;

beforeAll(async () => {
  lambda = new LocalLambda(1, { env: { ...cloudEnv(), LAMBDASTAR_BUCKET: TEST_BUCKET, LAMBDASTAR_PREFIX: prefix }, timeoutMs: 900_000 });
  process.env.AWS_ENDPOINT_URL_LAMBDA = await lambda.start();
});
afterAll(() => lambda.stop());

async function invoke(event: TrainerEvent): Promise<TrainerResponse> {
  const out = await makeLambdaClient().send(new InvokeCommand({ FunctionName: 'lambdastar-trainer', Payload: JSON.stringify(event) }));
  expect(out.FunctionError).toBeUndefined();
  return JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as TrainerResponse;
}

const task = withDefaults({ n: 20, seed: 7, initFactor: 1, reg: 'l2', lambdas: [1e-3, 1e-2], epochs: 5, valSize: 50 });
const tasks = [{ id: taskId(task), task }];

describe('the bundled handler, deployed with its store', () => {
  test.each([
    ['another bucket', { tasks, bucket: 'other-bucket', prefix }, 'OutsideStore', /^event\.bucket: "other-bucket" is not this function's results bucket; use --store s3:\/\/lambdastar-test\/guard-/],
    ['another prefix', { tasks, bucket: TEST_BUCKET, prefix: 'elsewhere' }, 'OutsideStore', /^event\.prefix: "elsewhere" is outside this function's store/],
    ['a prefix that climbs out', { tasks, bucket: TEST_BUCKET, prefix: `${prefix}/../../other-bucket/x` }, 'InvalidEvent', /^event\.prefix: must be a key prefix like a\/b/],
  ])('refuses an event naming %s', async (_name, event, code, message) => {
    expect(await invoke(event)).toEqual({ ok: false, code, message: expect.stringMatching(message) });
  });

  test('writes to its own store', async () => {
    const response = await invoke({ tasks, bucket: TEST_BUCKET, prefix });
    const key = resultKey(prefix, cellId(task), taskId(task));
    expect(response.ok && response.results.map((r) => [r.key, r.stored])).toEqual([[key, 'written']]);
    const stored = await testS3Client().send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
    expect(JSON.parse(await stored.Body?.transformToString() ?? '{}')).toMatchObject({ taskId: taskId(task) });
  });

  test('does not start a task that cannot finish before the function times out; its batch-mates run', async () => {
    const huge = withDefaults({ n: 1_000_000, seed: 1, initFactor: 1, reg: 'l2', lambdas: [1e-3], epochs: 1_000_000, valSize: 10 });
    const response = await invoke({ tasks: [{ id: taskId(huge), task: huge }, ...tasks], inline: true });
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    expect(response.results.map((r) => r.id)).toEqual([taskId(task)]);
    expect(response.failures).toEqual([{ id: taskId(huge), code: 'WouldTimeOut', message: expect.stringMatching(/^not started: needs about \d+\.\d s, \d+\.\d s left/) }]);
  });
});
