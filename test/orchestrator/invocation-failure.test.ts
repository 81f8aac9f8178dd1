/** Failed invocations by class, from what the SDK throws and what Lambda answers. */
import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { expect, test } from 'vitest';
import { classifyFunctionError, classifySendError, classifyTaskCode } from '../../orchestrator/executors/invocation-failure.js';

test.each([
  ['the SDK\'s 429', new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: { httpStatusCode: 429 }, Reason: 'ConcurrentInvocationLimitExceeded' }), 'throttled'],
  ['a 413', Object.assign(new Error('Request must be smaller than 6291456 bytes'), { name: 'RequestTooLargeException', $metadata: { httpStatusCode: 413 } }), 'payload'],
  ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'network'],
  ['a 503', Object.assign(new Error('Service Unavailable'), { name: 'ServiceException', $metadata: { httpStatusCode: 503 } }), 'network'],
])('a thrown %s is %s', (_name, err, kind) => {
  expect(classifySendError(err)).toBe(kind);
});

test.each([
  ['Sandbox.Timedout', 'RequestId: x Error: Task timed out after 900.00 seconds', 'timeout'],
  ['Runtime.OutOfMemory', 'RequestId: x Error: Runtime exited with error: signal: killed', 'memory'],
  ['Function.ResponseSizeTooLarge', 'Response payload size exceeded maximum allowed payload size (6291556 bytes).', 'payload'],
  ['Runtime.ExitError', 'RequestId: x Error: Runtime exited with error: exit status 1', 'crash'],
  ['Error', 'the trainer crashed', 'crash'],
])('a function error %s is %s', (type, message, kind) => {
  expect(classifyFunctionError(type, message)).toBe(kind);
});

test('a task the handler did not start for lack of time is a timeout; a bad event is invalid; anything else a crash', () => {
  expect([classifyTaskCode('WouldTimeOut'), classifyTaskCode('InvalidEvent'), classifyTaskCode('Error')]).toEqual(['timeout', 'invalid', 'crash']);
});
