/**
 * Errors by class, and the one place that maps them to exit codes: 2 bad usage or input (nothing
 * written), 1 the sweep ran and some tasks failed, 3 the environment failed (credentials, network,
 * a store that cannot be reached or written, a full disk), 130/143 interrupted by SIGINT/SIGTERM,
 * 70 an internal error (a bug: none of the above).
 */

/** Bad usage or input, said in one line naming the flag or field and the fix. */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** The environment failed: the message names what could not be done and where. */
export class EnvironmentError extends Error {
  readonly code = 'ENVIRONMENT';
}

export const EXIT = { ok: 0, tasksFailed: 1, badInput: 2, environment: 3, internal: 70, interrupted: 130, terminated: 143 } as const;

/** Typed error codes thrown across the modules that mean bad usage or bad input. */
const BAD_INPUT = new Set([
  'USAGE', 'UNKNOWN_PRESET', 'BAD_STORE', 'UNKNOWN_SWEEP', 'PREDICT', 'LIMIT',
  'CORRUPT_RESULT', 'CORRUPT_STORE', 'CORRUPT_RECORD', 'POINT_CONFLICT', 'RESULT_CONFLICT', 'STORE_LAYOUT',
  'MISSING_BUCKET', 'NOT_A_FILE',
]);

/** System error codes that say the machine or the network failed, not the input. */
const ENVIRONMENT = new Set([
  'ENVIRONMENT', 'ACCESS_DENIED', 'WRITE_IN_PROGRESS', 'STORE_WRITE', 'ENOSPC', 'EDQUOT', 'EIO', 'EMFILE', 'ENFILE', 'EROFS', 'EACCES', 'EPERM',
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH',
]);

/** SDK error names for missing or bad credentials, throttling and timeouts. */
const ENVIRONMENT_NAMES = /Credentials|Token|Throttl|TooManyRequests|Timeout|NetworkingError|ServiceUnavailable|InternalError|SlowDown/;

/** The class of an error: the user's input, the environment, or neither (a bug, say). */
export function failureClass(err: unknown): 'badInput' | 'environment' | 'unknown' {
  const e = (err ?? {}) as { code?: unknown; name?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && BAD_INPUT.has(e.code)) return 'badInput';
  if (typeof e.code === 'string' && ENVIRONMENT.has(e.code)) return 'environment';
  if (typeof e.name === 'string' && ENVIRONMENT_NAMES.test(e.name)) return 'environment';
  return e.cause !== undefined && e.cause !== err ? failureClass(e.cause) : 'unknown';
}

/**
 * A place the user named that cannot be written: the environment's failure when the system says so
 * (read-only, permission denied, a full disk: exit 3), the input's otherwise (a path that cannot
 * exist, such as one under /proc: exit 2).
 */
export function cannotWrite(message: string, cause: unknown): UsageError | EnvironmentError {
  return failureClass(cause) === 'environment' ? new EnvironmentError(message, { cause }) : new UsageError(message, { cause });
}

export function exitCodeOf(err: unknown): number {
  const cls = failureClass(err);
  return cls === 'badInput' ? EXIT.badInput : cls === 'environment' ? EXIT.environment : EXIT.internal;
}

/** The flag a task or spec field is set by, for messages: `initFactor` → `--init-factor`. */
export function flagOf(field: string): string {
  return `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
