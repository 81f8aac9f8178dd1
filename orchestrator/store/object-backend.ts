/** What a result store needs from a place that holds named objects (a folder, a bucket, memory). */
import type { ObjectIO } from '../../functions/results.js';

export interface ObjectBackend extends ObjectIO {
  /** Writes or replaces an object (manifests and failure records only; results use createExclusive). */
  put(key: string, body: string): Promise<void>;
  /** Names (not keys) of the objects directly inside folder `dir`. */
  listNames(dir: string): AsyncIterable<string>;
  /** Names of the sub-folders directly inside folder `dir`. */
  listFolders(dir: string): Promise<string[]>;
  /** Makes sure objects can be written (a folder: it exists and takes a file); throws what failed. */
  checkWritable?(): Promise<void>;
}
