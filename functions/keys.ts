/** Every object key and folder path lambdastar uses, decided here and nowhere else. */

/** `<prefix>/<sweepId>`: everything of one sweep. */
export function sweepPrefix(prefix: string, sweepId: string): string {
  return prefix ? `${prefix}/${sweepId}` : sweepId;
}

export function manifestKey(prefix: string, sweepId: string): string {
  return `${sweepPrefix(prefix, sweepId)}/manifest.json`;
}

/** Where a sweep's results live; the trainer is handed this as its `prefix`. */
export function resultsPrefix(prefix: string, sweepId: string): string {
  return `${sweepPrefix(prefix, sweepId)}/results`;
}

export function resultKey(resultsPrefixValue: string, taskId: string): string {
  return `${resultsPrefixValue}/${taskId}.json`;
}

