/**
 * Starts what the cloud tests need, once for the whole run: an S3-compatible server (s3rver) on a
 * free loopback port with an empty bucket, behind a proxy that gives it S3's conditional writes
 * (If-None-Match: *). No AWS account, no Docker.
 */
import type { TestProject } from 'vitest/node';
import { S3ConditionalProxy } from './helpers/s3-conditional-proxy.js';
import { startS3rver } from './helpers/s3rver.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The S3 endpoint tests use: s3rver behind a proxy that honours conditional writes. */
    s3Endpoint: string;
    /** s3rver itself, for tests that put their own fault-injecting proxy in front of it. */
    s3rverEndpoint: string;
  }
}

export const TEST_BUCKET = 'lambdastar-test';

export default async function setup(project: TestProject) {
  const { endpoint: upstream, stop } = await startS3rver(TEST_BUCKET);
  const proxy = new S3ConditionalProxy(upstream);
  project.provide('s3Endpoint', await proxy.start());
  project.provide('s3rverEndpoint', upstream);
  return async () => {
    await proxy.stop();
    await stop();
  };
}
