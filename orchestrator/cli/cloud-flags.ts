/** The cloud options shared by plan, run, status, report and verify, and how they resolve (without loading the AWS SDK). */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Architecture } from '../cost/cost-model.js';
import { UsageError } from '../errors.js';
import { DEFAULT_STORE, positiveInt } from './options.js';

export interface CloudFlags {
  store?: string;
  function?: string;
  stackOutputs?: string;
  region?: string;
  memory: number;
  arch: Architecture;
}

export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--store <dir|s3://bucket/prefix>', `where results are kept (default ${DEFAULT_STORE}, or the stack's bucket with --stack-outputs)`)
    .option('--stack-outputs <file>', 'take the function and the S3 store from `cdk deploy --outputs-file` output')
    .option('--region <region>', 'AWS region (default: the standard chain, AWS_REGION)');
}

export function addLambdaOptions(cmd: Command): Command {
  return cmd
    .option('--function <name|arn>', 'the trainer Lambda function (--backend lambda)')
    .option('--memory <mb>', 'the function memory, 128 … 10240 MB (Lambda\'s range), for the cost estimate', positiveInt('--memory', 10240, 128), 1769)
    .addOption(new Option('--arch <arch>', 'the function architecture, for the cost estimate').choices(['arm64', 'x86_64']).default('arm64'));
}

interface StackOutputs {
  FunctionName?: string;
  BucketName?: string;
  Region?: string;
  StorePrefix?: string;
}

function readStackOutputs(file: string): StackOutputs {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--stack-outputs: cannot read ${file} as JSON (${(err as Error).message}); pass the file \`cdk deploy --outputs-file\` wrote`);
  }
  const stacks = Object.values((json ?? {}) as Record<string, StackOutputs>);
  const stack = stacks.find((s) => s && typeof s === 'object' && 'FunctionName' in s && 'BucketName' in s);
  if (!stack) throw new UsageError(`--stack-outputs: ${file} has no stack with FunctionName and BucketName outputs; deploy the lambdastar stack`);
  return stack;
}

/** `--store`, or the stack's bucket, or the default folder. */
export function storeLocation(flags: Pick<CloudFlags, 'store' | 'stackOutputs'>): string {
  if (flags.store !== undefined) return flags.store;
  if (flags.stackOutputs) {
    const o = readStackOutputs(flags.stackOutputs);
    return `s3://${o.BucketName}/${o.StorePrefix ?? 'lambdastar'}`;
  }
  return DEFAULT_STORE;
}

export function regionOf(flags: Pick<CloudFlags, 'region' | 'stackOutputs'>): string | undefined {
  return flags.region ?? (flags.stackOutputs ? readStackOutputs(flags.stackOutputs).Region : undefined);
}

export function functionName(flags: Pick<CloudFlags, 'function' | 'stackOutputs'>): string {
  const name = flags.function ?? (flags.stackOutputs ? readStackOutputs(flags.stackOutputs).FunctionName : undefined);
  if (!name) throw new UsageError('--function: --backend lambda needs the trainer function: --function NAME|ARN or --stack-outputs FILE');
  return name;
}
