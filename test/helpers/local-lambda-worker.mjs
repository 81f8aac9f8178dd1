// One "Lambda instance" of the local Invoke endpoint: runs the real bundled handler.
import { parentPort, workerData } from 'node:worker_threads';

const { handler } = await import(workerData.handlerUrl);
parentPort.on('message', async ({ seq, event }) => {
  const started = performance.now();
  // Lambda's context: the time left before the function's timeout, when the endpoint has one.
  const { timeoutMs } = workerData;
  const context = timeoutMs === undefined ? undefined : { getRemainingTimeInMillis: () => timeoutMs - (performance.now() - started) };
  try {
    const response = await handler(event, context);
    parentPort.postMessage({ seq, ok: true, response, ms: performance.now() - started });
  } catch (err) {
    parentPort.postMessage({ seq, ok: false, errorType: err?.name ?? 'Error', errorMessage: err?.message ?? String(err), ms: performance.now() - started });
  }
});
parentPort.postMessage({ ready: true });
