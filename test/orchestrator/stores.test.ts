import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { MemoryBackend } from '../../orchestrator/store/memory-backend.js';
import { ObjectResultStore } from '../../orchestrator/store/object-result-store.js';
import { openStore } from '../../orchestrator/store/open-store.js';
import { storeContract } from '../helpers/store-contract.js';

storeContract('folder', async () => {
  const root = await mkdtemp(join(tmpdir(), 'lambdastar-store-'));
  return {
    store: openStore(root),
    corruptResult: (sweepId, taskId, body) => writeFile(join(root, sweepId, 'results', `${taskId}.json`), body),
  };
});

storeContract('memory', async () => {
  const backend = new MemoryBackend();
  return {
    store: new ObjectResultStore(backend, 'sweeps', 'memory:'),
    corruptResult: async (sweepId, taskId, body) => void backend.objects.set(`sweeps/${sweepId}/results/${taskId}.json`, body),
  };
});

test('a folder store path that is a file is refused with a one-line fix', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'lambdastar-file-')), 'runs');
  await writeFile(file, 'x');
  expect(() => openStore(file)).toThrow(/--store: .* is a file, not a folder; point --store at a folder/);
});
