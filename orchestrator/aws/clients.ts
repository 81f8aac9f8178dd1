/**
 * SDK clients as the CLI builds them: the standard credential chain and region, the standard
 * endpoint variables (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL), path-style
 * S3 addressing whenever a custom S3 endpoint is set, and a socket pool as large as the concurrency.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { s3CompatibleOptions } from '../../functions/s3-object-io.js';
import { EnvironmentError } from '../errors.js';

export interface ClientOptions {
  region?: string;
  /** Sockets to keep: at least the number of requests in flight at once (the SDK default of 50 caps it). */
  maxSockets?: number;
  /** Per-request socket timeout in ms (0: none). */
  requestTimeoutMs?: number;
  /** Maximum attempts, including the first, for throttling and 5xx. */
  maxAttempts?: number;
}

function handler(opts: ClientOptions): NodeHttpHandler {
  const maxSockets = opts.maxSockets ?? 64;
  return new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    requestTimeout: opts.requestTimeoutMs ?? 0,
    connectionTimeout: 10_000,
  });
}

function customEndpoint(service: 'S3' | 'LAMBDA'): string | undefined {
  return process.env[`AWS_ENDPOINT_URL_${service}`] ?? process.env.AWS_ENDPOINT_URL;
}

function region(opts: ClientOptions): string | undefined {
  return opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
}

/** Builds a client; a region missing from every source is said as the environment's failure, with the fix. */
function build<T>(make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (/Region is missing/i.test((err as Error).message)) {
      throw new EnvironmentError('--region: no AWS region set; pass --region or set AWS_REGION', { cause: err });
    }
    throw err;
  }
}

export function makeS3Client(opts: ClientOptions = {}): S3Client {
  return build(() => new S3Client({
    region: region(opts),
    ...s3CompatibleOptions(customEndpoint('S3')),
    requestHandler: handler(opts),
    maxAttempts: opts.maxAttempts ?? 5,
    retryMode: 'adaptive',
  }));
}

export function makeLambdaClient(opts: ClientOptions = {}): LambdaClient {
  const endpoint = customEndpoint('LAMBDA');
  return build(() => new LambdaClient({
    region: region(opts),
    ...(endpoint ? { endpoint } : {}),
    requestHandler: handler(opts),
    maxAttempts: opts.maxAttempts ?? 8,
    // Adaptive retries slow the client down under sustained 429s instead of giving up.
    retryMode: 'adaptive',
  }));
}
