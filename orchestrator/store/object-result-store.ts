/**
 * `ResultStore` over any `ObjectBackend`: the layout (functions/keys.ts), the write-once rule and
 * the parsing live here once; each backend only moves bytes.
 */
import { manifestKey, resultKey, resultsPrefix, sweepPrefix } from '../../functions/keys.js';
import { createOrRead, parseResult, writeOnce } from '../../functions/results.js';
import type { TaskResult } from '../../functions/trainer/task.js';
import { checkSameManifest, parseFailures, parseManifest, serializeFailures, serializeManifest } from './manifest-io.js';
import type { ObjectBackend } from './object-backend.js';
import type { FailureRecord, Manifest, ResultStore } from './result-store.js';
import { MissingResultError } from './result-store.js';

const RESULT_NAME = /^([0-9a-f]{16})\.json$/;

export class ObjectResultStore implements ResultStore {
  constructor(
    private readonly backend: ObjectBackend,
    /** Key prefix inside the backend ('' for the backend's root). */
    private readonly prefix: string,
    readonly location: string,
    private readonly remote?: { bucket: string },
  ) {}

  /** How a key is shown in messages. */
  describe(key: string): string {
    return `${this.location.replace(/\/+$/, '')}/${this.prefix ? key.slice(this.prefix.length + 1) : key}`;
  }

  async putManifest(manifest: Manifest): Promise<void> {
    const key = manifestKey(this.prefix, manifest.sweepId);
    const existing = await createOrRead(this.backend, key, serializeManifest(manifest));
    if (existing !== undefined) checkSameManifest(parseManifest(existing, this.describe(key)), manifest, this.describe(key));
  }

  async getManifest(sweepId: string): Promise<Manifest | undefined> {
    const key = manifestKey(this.prefix, sweepId);
    const text = await this.backend.read(key);
    return text === undefined ? undefined : parseManifest(text, this.describe(key));
  }

  async listSweeps(): Promise<string[]> {
    const folders = await this.backend.listFolders(this.prefix);
    const out: string[] = [];
    for (const f of folders) if ((await this.backend.read(manifestKey(this.prefix, f))) !== undefined) out.push(f);
    return out.sort();
  }

  async listResultIds(sweepId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const name of this.backend.listNames(resultsPrefix(this.prefix, sweepId))) {
      const m = RESULT_NAME.exec(name);
      if (m) ids.add(m[1]);
    }
    return ids;
  }

  async getResult(sweepId: string, taskId: string): Promise<TaskResult> {
    const key = resultKey(resultsPrefix(this.prefix, sweepId), taskId);
    const text = await this.backend.read(key);
    if (text === undefined) throw new MissingResultError(this.describe(key));
    const result = parseResult(text, this.describe(key));
    if (result.taskId !== taskId) throw new Error(`${this.describe(key)}: holds the result of task ${result.taskId}; delete it`);
    return result;
  }

  putResult(sweepId: string, result: TaskResult): Promise<'written' | 'identical'> {
    const key = resultKey(resultsPrefix(this.prefix, sweepId), result.taskId);
    return writeOnce(this.backend, key, result, this.describe(key));
  }

  async putFailures(sweepId: string, failures: FailureRecord[]): Promise<void> {
    await this.backend.put(`${sweepPrefix(this.prefix, sweepId)}/failures.json`, serializeFailures(failures));
  }

  async getFailures(sweepId: string): Promise<FailureRecord[]> {
    const key = `${sweepPrefix(this.prefix, sweepId)}/failures.json`;
    const text = await this.backend.read(key);
    return text === undefined ? [] : parseFailures(text, this.describe(key));
  }

  remoteTarget(sweepId: string): { bucket: string; prefix: string } | undefined {
    if (!this.remote) return undefined;
    return { bucket: this.remote.bucket, prefix: resultsPrefix(this.prefix, sweepId) };
  }
}
