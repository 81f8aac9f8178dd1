import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
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

test('in a folder store, what is not a plain file where a result should be is read as corrupt, never as missing', async () => {
  const root = await mkdtemp(join(tmpdir(), 'lambdastar-odd-'));
  const store = openStore(root);
  const { tinyResult } = await import('../helpers/fixtures.js');
  const { cellId } = await import('../../functions/trainer/ids.js');
  const [a, b, c, d] = [0, 1, 2, 3].map((seed) => tinyResult(seed));
  const path = (r: typeof a) => join(root, 'cells', cellId(r.task), `${r.taskId}.json`);
  for (const r of [a, b, c, d]) mkdirSync(dirname(path(r)), { recursive: true });
  mkdirSync(path(a));
  symlinkSync(join(root, 'nowhere.json'), path(b));
  symlinkSync(path(c), path(c));
  execFileSync('mkfifo', [path(d)]);
  writeFileSync(join(root, 'cells', 'feedfacefeedface'), 'not a folder');
  const entries = [];
  for await (const e of store.readCells([...[a, b, c, d].map((r) => cellId(r.task)), 'feedfacefeedface'])) entries.push(e);
  expect(entries.map((e) => e.corrupt?.detail)).toEqual([
    'a folder where a file should be', 'a broken link', 'a link that loops', 'not a regular file', 'a file where a folder should be',
  ]);
  expect(entries.every((e) => e.corrupt?.message.startsWith(`${root}/cells/`))).toBe(true);
});
