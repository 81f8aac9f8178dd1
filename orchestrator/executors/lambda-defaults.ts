/** The Lambda executor's batch length, shared with the CLI's options (which must not load the executor). */

/** Seconds of work per invocation, chosen with `npm run simulate` (README). */
export const DEFAULT_TARGET_SECONDS = 30;
