/**
 * A loopback proxy in front of s3rver that adds what s3rver lacks: conditional writes. A PUT with
 * `If-None-Match: *` on a key that exists is answered 412 PreconditionFailed, as S3 does; writes to
 * one key are serialized so the check and the write cannot interleave. Faults can be scheduled per
 * key: the next conditional PUT loses to another writer ('exists': that writer's object lands first,
 * then 412) or meets a write still in flight ('in-progress': 409 ConditionalRequestConflict).
 * Requests pass through byte for byte, so SigV4 signatures still verify.
 */
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** 'exists': `write` (another writer's PUT, made directly upstream) lands first; 'in-progress': 409. */
export type ConditionalFault = { mode: 'exists'; write: () => Promise<void> } | { mode: 'in-progress' };

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class S3ConditionalProxy {
  private server?: Server;
  private readonly faults = new Map<string, ConditionalFault>();
  private readonly locks = new Map<string, Promise<void>>();
  /** Conditional PUTs answered 412 or 409. */
  refused = 0;

  private readonly client: S3Client;

  constructor(private readonly upstream: string) {
    this.client = new S3Client({
      endpoint: upstream,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
  }

  /** The next conditional PUT of `path` ("/bucket/key") meets `fault`. */
  schedule(path: string, fault: ConditionalFault): void {
    this.faults.set(path, fault);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.client.destroy();
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = decodeURIComponent((req.url ?? '').split('?')[0]);
    if (req.method !== 'PUT' || req.headers['if-none-match'] !== '*') {
      this.reply(res, await this.forward(req.method ?? 'GET', req.url ?? '/', req.headers, body));
      return;
    }
    // One conditional write per key at a time: check-then-write is atomic here, as in S3.
    const previous = this.locks.get(path) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((r) => (release = r));
    this.locks.set(path, previous.then(() => mine));
    await previous;
    try {
      const fault = this.faults.get(path);
      this.faults.delete(path);
      if (fault?.mode === 'in-progress') {
        this.refused++;
        this.error(res, 409, 'ConditionalRequestConflict', 'A conflicting conditional operation is currently in progress against this resource.');
        return;
      }
      if (fault?.mode === 'exists') await fault.write();
      if (await this.exists(path)) {
        this.refused++;
        this.error(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
        return;
      }
      this.reply(res, await this.forward('PUT', req.url ?? '/', req.headers, body));
    } finally {
      release();
    }
  }

  /** A signed HEAD of our own (the client's signature covers its PUT, not a HEAD). */
  private async exists(path: string): Promise<boolean> {
    const [, bucket, ...key] = path.split('/');
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key.join('/') }));
      return true;
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw err;
    }
  }

  private forward(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Upstream> {
    const target = new URL(url, this.upstream);
    return new Promise((resolve, reject) => {
      const r = request(target, { method, headers }, (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => resolve({ status: up.statusCode ?? 500, headers: up.headers, body: Buffer.concat(chunks) }));
        up.on('error', reject);
      });
      r.on('error', reject);
      r.end(body);
    });
  }

  private reply(res: ServerResponse, up: Upstream): void {
    res.writeHead(up.status, up.headers);
    res.end(up.body);
  }

  private error(res: ServerResponse, status: number, code: string, message: string): void {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>proxy</RequestId></Error>`;
    res.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(xml)) });
    res.end(xml);
  }
}
