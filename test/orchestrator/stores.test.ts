import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { FolderBackend } from '../../orchestrator/store/folder-backend.js';
import { MemoryBackend } from '../../orchestrator/store/memory-backend.js';
import { ObjectResultStore } from '../../orchestrator/store/object-result-store.js';
import { openStore } from '../../orchestrator/store/open-store.js';
import { RacingBackend } from '../helpers/racing-backend.js';
import { storeContract } from '../helpers/store-contract.js';

storeContract('folder', async (wait) => {
  const root = await mkdtemp(join(tmpdir(), 'lambdastar-store-'));
  const backend = new RacingBackend(new FolderBackend(root));
  return {
    store: new ObjectResultStore(backend, '', root, undefined, wait),
    raw: {
      write: async (key, body) => {
        mkdirSync(dirname(join(root, key)), { recursive: true });
        writeFileSync(join(root, key), body);
      },
      read: (key) => readFile(join(root, key), 'utf8').catch(() => undefined),
    },
    race: (key, race) => backend.race(key, race),
  };
});

storeContract('memory', async (wait) => {
  const memory = new MemoryBackend();
  const backend = new RacingBackend(memory);
  return {
    store: new ObjectResultStore(backend, 'lab', 'memory:', undefined, wait),
    raw: {
      write: async (key, body) => void memory.objects.set(`lab/${key}`, body),
      read: async (key) => memory.objects.get(`lab/${key}`),
    },
    race: (key, race) => backend.race(`lab/${key}`, race),
  };
});

test('a folder store path that is a file is refused with a one-line fix', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'lambdastar-file-')), 'runs');
  await writeFile(file, 'x');
  expect(() => openStore(file)).toThrow(/--store: .* is a file, not a folder; point --store at a folder/);
});

test('in a folder store, a folder where a result should be, and a file where a cell folder should be, are read as corrupt', async () => {
  const root = await mkdtemp(join(tmpdir(), 'lambdastar-odd-'));
  const store = openStore(root);
  const { tinyResult } = await import('../helpers/fixtures.js');
  const { cellId } = await import('../../functions/trainer/ids.js');
  const r = tinyResult(0);
  mkdirSync(join(root, 'cells', cellId(r.task), `${r.taskId}.json`), { recursive: true });
  writeFileSync(join(root, 'cells', 'feedfacefeedface'), 'not a folder');
  const entries = [];
  for await (const e of store.readCells([cellId(r.task), 'feedfacefeedface'])) entries.push(e);
  expect(entries.map((e) => e.corrupt?.message)).toEqual([
    expect.stringMatching(new RegExp(`cells/${cellId(r.task)}/${r.taskId}\\.json: corrupt result \\(a folder where a result should be\\)`)),
    expect.stringMatching(/cells\/feedfacefeedface: corrupt result \(a file where a cell folder should be\)/),
  ]);
});
