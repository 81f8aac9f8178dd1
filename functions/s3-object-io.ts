/** `ObjectIO` over one S3 bucket, with S3's error codes translated to plain outcomes. */
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ObjectIO } from './results.js';

interface S3ErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

export function s3ErrorCode(err: unknown): { name: string; status: number | undefined } {
  const e = (err ?? {}) as S3ErrorShape;
  return { name: e.name ?? e.Code ?? 'Error', status: e.$metadata?.httpStatusCode };
}

/**
 * S3 client settings that work against AWS and S3-compatible servers alike: path-style keys whenever
 * a custom endpoint is set (the SDK itself honours AWS_ENDPOINT_URL(_S3)), checksums only where S3
 * requires them.
 */
export function s3CompatibleOptions(endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL) {
  return {
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  } as const;
}

export function s3ObjectIO(client: S3Client, bucket: string): ObjectIO {
  return {
    async read(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await out.Body?.transformToString('utf8')) ?? '';
      } catch (err) {
        const { name, status } = s3ErrorCode(err);
        if (name === 'NoSuchKey' || status === 404 && name !== 'NoSuchBucket') return undefined;
        throw err;
      }
    },
    async createExclusive(key, body) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: 'application/json',
            IfNoneMatch: '*',
          }),
        );
        return true;
      } catch (err) {
        const { status } = s3ErrorCode(err);
        // 412: it exists; 409: a concurrent conditional write to the same key is in progress.
        if (status === 412 || status === 409) return false;
        throw err;
      }
    },
  };
}
