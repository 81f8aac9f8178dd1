/** Objects in a Map: for benchmarks of the orchestration itself and for tests. */
import type { ObjectBackend } from './object-backend.js';

export class MemoryBackend implements ObjectBackend {
  readonly objects = new Map<string, string>();

  async read(key: string): Promise<string | undefined> {
    return this.objects.get(key);
  }

  async createExclusive(key: string, body: string): Promise<boolean> {
    if (this.objects.has(key)) return false;
    this.objects.set(key, body);
    return true;
  }

  async put(key: string, body: string): Promise<void> {
    this.objects.set(key, body);
  }

  async *listNames(dir: string): AsyncIterable<string> {
    const prefix = dir ? `${dir}/` : '';
    for (const key of this.objects.keys()) {
      if (key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) yield key.slice(prefix.length);
    }
  }

  async listFolders(dir: string): Promise<string[]> {
    const prefix = dir ? `${dir}/` : '';
    const out = new Set<string>();
    for (const key of this.objects.keys()) {
      const rest = key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
      if (rest?.includes('/')) out.add(rest.slice(0, rest.indexOf('/')));
    }
    return [...out];
  }
}
