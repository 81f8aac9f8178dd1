/**
 * The cloud side of lambdastar: a results bucket and the trainer function. The function deploys
 * the bundle `npm run build` writes (dist/trainer), the one the tests run, on the Node.js runtime
 * named in functions/lambda-runtime.json, which the build targets too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime, RuntimeFamily } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { prefixProblem } from '../../functions/keys.js';

export interface LambdastarStackProps extends StackProps {
  /** The lambdastar checkout, built: its dist/trainer is the function's code. */
  projectRoot: string;
  /** Lambda memory; 1769 MB is exactly one vCPU. */
  memoryMb?: number;
  /** Per-invocation timeout; the orchestrator packs batches well below it. */
  timeoutSeconds?: number;
  /** The store's key prefix; the function may read and create only its result objects (`<prefix>/cells/*`). */
  storePrefix?: string;
}

const DEFAULTS = { memoryMb: 1769, timeoutSeconds: 900, storePrefix: 'lambdastar' } as const;

/**
 * The stack's settings, checked at synth: Lambda's own ranges, a timeout long enough for the
 * handler's 2 s reserve and one task, and a prefix the handler and the IAM policy can both use.
 */
function checkProps(memoryMb: number, timeoutSeconds: number, prefix: string): void {
  if (!Number.isInteger(memoryMb) || memoryMb < 128 || memoryMb > 10240) {
    throw new Error(`memoryMb: must be a whole number of MB in 128 … 10240 (Lambda's range); got ${memoryMb}`);
  }
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 10 || timeoutSeconds > 900) {
    throw new Error(`timeoutSeconds: must be a whole number in 10 … 900 (the handler keeps 2 s back; Lambda allows 900); got ${timeoutSeconds}`);
  }
  const problem = prefix === '' ? 'must not be empty: the function\'s results go under <prefix>/cells' : prefixProblem(prefix);
  if (problem) throw new Error(`storePrefix: "${prefix}" ${problem}`);
}

export class LambdastarStack extends Stack {
  readonly bucket: Bucket;
  readonly trainer: LambdaFunction;

  constructor(scope: Construct, id: string, props: LambdastarStackProps) {
    super(scope, id, props);
    const memoryMb = props.memoryMb ?? DEFAULTS.memoryMb;
    const timeoutSeconds = props.timeoutSeconds ?? DEFAULTS.timeoutSeconds;
    const prefix = props.storePrefix ?? DEFAULTS.storePrefix;
    checkProps(memoryMb, timeoutSeconds, prefix);
    const results = `${prefix}/cells`;

    this.bucket = new Bucket(this, 'Results', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Results are the scientific record: keep them when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Results are written only by the trainer role and read by the researcher; access logs would cost more than the data and add nothing to its audit trail (CloudTrail covers API calls).',
    });

    const logGroup = new LogGroup(this, 'TrainerLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.trainer = new LambdaFunction(this, 'Trainer', {
      code: Code.fromAsset(trainerBundle(props.projectRoot)),
      handler: 'index.handler',
      runtime: lambdaRuntime(props.projectRoot),
      architecture: Architecture.ARM_64,
      memorySize: memoryMb,
      timeout: Duration.seconds(timeoutSeconds),
      logGroup,
      // The handler writes only to this store (it refuses events naming another), not IAM alone.
      environment: { NODE_OPTIONS: '--enable-source-maps', LAMBDASTAR_BUCKET: this.bucket.bucketName, LAMBDASTAR_PREFIX: prefix },
    });
    // Least privilege: read and create result objects (the cells of the store), and list only them
    // (without ListBucket, S3 answers a missing key with 403 instead of 404). No delete; manifests
    // and reports are the orchestrator's.
    this.trainer.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [this.bucket.arnForObjects(`${results}/*`)] }),
    );
    this.trainer.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${results}/*`] } },
      }),
    );
    const role = this.trainer.role;
    if (role) {
      // cdk-nag reports these per finding, so each acknowledgement names its finding.
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'AWSLambdaBasicExecutionRole only lets the function write its own logs; it is the least a Lambda function needs.',
      });
      const bucketId = this.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${results}/*]`,
        reason: `GetObject/PutObject on ${results}/* of this one bucket only: result keys hold cell and task ids that do not exist at deploy time.`,
      });
    }

    new CfnOutput(this, 'FunctionName', { value: this.trainer.functionName });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'Region', { value: Aws.REGION });
    new CfnOutput(this, 'StorePrefix', { value: prefix });
  }
}

/** The folder of the bundled trainer, which `npm run build` writes (cdk.json's app runs it first). */
function trainerBundle(projectRoot: string): string {
  const dir = join(projectRoot, 'dist', 'trainer');
  if (!existsSync(join(dir, 'index.mjs'))) throw new Error(`${dir}/index.mjs is missing: run \`npm run build\` first`);
  return dir;
}

/** The Node.js runtime the trainer is built for and deployed on, stated once in functions/lambda-runtime.json. */
export function lambdaRuntime(projectRoot: string): Runtime {
  const { nodeMajor } = JSON.parse(readFileSync(join(projectRoot, 'functions', 'lambda-runtime.json'), 'utf8')) as { nodeMajor: number };
  return new Runtime(`nodejs${nodeMajor}.x`, RuntimeFamily.NODEJS, { supportsInlineCode: true });
}
