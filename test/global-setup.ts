/**
 * Starts what the cloud tests need, once for the whole run: an S3-compatible server (s3rver) on a
 * free loopback port with an empty bucket, behind a proxy that gives it S3's conditional writes
 * (If-None-Match: *). No AWS account, no Docker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { S3ConditionalProxy } from './helpers/s3-conditional-proxy.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The S3 endpoint tests use: s3rver behind a proxy that honours conditional writes. */
    s3Endpoint: string;
    /** s3rver itself, for tests that put their own fault-injecting proxy in front of it. */
    s3rverEndpoint: string;
  }
}

export const TEST_BUCKET = 'lambdastar-test';

/**
 * s3rver encrypts list continuation tokens with DES, which OpenSSL 3 no longer offers; map it to
 * AES with padded key and IV. Test-only: it changes nothing but s3rver's opaque tokens.
 */
function shimDesForS3rver(): void {
  const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc(16 - b.length)]);
  const cipher = crypto.createCipheriv;
  const decipher = crypto.createDecipheriv;
  (crypto as { createCipheriv: unknown }).createCipheriv = (alg: string, key: Buffer, iv: Buffer, ...rest: unknown[]) =>
    alg === 'des' ? cipher('aes-128-cbc', pad(key), pad(iv)) : (cipher as (...a: unknown[]) => unknown)(alg, key, iv, ...rest);
  (crypto as { createDecipheriv: unknown }).createDecipheriv = (alg: string, key: Buffer, iv: Buffer, ...rest: unknown[]) =>
    alg === 'des' ? decipher('aes-128-cbc', pad(key), pad(iv)) : (decipher as (...a: unknown[]) => unknown)(alg, key, iv, ...rest);
}

export default async function setup(project: TestProject) {
  shimDesForS3rver();
  const { default: S3rver } = await import('s3rver');
  const directory = mkdtempSync(join(tmpdir(), 'lambdastar-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: TEST_BUCKET }] });
  const { port } = await server.run();
  const upstream = `http://127.0.0.1:${port}`;
  const proxy = new S3ConditionalProxy(upstream);
  project.provide('s3Endpoint', await proxy.start());
  project.provide('s3rverEndpoint', upstream);
  return async () => {
    await proxy.stop();
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  };
}
