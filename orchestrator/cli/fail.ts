/** How a command says it failed: one line on stderr, whatever the message holds, and the exit code of its class. */
import { EXIT, exitCodeOf } from '../errors.js';

/** Prints `err` as one line prefixed by `prog` (with the stack under LAMBDASTAR_DEBUG) and returns its exit code. */
export function reportFailure(err: unknown, prog: string): number {
  // One line, whatever the message holds (a JSON excerpt, a path with a newline).
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
  const code = exitCodeOf(err);
  const internal = code === EXIT.internal ? 'internal error (a bug: please report it; LAMBDASTAR_DEBUG=1 shows where): ' : '';
  process.stderr.write(`${prog}: ${internal}${message}\n`);
  if (process.env.LAMBDASTAR_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return code;
}
