/**
 * `ResultStore` over any `ObjectBackend`: the layout (functions/keys.ts), the write-once rule and
 * the checks on read live here once; each backend only moves bytes.
 */
import pLimit from 'p-limit';
import {
  cellFolder, failuresKey, isLayout1SweepFolder, layoutKey, manifestKey, resultKey, STORE_LAYOUT, SWEEP_ID,
  sweepsFolder, taskIdOfResultName,
} from '../../functions/keys.js';
import type { WaitOptions } from '../../functions/results.js';
import { CorruptResultError, createOrRead, parseResult, writeOnce, WriteInProgressError } from '../../functions/results.js';
import { cannotWrite, failureClass } from '../errors.js';
import { cellId } from '../../functions/trainer/ids.js';
import type { TaskResult } from '../../functions/trainer/task.js';
import { buildManifest, parseFailures, parseManifest, serializeFailures, serializeManifest } from './manifest-io.js';
import type { MigrationSummary } from './migrate-layout1.js';
import { migrateLayout1 } from './migrate-layout1.js';
import { NotAFileError } from './folder-backend.js';
import type { ObjectBackend } from './object-backend.js';
import type { FailureRecord, Manifest, ResultStore, StoredEntry } from './result-store.js';
import { StoreLayoutError, StoreWriteError } from './result-store.js';
import { safeJson } from '../safe-json.js';

/** Cells read at once, and object reads in flight at once. */
const CELL_WINDOW = 64;
const READS_IN_FLIGHT = 64;

export class ObjectResultStore implements ResultStore {
  private layoutChecked?: Promise<void>;

  constructor(
    private readonly backend: ObjectBackend,
    /** Key prefix inside the backend ('' for the backend's root). */
    private readonly prefix: string,
    readonly location: string,
    private readonly remote?: { bucket: string },
    private readonly wait: WaitOptions = {},
  ) {}

  /** How a key is shown in messages. */
  describe(key: string): string {
    return `${this.location.replace(/\/+$/, '')}/${this.prefix ? key.slice(this.prefix.length + 1) : key}`;
  }

  /** Refuses a store written in another layout (once per store object). */
  private checkLayout(): Promise<void> {
    this.layoutChecked ??= (async () => {
      const marker = await this.backend.read(layoutKey(this.prefix));
      if (marker !== undefined) {
        const layout = (safeJson(marker) as { layout?: unknown } | undefined)?.layout;
        if (layout === STORE_LAYOUT) return;
        throw new StoreLayoutError(
          `--store: ${this.location} was written in store layout ${String(layout)}, which this lambdastar (layout ${STORE_LAYOUT}) cannot read; ` +
            'use the lambdastar version that wrote it, or a fresh --store',
        );
      }
      const legacy = (await this.backend.listFolders(this.prefix)).filter(isLayout1SweepFolder);
      if (legacy.length > 0) {
        throw new StoreLayoutError(
          `--store: ${this.location} holds ${legacy.length} sweep(s) in the layout of lambdastar 0.1 (e.g. ${legacy[0]}/results/); ` +
            `run \`lambdastar migrate --store ${this.location}\` once to make their results readable`,
        );
      }
    })();
    return this.layoutChecked;
  }

  private async markLayout(): Promise<void> {
    await this.checkLayout();
    await this.writeMarker();
  }

  private writeMarker(): Promise<string | undefined> {
    return createOrRead(this.backend, layoutKey(this.prefix), `${JSON.stringify({ layout: STORE_LAYOUT })}\n`, this.wait);
  }

  async migrateLayout1(): Promise<MigrationSummary> {
    if (!(await this.backend.listFolders(this.prefix)).some(isLayout1SweepFolder)) return { sweeps: [], results: 0, alreadyThere: 0, skipped: [] };
    // A store marked with another layout is refused as usual; one with layout-1 folders is marked
    // first, so that everything after reads it as layout 2 (the old folders are then ignored).
    const marker = await this.backend.read(layoutKey(this.prefix));
    if (marker === undefined) await this.writing(layoutKey(this.prefix), () => this.writeMarker());
    this.layoutChecked = undefined;
    await this.checkLayout();
    return migrateLayout1(this.backend, this.prefix, {
      putResult: (r) => this.putResult(r),
      putManifest: async (spec) => {
        const m = buildManifest(spec);
        await this.putManifest(m);
        return m.sweepId;
      },
      describe: (key) => this.describe(key),
    });
  }

  async checkWritable(): Promise<void> {
    try {
      await this.backend.checkWritable?.();
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw cannotWrite(`--store: cannot write to ${this.location} (${e.code ?? e.message}); point --store at a folder you can write to`, err);
    }
  }

  async putManifest(manifest: Manifest): Promise<void> {
    await this.writing(layoutKey(this.prefix), () => this.markLayout());
    const key = manifestKey(this.prefix, manifest.sweepId);
    const existing = await this.writing(key, () => createOrRead(this.backend, key, serializeManifest(manifest), this.wait, this.describe(key)));
    // Same id ⇒ same points: a stored manifest only has to be valid (its labels may differ).
    if (existing !== undefined) parseManifest(existing, this.describe(key), manifest.sweepId);
  }

  async getManifest(sweepId: string): Promise<Manifest | undefined> {
    await this.checkLayout();
    const key = manifestKey(this.prefix, sweepId);
    const text = await this.backend.read(key);
    return text === undefined ? undefined : parseManifest(text, this.describe(key), sweepId);
  }

  async listSweeps(): Promise<string[]> {
    await this.checkLayout();
    const folders = (await this.backend.listFolders(sweepsFolder(this.prefix))).filter((f) => SWEEP_ID.test(f));
    const out: string[] = [];
    for (const f of folders) if ((await this.backend.read(manifestKey(this.prefix, f))) !== undefined) out.push(f);
    return out.sort();
  }

  /**
   * One listing per cell and one read per result object, in windows of cells read in parallel:
   * the requests grow with the sweep's cells and stored results, not with the rest of the store.
   */
  async *readCells(cellIds: Iterable<string>): AsyncIterable<StoredEntry> {
    await this.checkLayout();
    const limit = pLimit(READS_IN_FLIGHT);
    let window: string[] = [];
    const flush = async () => {
      const perCell = await Promise.all(window.map((id) => this.readCell(id, limit)));
      window = [];
      return perCell.flat();
    };
    for (const id of cellIds) {
      window.push(id);
      if (window.length >= CELL_WINDOW) yield* await flush();
    }
    yield* await flush();
  }

  private async readCell(id: string, limit: ReturnType<typeof pLimit>): Promise<StoredEntry[]> {
    const names: string[] = [];
    const folder = cellFolder(this.prefix, id);
    try {
      await limit(async () => {
        for await (const name of this.backend.listNames(folder)) names.push(name);
      });
    } catch (err) {
      if (!(err instanceof NotAFileError)) throw err;
      return [this.corrupt(id, folder, err.detail)];
    }
    const taskIds = names.map(taskIdOfResultName).filter((t): t is string => t !== undefined).sort();
    return Promise.all(
      taskIds.map((taskId) =>
        limit(async (): Promise<StoredEntry> => {
          const key = resultKey(this.prefix, id, taskId);
          const where = this.describe(key);
          let text: string;
          try {
            text = (await this.backend.read(key)) ?? '';
          } catch (err) {
            if (!(err instanceof NotAFileError)) throw err;
            return this.corrupt(id, key, err.detail);
          }
          try {
            return { cellId: id, where, result: parseResult(text, where, { cellId: id, taskId }) };
          } catch (err) {
            if (err instanceof CorruptResultError) return { cellId: id, where, corrupt: err };
            throw err;
          }
        }),
      ),
    );
  }

  private corrupt(cellId: string, key: string, detail: string): StoredEntry {
    const where = this.describe(key);
    return { cellId, where, corrupt: new CorruptResultError(where, detail) };
  }

  putResult(result: TaskResult, cell = cellId(result.task)): Promise<'written' | 'identical'> {
    const key = resultKey(this.prefix, cell, result.taskId);
    return this.writing(key, () => writeOnce(this.backend, key, result, this.describe(key), this.wait));
  }

  async putFailures(sweepId: string, failures: FailureRecord[]): Promise<void> {
    const key = failuresKey(this.prefix, sweepId);
    await this.writing(key, () => this.backend.put(key, serializeFailures(failures)));
  }

  /** Runs a write, naming the store and the object when the environment refuses it. */
  private async writing<T>(key: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (failureClass(err) !== 'environment' || err instanceof WriteInProgressError) throw err;
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'ENOSPC' || e.code === 'EDQUOT' ? 'free some space' : 'check the store';
      const first = e.message.split('\n')[0];
      // Node's file errors already begin with their code ("ENOSPC: no space left on device, write").
      const detail = first.startsWith(`${e.code ?? e.name}:`) ? first : `${e.code ?? e.name}: ${first}`;
      throw new StoreWriteError(`--store ${this.location}: could not write ${this.describe(key)} (${detail}); ${why} and run again — everything stored is intact`, { cause: err });
    }
  }

  async getFailures(sweepId: string): Promise<FailureRecord[]> {
    const key = failuresKey(this.prefix, sweepId);
    const text = await this.backend.read(key);
    return text === undefined ? [] : parseFailures(text, this.describe(key));
  }

  remoteTarget(): { bucket: string; prefix: string } | undefined {
    return this.remote ? { bucket: this.remote.bucket, prefix: this.prefix } : undefined;
  }
}
