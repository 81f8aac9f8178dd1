/** Refuses a bad LAMBDASTAR_KERNEL once, when the CLI starts, rather than failing every task with it. */
import { kernelSetting, simdMissingMessage } from '../../functions/trainer/kernel-setting.js';
import { EnvironmentError, UsageError } from '../errors.js';

export async function checkKernelSetting(env: NodeJS.ProcessEnv): Promise<void> {
  let kernel;
  try {
    kernel = kernelSetting(env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (kernel !== 'wasm-simd') return;
  const { wasmSimdAvailable } = await import('../../functions/trainer/wasm/wasm-engine.js');
  if (!wasmSimdAvailable()) throw new EnvironmentError(simdMissingMessage());
}
