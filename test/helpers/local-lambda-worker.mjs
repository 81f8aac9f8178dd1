// One execution environment of the local Lambda endpoint: runs the real bundled handler.
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

/** The exit code of an environment over its memory: 128 + SIGKILL, as the sandbox kills it. */
const OUT_OF_MEMORY = 137;
const { handlerUrl, timeoutMs, memoryMb } = workerData;

/** Bytes this isolate holds: its heap and the memory outside it (typed arrays). */
function used() {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

/**
 * The heap limit (resourceLimits) does not cover typed arrays, whose memory lies outside V8's heap,
 * and the trainer's data is all Float64Array: count each allocation against the function's memory as
 * Lambda counts all of it, and exit as the sandbox kills a function over its memory.
 */
function meter(limit) {
  const buffers = [ArrayBuffer, SharedArrayBuffer];
  const isBuffer = (a) => buffers.some((B) => a instanceof B);
  const names = ['ArrayBuffer', 'SharedArrayBuffer', 'Float64Array', 'Float32Array', 'Int32Array', 'Uint32Array', 'Int16Array', 'Uint16Array', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'BigInt64Array', 'BigUint64Array'];
  for (const name of names) {
    const C = globalThis[name];
    const size = C.BYTES_PER_ELEMENT ?? 1;
    globalThis[name] = new Proxy(C, {
      construct(target, args, newTarget) {
        const [a] = args;
        const elements = typeof a === 'number' ? a : a !== null && typeof a === 'object' && !isBuffer(a) ? (a.length ?? 0) : 0;
        if (used() + elements * size > limit) process.exit(OUT_OF_MEMORY);
        return Reflect.construct(target, args, newTarget);
      },
    });
  }
}

if (memoryMb !== undefined) meter(memoryMb * 1024 ** 2);
const { handler } = await import(handlerUrl);
parentPort.on('message', async ({ seq, event }) => {
  const started = performance.now();
  // Lambda's context: the time left before the function's timeout, when the endpoint has one.
  const context = timeoutMs === undefined ? undefined : { getRemainingTimeInMillis: () => timeoutMs - (performance.now() - started) };
  const usedMb = () => Math.ceil(used() / 1024 ** 2);
  try {
    const response = await handler(event, context);
    parentPort.postMessage({ seq, ok: true, response, ms: performance.now() - started, usedMb: usedMb() });
  } catch (err) {
    parentPort.postMessage({ seq, ok: false, errorType: err?.name ?? 'Error', errorMessage: err?.message ?? String(err), ms: performance.now() - started, usedMb: usedMb() });
  }
});
parentPort.postMessage({ ready: true });
