/**
 * Ctrl-C and SIGTERM for a long command: the first stops new work (what runs finishes and is
 * stored, and the command ends as it would, marked interrupted); a second ends the process at once.
 */
import { EXIT } from '../errors.js';
import { removeTempFilesSync } from '../fs/atomic-file.js';

export interface Interrupt {
  readonly signal: AbortSignal;
  /** 130 after SIGINT, 143 after SIGTERM; undefined when not interrupted. */
  exitCode(): number | undefined;
  dispose(): void;
}

export function watchInterrupts(stderr: NodeJS.WritableStream, what = 'no new tasks start; those running finish and are stored'): Interrupt {
  const controller = new AbortController();
  let code: number | undefined;
  const handler = (sig: NodeJS.Signals) => {
    const c = sig === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
    if (code !== undefined) {
      stderr.write(`\n${sig} again: stopping now (tasks in flight are lost; everything stored is intact)\n`);
      removeTempFilesSync();
      process.exit(c);
    }
    code = c;
    stderr.write(`\n${sig}: stopping — ${what}; ${sig} again stops at once\n`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    exitCode: () => code,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
