/** The environment failing — an unreachable endpoint, no credentials — is exit code 3, said in one line naming what. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { errorLines, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lambdastar-env-'));
const spec = join(dir, 'spec.json');
writeFileSync(spec, JSON.stringify({ n: [10], lambdas: [1e-3], seeds: 1, epochs: 2, valSize: 10 }));
// Port 9 (discard) on loopback refuses connections at once.
const nowhere = 'http://127.0.0.1:9';
const ours = (stderr: string) => errorLines(stderr).filter((l) => l.startsWith('lambdastar:'));

test('an S3 endpoint that cannot be reached: exit 3, one line naming the store', async () => {
  const run = await runCli(['status', '--store', 's3://bucket/lab'], { env: { AWS_ENDPOINT_URL_S3: nowhere } });
  expect(run.code).toBe(3);
  expect(ours(run.stderr)).toEqual(['lambdastar: --store: cannot reach S3 bucket "bucket" (ECONNREFUSED); check the network, the region and any AWS_ENDPOINT_URL_* variable']);
  expect(run.stderr).not.toMatch(/\n\s+at /);
});

test('a Lambda endpoint that cannot be reached stops the run (not each task): exit 3, one line naming the function', async () => {
  const run = await runCli(['run', '--spec', spec, '--backend', 'lambda', '--function', 'trainer', '--store', join(dir, 'lambda'), '--no-progress'], {
    env: { AWS_ENDPOINT_URL_LAMBDA: nowhere },
  });
  expect(run.code).toBe(3);
  expect(ours(run.stderr)).toEqual(['lambdastar: --function: cannot reach the Lambda function "trainer" (ECONNREFUSED); check the network, the region and any AWS_ENDPOINT_URL_* variable']);
});

test('no AWS credentials: exit 3, one line saying how to provide them', async () => {
  const run = await runCli(['status', '--store', 's3://bucket/lab'], {
    env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'lambdastar-no-such-profile', AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'), AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL_S3: nowhere },
  });
  expect(run.code).toBe(3);
  expect(ours(run.stderr)).toEqual(['lambdastar: --store: no AWS credentials found for S3 bucket "bucket"; set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY']);
});

test('no AWS region: exit 3, one line saying how to set one — for the store, and for the function (the run stops, no task is failed for it)', async () => {
  const noRegion = { AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_CONFIG_FILE: join(dir, 'none'), AWS_PROFILE: 'lambdastar-no-such-profile' };
  const status = await runCli(['status', '--store', 's3://bucket/lab'], { env: { ...noRegion, AWS_ENDPOINT_URL_S3: nowhere } });
  expect(status.code).toBe(3);
  expect(ours(status.stderr)).toEqual(['lambdastar: --region: no AWS region set; pass --region or set AWS_REGION']);
  const store = join(dir, 'no-region');
  const run = await runCli(['run', '--spec', spec, '--backend', 'lambda', '--function', 'trainer', '--store', store, '--no-progress'], { env: noRegion });
  expect(run.code).toBe(3);
  expect(ours(run.stderr)).toEqual(['lambdastar: --region: no AWS region set; pass --region or set AWS_REGION']);
  expect(existsSync(store)).toBe(false);
});
