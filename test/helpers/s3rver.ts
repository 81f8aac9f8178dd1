/** s3rver, the S3-compatible server the tests and benchmarks run against, on a free loopback port. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** Starts s3rver with one empty bucket; `stop` closes it and removes its files. */
export async function startS3rver(bucket: string): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  shimDesForS3rver();
  const { default: S3rver } = await import('s3rver');
  const directory = mkdtempSync(join(tmpdir(), 'lambdastar-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
