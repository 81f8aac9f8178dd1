/**
 * An `ObjectBackend` wrapper for the store contract: makes the store's next create of a key lose,
 * to another writer whose object lands first ('exists', through the real backend) or to a write
 * still in flight ('in-progress': the create is refused and nothing is there yet).
 */
import type { ObjectBackend } from '../../orchestrator/store/object-backend.js';

export type Race = { mode: 'exists'; body: string } | { mode: 'in-progress' };

export class RacingBackend implements ObjectBackend {
  private readonly races = new Map<string, Race>();

  constructor(readonly inner: ObjectBackend) {}

  race(key: string, race: Race): void {
    this.races.set(key, race);
  }

  read(key: string): Promise<string | undefined> {
    return this.inner.read(key);
  }

  async createExclusive(key: string, body: string): Promise<boolean> {
    const race = this.races.get(key);
    this.races.delete(key);
    if (race?.mode === 'in-progress') return false;
    if (race?.mode === 'exists') await this.inner.put(key, race.body);
    return this.inner.createExclusive(key, body);
  }

  put(key: string, body: string): Promise<void> {
    return this.inner.put(key, body);
  }

  listNames(dir: string): AsyncIterable<string> {
    return this.inner.listNames(dir);
  }

  listFolders(dir: string): Promise<string[]> {
    return this.inner.listFolders(dir);
  }
}
