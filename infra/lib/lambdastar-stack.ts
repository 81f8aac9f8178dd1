/**
 * The cloud side of lambdastar: a results bucket and the trainer function, built from the same
 * source (functions/handler.ts) the local worker pool runs.
 */
import { join } from 'node:path';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { packageRoot } from '../../orchestrator/paths.js';

export interface LambdastarStackProps extends StackProps {
  /** Lambda memory; 1769 MB is exactly one vCPU. */
  memoryMb?: number;
  /** Per-invocation timeout; the orchestrator packs batches well below it. */
  timeoutSeconds?: number;
  /** The only key prefix the function may read and write. */
  sweepsPrefix?: string;
}

const DEFAULTS = { memoryMb: 1769, timeoutSeconds: 900, sweepsPrefix: 'sweeps' } as const;

export class LambdastarStack extends Stack {
  readonly bucket: Bucket;
  readonly trainer: NodejsFunction;

  constructor(scope: Construct, id: string, props: LambdastarStackProps = {}) {
    super(scope, id, props);
    const memoryMb = props.memoryMb ?? DEFAULTS.memoryMb;
    const timeoutSeconds = props.timeoutSeconds ?? DEFAULTS.timeoutSeconds;
    const prefix = props.sweepsPrefix ?? DEFAULTS.sweepsPrefix;

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
    this.trainer = new NodejsFunction(this, 'Trainer', {
      entry: join(packageRoot(), 'functions', 'handler.ts'),
      projectRoot: packageRoot(),
      depsLockFilePath: join(packageRoot(), 'package-lock.json'),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: memoryMb,
      timeout: Duration.seconds(timeoutSeconds),
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        sourceMap: true,
        // The Node.js runtime ships the AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
      },
    });
    // Least privilege: read and create result objects under the prefix, and list only that prefix
    // (without ListBucket, S3 answers a missing key with 403 instead of 404). No delete.
    this.trainer.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [this.bucket.arnForObjects(`${prefix}/*`)] }),
    );
    this.trainer.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}/*`] } },
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
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}/*]`,
        reason: `GetObject/PutObject on ${prefix}/* of this one bucket only: result keys hold sweep and task ids that do not exist at deploy time.`,
      });
    }

    new CfnOutput(this, 'FunctionName', { value: this.trainer.functionName });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'Region', { value: Aws.REGION });
    new CfnOutput(this, 'SweepsPrefix', { value: prefix });
  }
}
