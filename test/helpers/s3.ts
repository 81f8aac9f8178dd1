/** The test S3 server (started by test/global-setup.ts) through the real SDK client. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';

export const TEST_BUCKET = 'lambdastar-test';

export function s3Endpoint(): string {
  return inject('s3Endpoint');
}

/** s3rver without the conditional-write proxy. */
export function s3rverEndpoint(): string {
  return inject('s3rverEndpoint');
}

export function testS3Client(endpoint = s3Endpoint()): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A key prefix no other test uses. */
export function freshPrefix(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

/** The environment a CLI child needs to reach the test S3 server (and, optionally, a Lambda endpoint). */
export function cloudEnv(lambdaEndpoint?: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_S3: s3Endpoint(),
    ...(lambdaEndpoint ? { AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint } : {}),
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
