import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The lambdastar package folder (holding package.json), from wherever this module was bundled. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the lambdastar package folder');
    dir = up;
  }
  return dir;
}

/** The built pool worker; `npm run build` writes it. */
export function poolWorkerUrl(): URL {
  const path = join(packageRoot(), 'dist', 'pool-worker.mjs');
  if (!existsSync(path)) throw new Error(`${path} is missing; run \`npm run build\` first`);
  return pathToFileURL(path);
}

/** The version in lambdastar's package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
