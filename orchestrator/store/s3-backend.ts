/**
 * Objects in an S3 bucket, through an injected client. Result writes use `If-None-Match: *` (the
 * write-once rule still compares digests for servers that ignore it); listings are paginated.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3ErrorCode, s3ObjectIO } from '../../functions/s3-object-io.js';
import type { ObjectIO } from '../../functions/results.js';
import { awsEnvironmentProblem } from '../aws/aws-errors.js';
import { EnvironmentError } from '../errors.js';
import type { ObjectBackend } from './object-backend.js';

/** A bucket that does not exist (bad input) or that these credentials may not use (environment). */
export class BucketError extends Error {
  constructor(readonly code: 'MISSING_BUCKET' | 'ACCESS_DENIED', message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

export class S3Backend implements ObjectBackend {
  private readonly io: ObjectIO;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** Keys per listing page (S3's maximum and default is 1000). */
    private readonly pageSize = 1000,
  ) {
    this.io = s3ObjectIO(client, bucket);
  }

  private translate(err: unknown): unknown {
    const { name, status } = s3ErrorCode(err);
    if (name === 'NoSuchBucket') {
      return new BucketError('MISSING_BUCKET', `--store: bucket "${this.bucket}" does not exist; create it (cdk deploy) or fix the name`, { cause: err });
    }
    if (name === 'AccessDenied' || status === 403) {
      return new BucketError('ACCESS_DENIED', `--store: access to bucket "${this.bucket}" denied; check the credentials and the IAM policy in the README`, { cause: err });
    }
    const problem = awsEnvironmentProblem(err, `S3 bucket "${this.bucket}"`);
    if (problem) return new EnvironmentError(`--store: ${problem}`, { cause: err });
    return err;
  }

  read(key: string): Promise<string | undefined> {
    return this.io.read(key).catch((err: unknown) => Promise.reject(this.translate(err)));
  }

  createExclusive(key: string, body: string): Promise<boolean> {
    return this.io.createExclusive(key, body).catch((err: unknown) => Promise.reject(this.translate(err)));
  }

  async put(key: string, body: string): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }));
    } catch (err) {
      throw this.translate(err);
    }
  }

  async *listNames(dir: string): AsyncIterable<string> {
    const prefix = dir ? `${dir}/` : '';
    for await (const page of this.pages(prefix)) {
      for (const o of page.Contents ?? []) if (o.Key) yield o.Key.slice(prefix.length);
    }
  }

  async listFolders(dir: string): Promise<string[]> {
    const prefix = dir ? `${dir}/` : '';
    const out: string[] = [];
    for await (const page of this.pages(prefix)) {
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
    }
    return out;
  }

  private async *pages(prefix: string) {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token, MaxKeys: this.pageSize }),
        );
      } catch (err) {
        throw this.translate(err);
      }
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
