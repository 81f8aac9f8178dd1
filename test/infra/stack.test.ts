import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LambdastarStackProps } from '../../infra/lib/lambdastar-stack.js';
import { LambdastarStack } from '../../infra/lib/lambdastar-stack.js';

function synth(props: Partial<LambdastarStackProps> = {}) {
  const app = new App();
  const stack = new LambdastarStack(app, 'Lambdastar', { projectRoot: resolve('.'), ...props });
  return { app, stack, template: Template.fromStack(stack) };
}

describe('CDK stack', () => {
  const { template } = synth();

  test('the bucket blocks all public access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  test('the bucket is encrypted', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
  });

  test('the bucket refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('the bucket outlives the stack', () => {
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('the trainer runs on arm64', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Architectures: ['arm64'] });
  });

  test('the trainer runs on a current Node.js runtime, the one stated in functions/lambda-runtime.json', () => {
    const { nodeMajor } = JSON.parse(readFileSync('functions/lambda-runtime.json', 'utf8')) as { nodeMajor: number };
    expect(nodeMajor).toBeGreaterThanOrEqual(22);
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: `nodejs${nodeMajor}.x` });
  });

  test('the deployed code is the bundle the tests run (dist/trainer), byte for byte', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'lambdastar-cdk-'));
    const app = new App({ outdir });
    new LambdastarStack(app, 'Lambdastar', { projectRoot: resolve('.') });
    const assembly = app.synth();
    const manifest = JSON.parse(readFileSync(join(assembly.directory, 'Lambdastar.assets.json'), 'utf8')) as { files: Record<string, { source: { path: string } }> };
    const code = Object.values(manifest.files).map((f) => join(assembly.directory, f.source.path)).filter((dir) => existsSync(join(dir, 'index.mjs')));
    expect(code).toHaveLength(1);
    expect(readdirSync(code[0]).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    expect(readFileSync(join(code[0], 'index.mjs'))).toEqual(readFileSync('dist/trainer/index.mjs'));
  });

  test('the function is told its one store: the bucket and the prefix', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LAMBDASTAR_BUCKET: { Ref: Match.stringLikeRegexp('^Results') }, LAMBDASTAR_PREFIX: 'lambdastar' }) },
    });
    synth({ storePrefix: 'lab' }).template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LAMBDASTAR_PREFIX: 'lab' }) },
    });
  });

  test('memory defaults to 1769 MB (one vCPU) and the timeout to 900 s', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1769, Timeout: 900, Handler: 'index.handler' });
  });

  test('memory and timeout are configurable', () => {
    synth({ memoryMb: 3538, timeoutSeconds: 300 }).template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 3538, Timeout: 300 });
  });

  test('the function may read and create only the result objects of the store in its bucket, and delete nothing', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[] } } })
        .Properties.PolicyDocument.Statement,
    );
    const s3 = statements.filter((st) => [st.Action].flat().some((a) => a.startsWith('s3:')));
    expect(s3.map((st) => [st.Action].flat().sort())).toEqual([['s3:GetObject', 's3:PutObject'], ['s3:ListBucket']]);
    expect(JSON.stringify(s3[0].Resource)).toMatch(/"\/lambdastar\/cells\/\*"\]\]\}$/);
    expect(s3[1].Condition).toEqual({ StringLike: { 's3:prefix': ['lambdastar/cells/*'] } });
  });

  test('the prefix is configurable', () => {
    const { template: t } = synth({ storePrefix: 'lab' });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Condition: { StringLike: { 's3:prefix': ['lab/cells/*'] } } })]) },
    });
  });

  test.each([
    [{ storePrefix: 'lab/' }, /^storePrefix: "lab\/" must be a key prefix like a\/b/],
    [{ storePrefix: 'a/../b' }, /^storePrefix: "a\/..\/b" must be a key prefix/],
    [{ storePrefix: '' }, /^storePrefix: "" must not be empty/],
    [{ timeoutSeconds: 2 }, /^timeoutSeconds: must be a whole number in 10 … 900/],
    [{ timeoutSeconds: 901 }, /^timeoutSeconds: must be a whole number in 10 … 900/],
    [{ memoryMb: 64 }, /^memoryMb: must be a whole number of MB in 128 … 10240/],
  ])('settings the function could not work with are refused at synth: %o', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('stack outputs: function name, bucket name, region', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['FunctionName', 'BucketName', 'Region', 'StorePrefix']));
  });

  test('cdk-nag AwsSolutions: every finding fixed or acknowledged in code with a reason', () => {
    const app = new App();
    new LambdastarStack(app, 'Lambdastar', { projectRoot: resolve('.') });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  test('cdk-nag catches an unacknowledged finding (the check can fail)', () => {
    const app = new App();
    const stack = new LambdastarStack(app, 'Lambdastar', { projectRoot: resolve('.') });
    // A bucket without access logs and without an acknowledgement: nag must object.
    new Bucket(stack, 'Careless', {});
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
