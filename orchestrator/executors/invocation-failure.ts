/**
 * What went wrong with one Lambda invocation, read from the SDK's error or the function's error
 * payload the way Lambda shapes them, so the executor can act on the class: re-send a throttled
 * invocation, split a batch that timed out, ran out of memory or overflowed a payload limit, never
 * retry an invalid event, retry a crash or a network error.
 */
import type { FailureKind } from './executor.js';

export type InvocationProblem = FailureKind | 'throttled';

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** A thrown SDK error: throttled, a request over the payload limit, or a network/service fault. */
export function classifySendError(err: unknown): InvocationProblem {
  const e = (err ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'TooManyRequestsException' || status === 429 || /Rate Exceeded/i.test(e.message ?? '')) return 'throttled';
  if (e.name === 'RequestTooLargeException' || status === 413) return 'payload';
  return 'network';
}

/** A function error (`X-Amz-Function-Error`), from its `errorType` and `errorMessage`. */
export function classifyFunctionError(errorType: string | undefined, errorMessage: string | undefined): FailureKind {
  const type = errorType ?? '';
  const message = errorMessage ?? '';
  if (type === 'Sandbox.Timedout' || /Task timed out after/.test(message)) return 'timeout';
  if (type === 'Runtime.OutOfMemory' || /out of memory|JavaScript heap/i.test(message)) return 'memory';
  if (type === 'Function.ResponseSizeTooLarge' || /payload size exceeded/i.test(message)) return 'payload';
  return 'crash';
}

/** A task's failure code in a handler response: not started for lack of time is a timeout; a bad event is invalid. */
export function classifyTaskCode(code: string): FailureKind {
  if (code === 'WouldTimeOut') return 'timeout';
  if (code === 'InvalidEvent') return 'invalid';
  return 'crash';
}

/** What each class means for the user, for failure messages. */
export const KIND_HINT: Record<FailureKind, string> = {
  timeout: 'the task alone runs past the function\'s timeout: raise the stack\'s timeoutSeconds, or lower n or epochs',
  memory: 'the task alone runs out of the function\'s memory: raise the stack\'s memoryMb, or lower n or valSize',
  payload: 'the task alone overflows Lambda\'s 6 MB payload limit: lower its λ count',
  invalid: 'the function refused the event: a bug in lambdastar, or a function of another version; redeploy the stack',
  network: 'the invocation failed in the network or the Lambda service',
  crash: 'the function crashed',
  stopped: 'not started: the budget was reached',
};
