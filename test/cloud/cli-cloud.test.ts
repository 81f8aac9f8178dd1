import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { metricsDigest } from '../../functions/trainer/digest.js';
import { CLI, runCli } from '../helpers/cli.js';
import { LocalLambda } from '../helpers/local-lambda.js';
import { cloudEnv, freshPrefix, s3Endpoint, TEST_BUCKET, testS3Client } from '../helpers/s3.js';

const lambda = new LocalLambda(2);
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'lambdastar-cloud-cli-'));
const s3 = testS3Client();

beforeAll(async () => {
  process.env.AWS_ENDPOINT_URL_S3 = s3Endpoint();
  env = cloudEnv(await lambda.start());
});
afterAll(() => lambda.stop());

async function resultCount(prefix: string, sweepId: string): Promise<number> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: `${prefix}/${sweepId}/results/` }));
  return out.KeyCount ?? 0;
}

describe('the CLI against S3 and Lambda endpoints', () => {
  test('quick preset with --backend lambda --store s3://… (via --stack-outputs): analysis.json equals the local run; report and verify from S3 alone', async () => {
    const prefix = freshPrefix('quick');
    const outputs = join(dir, 'cdk-outputs.json');
    writeFileSync(outputs, JSON.stringify({ Lambdastar: { FunctionName: 'lambdastar-trainer', BucketName: TEST_BUCKET, Region: 'us-east-1', SweepsPrefix: prefix } }));

    const cloud = await runCli(['run', '--preset', 'quick', '--backend', 'lambda', '--stack-outputs', outputs, '--concurrency', '8', '--out', join(dir, 'cloud-report')], { env });
    expect(cloud.stderr).not.toMatch(/lambdastar: /);
    expect(cloud.code).toBe(0);
    expect(cloud.stdout).toMatch(/48 tasks: 0 already done, 48 run now, 0 failed/);
    expect(cloud.stdout).toMatch(/lambda: \d+ invocations \(\d+ hedged\), billed [\d.]+ s = [\d.]+ GB-s ≈ \$[\d.]+ \(predicted/);

    const local = await runCli(['run', '--preset', 'quick', '--store', join(dir, 'local-runs'), '--out', join(dir, 'local-report')]);
    expect(local.code).toBe(0);
    const localAnalysis = readFileSync(join(dir, 'local-report', 'analysis.json'), 'utf8');
    expect(readFileSync(join(dir, 'cloud-report', 'analysis.json'), 'utf8')).toBe(localAnalysis);

    const rebuilt = await runCli(['report', '--store', `s3://${TEST_BUCKET}/${prefix}`, '--out', join(dir, 'rebuilt')], { env });
    expect(rebuilt.code).toBe(0);
    expect(readFileSync(join(dir, 'rebuilt', 'analysis.json'), 'utf8')).toBe(localAnalysis);
    expect(readFileSync(join(dir, 'rebuilt', 'results.csv'), 'utf8')).toBe(readFileSync(join(dir, 'local-report', 'results.csv'), 'utf8'));

    const verify = await runCli(['verify', '--store', `s3://${TEST_BUCKET}/${prefix}`, '--sample', '4', '--json'], { env });
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ checked: 4, matched: 4, mismatches: [] });
  });

  test('verify prints a mismatch when a stored result does not reproduce, and a corrupt object stops the report, named by key', async () => {
    const prefix = freshPrefix('tamper');
    const spec = join(dir, 'small.json');
    writeFileSync(spec, JSON.stringify({ n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 2, epochs: 5, valSize: 50 }));
    const store = `s3://${TEST_BUCKET}/${prefix}`;
    const run = await runCli(['run', '--spec', spec, '--backend', 'lambda', '--function', 'f', '--store', store, '--json', '--no-report'], { env });
    expect(run.code).toBe(0);
    const { sweepId } = JSON.parse(run.stdout) as { sweepId: string };
    const list = await s3.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: `${prefix}/${sweepId}/results/` }));
    const keys = (list.Contents ?? []).map((o) => o.Key ?? '');
    const [first, second] = keys;
    const stored = JSON.parse((await (await s3.send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: first }))).Body?.transformToString()) ?? '');
    // A self-consistent result (digest recomputed) whose numbers the trainer does not reproduce.
    stored.metrics[0].valLoss += 1e-9;
    stored.digest = metricsDigest(stored.metrics);
    await s3.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: first, Body: JSON.stringify(stored) }));
    const verify = await runCli(['verify', '--store', store, '--sample', '4'], { env });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(new RegExp(`MISMATCH ${stored.taskId}: .*valLoss: stored`));
    expect(verify.stdout).toMatch(/verified 4 of 4 stored tasks: 3 reproduce bit for bit, 1 do not/);

    await s3.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: second, Body: '{"taskId":' }));
    const report = await runCli(['report', '--store', store, '--out', join(dir, 'tampered')], { env });
    expect(report.code).toBe(2);
    expect(report.stderr).toContain(`${store}/${second.slice(prefix.length + 1)}: corrupt result (not valid JSON, perhaps truncated)`);
  });

  test('resume after a killed orchestrator: every task lands once, the analysis equals a clean local run', async () => {
    const prefix = freshPrefix('killed');
    const spec = join(dir, 'kill.json');
    writeFileSync(spec, JSON.stringify({ n: [60, 120, 240], lambdas: [1e-3, 1e-2, 1e-1], seeds: 6, epochs: 150, valSize: 2000 }));
    const plan = JSON.parse((await runCli(['plan', '--spec', spec, '--json'])).stdout) as { sweepId: string; tasks: number; cost: { invocations: number; totalDollars: number; gbSeconds: number } };
    expect(plan.cost.invocations).toBeGreaterThan(0);
    expect(plan.cost.totalDollars).toBeGreaterThan(0);
    const store = `s3://${TEST_BUCKET}/${prefix}`;
    const args = [CLI, 'run', '--spec', spec, '--backend', 'lambda', '--function', 'f', '--store', store, '--concurrency', '2', '--target-seconds', '1'];
    const child = spawn(process.execPath, [...args, '--no-report'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        void resultCount(prefix, plan.sweepId).then((n) => {
          if (n >= 3) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve();
          }
        });
      }, 20);
      child.on('exit', (code) => {
        if (code !== null) (clearInterval(timer), reject(new Error('finished before it was killed')));
      });
    });
    const resumed = await runCli(['run', '--spec', spec, '--backend', 'lambda', '--function', 'f', '--store', store, '--json', '--out', join(dir, 'resumed')], { env });
    expect(resumed.code).toBe(0);
    const s = JSON.parse(resumed.stdout) as { total: number; alreadyDone: number; completed: number; failed: unknown[] };
    expect(s.failed).toEqual([]);
    expect(s.alreadyDone).toBeGreaterThanOrEqual(3);
    expect(s.alreadyDone + s.completed).toBe(s.total);
    expect(await resultCount(prefix, plan.sweepId)).toBe(plan.tasks);
    const clean = await runCli(['run', '--spec', spec, '--store', join(dir, 'clean'), '--out', join(dir, 'clean-report')]);
    expect(clean.code).toBe(0);
    expect(readFileSync(join(dir, 'resumed', 'analysis.json'), 'utf8')).toBe(readFileSync(join(dir, 'clean-report', 'analysis.json'), 'utf8'));
  });

  test('every executor × store combination gives the same analysis', async () => {
    const spec = join(dir, 'matrix.json');
    writeFileSync(spec, JSON.stringify({ n: [10, 20, 40], lambdas: [1e-3, 1e-2, 1e-1], seeds: 2, epochs: 10, valSize: 100 }));
    const combos: [string, string[]][] = [
      ['local-folder', ['--store', join(dir, 'm-local')]],
      ['local-s3', ['--store', `s3://${TEST_BUCKET}/${freshPrefix('m')}`]],
      ['lambda-folder', ['--backend', 'lambda', '--function', 'f', '--store', join(dir, 'm-lambda')]],
      ['lambda-s3', ['--backend', 'lambda', '--function', 'f', '--store', `s3://${TEST_BUCKET}/${freshPrefix('m')}`]],
    ];
    const analyses = [];
    for (const [name, args] of combos) {
      const run = await runCli(['run', '--spec', spec, ...args, '--out', join(dir, `m-report-${name}`)], { env });
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      analyses.push(readFileSync(join(dir, `m-report-${name}`, 'analysis.json'), 'utf8'));
    }
    for (const a of analyses.slice(1)) expect(a).toBe(analyses[0]);
  });

  test('a missing bucket and a missing function name are one-line errors', async () => {
    const nobucket = await runCli(['status', '--store', 's3://no-such-bucket/x'], { env });
    expect(nobucket.code).toBe(2);
    expect(nobucket.stderr.trim()).toBe('lambdastar: --store: bucket "no-such-bucket" does not exist; create it (cdk deploy) or fix the name');
    const nofn = await runCli(['run', '--preset', 'quick', '--backend', 'lambda', '--store', `s3://${TEST_BUCKET}/x`], { env });
    expect(nofn.code).toBe(2);
    expect(nofn.stderr.trim()).toMatch(/^lambdastar: --function: --backend lambda needs the trainer function/);
  });
});
