import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { metricsDigest } from '../../functions/trainer/digest.js';
import { planCells, taskFor } from '../../orchestrator/plan/planner.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
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

/** The result objects of a store prefix (every cell). */
async function resultKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: `${prefix}/cells/`, ContinuationToken: token }));
    keys.push(...(out.Contents ?? []).map((o) => o.Key ?? ''));
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

describe('the CLI against S3 and Lambda endpoints', () => {
  test('quick preset with --backend lambda --store s3://… (via --stack-outputs): analysis.json equals the local run; report and verify from S3 alone', async () => {
    const prefix = freshPrefix('quick');
    const outputs = join(dir, 'cdk-outputs.json');
    writeFileSync(outputs, JSON.stringify({ Lambdastar: { FunctionName: 'lambdastar-trainer', BucketName: TEST_BUCKET, Region: 'us-east-1', StorePrefix: prefix } }));

    const cloud = await runCli(['run', '--preset', 'quick', '--backend', 'lambda', '--stack-outputs', outputs, '--concurrency', '8', '--out', join(dir, 'cloud-report')], { env });
    expect(cloud.stderr).not.toMatch(/lambdastar: /);
    expect(cloud.code).toBe(0);
    expect(cloud.stdout).toMatch(/48 cells · 1056 points: 0 reused, 1056 trained now/);
    expect(cloud.stdout).toMatch(/lambda: \d+ invocations \(\d+ hedged, \d+ throttled and re-sent\), billed [\d.]+ s = [\d.]+ GB-s ≈ \$[\d.]+(, of which [\d.]+ s estimated for \d+ invocation\(s\) whose log never came back)? \(predicted for the batches that ran: [\d.]+ s ≈ \$[\d.]+ plus requests\)/);
    expect(cloud.stderr).toMatch(/round 1: 48 tasks \(1056 points\) in \d+ invocations, predicted [\d.]+ s ≈ \$[\d.]+/);
    expect(await resultKeys(prefix)).toHaveLength(48);

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
    expect(JSON.parse(verify.stdout)).toMatchObject({ stored: 48, checked: 4, matched: 4, mismatches: [] });
  });

  test('verify prints a mismatch when a stored result does not reproduce, and a corrupt object stops the report, named by key', async () => {
    const prefix = freshPrefix('tamper');
    const spec = join(dir, 'small.json');
    writeFileSync(spec, JSON.stringify({ n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 2, epochs: 5, valSize: 50 }));
    const store = `s3://${TEST_BUCKET}/${prefix}`;
    const run = await runCli(['run', '--spec', spec, '--backend', 'lambda', '--function', 'f', '--store', store, '--json', '--no-report'], { env });
    expect(run.code).toBe(0);
    const [first, second] = await resultKeys(prefix);
    const stored = JSON.parse((await (await s3.send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: first }))).Body?.transformToString()) ?? '');
    // A self-consistent result (digest recomputed) whose numbers the trainer does not reproduce.
    stored.metrics[0].valLoss += 1e-9;
    stored.digest = metricsDigest(stored.metrics);
    await s3.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: first, Body: JSON.stringify(stored) }));
    const verify = await runCli(['verify', '--store', store, '--sample', '4'], { env });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(new RegExp(`MISMATCH ${store}/${first.slice(prefix.length + 1)}: .*valLoss: stored`));
    expect(verify.stdout).toMatch(/all 4 stored results of the sweep read back intact; re-trained 4: 3 reproduce bit for bit, 1 do not/);

    await s3.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: second, Body: '{"taskId":' }));
    const report = await runCli(['report', '--store', store, '--out', join(dir, 'tampered')], { env });
    expect(report.code).toBe(2);
    expect(report.stderr).toContain(`${store}/${second.slice(prefix.length + 1)}: corrupt result (not valid JSON, perhaps truncated)`);
  });

  test('resume after a killed orchestrator: every task lands once, the analysis equals a clean local run', async () => {
    const prefix = freshPrefix('killed');
    const spec = join(dir, 'kill.json');
    writeFileSync(spec, JSON.stringify({ n: [60, 120, 240], lambdas: [1e-3, 1e-2, 1e-1], seeds: 6, epochs: 150, valSize: 2000 }));
    const plan = JSON.parse((await runCli(['plan', '--spec', spec, '--json'])).stdout) as { sweepId: string; cells: number; lambda: { min: { invocations: number; totalDollars: number } } };
    expect(plan.lambda.min.invocations).toBeGreaterThan(0);
    expect(plan.lambda.min.totalDollars).toBeGreaterThan(0);
    const store = `s3://${TEST_BUCKET}/${prefix}`;
    const args = [CLI, 'run', '--spec', spec, '--backend', 'lambda', '--function', 'f', '--store', store, '--concurrency', '2', '--target-seconds', '1'];
    const child = spawn(process.execPath, [...args, '--no-report'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        void resultKeys(prefix).then((keys) => {
          if (keys.length >= 3) {
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
    const s = JSON.parse(resumed.stdout) as { cells: number; points: number; pointsReused: number; pointsTrained: number; failed: unknown[] };
    expect(s.failed).toEqual([]);
    expect(s.pointsReused).toBeGreaterThanOrEqual(3 * 3);
    expect(s.pointsReused + s.pointsTrained).toBe(s.points);
    expect(s.points).toBe(plan.cells * 3);
    expect(await resultKeys(prefix)).toHaveLength(plan.cells);
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

  test('a task that keeps crashing: recorded after its attempts, the report lists it, exit 1; a rerun completes it', async () => {
    const body = { n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 2, epochs: 5, valSize: 50 };
    const spec = join(dir, 'crash.json');
    writeFileSync(spec, JSON.stringify(body));
    const [cell] = planCells(canonicalize(specSchema.parse(body)));
    const victim = taskFor(cell.cell, body.lambdas).id;
    const store = join(dir, 'crash-store');
    const args = ['run', '--spec', spec, '--backend', 'lambda', '--function', 'f', '--store', store, '--max-attempts', '2', '--target-seconds', '1'];
    lambda.faults = { crashOnTask: victim };
    const failing = await runCli([...args, '--json'], { env });
    lambda.faults = {};
    expect(failing.code).toBe(1);
    const summary = JSON.parse(failing.stdout) as { failed: { taskId: string; attempts: number }[]; reportDir: string; cellsDone: number };
    expect(summary.failed.map((f) => [f.taskId, f.attempts])).toEqual([[victim, 2]]);
    expect(summary.cellsDone).toBe(3);
    expect(readFileSync(join(summary.reportDir, 'report.html'), 'utf8')).toMatch(new RegExp(`Failed tasks.*${victim}`, 's'));
    const rerun = await runCli([...args, '--json'], { env });
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ pointsTrained: 2, failed: [] });
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
