/** Errors the CLI reports as one line with exit code 2 (bad usage or input). */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** The flag a task or spec field is set by, for messages: `initFactor` → `--init-factor`. */
export function flagOf(field: string): string {
  return `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
