/**
 * Which engine trains here: WebAssembly SIMD where the runtime has it, else the JS kernels. Both
 * give identical bits, so the choice only changes speed; LAMBDASTAR_KERNEL=js (or wasm-simd)
 * pins one, e.g. to check a result against the reference.
 */
import { jsEngine } from './js-engine.js';
import type { KernelName, TrainerEngine } from './trainer-engine.js';
import { wasmEngine, wasmSimdAvailable } from './wasm/wasm-engine.js';

export const KERNEL_VARIABLE = 'LAMBDASTAR_KERNEL';

export function engineNamed(kernel: KernelName): TrainerEngine {
  return kernel === 'js' ? jsEngine : wasmEngine;
}

/** The engine `env` asks for, or the fastest available; an unusable request is an error naming the variable. */
export function engineFromEnv(env: NodeJS.ProcessEnv): TrainerEngine {
  const asked = env[KERNEL_VARIABLE];
  if (asked === undefined || asked === '') return wasmSimdAvailable() ? wasmEngine : jsEngine;
  if (asked === 'js') return jsEngine;
  if (asked === 'wasm-simd') {
    if (!wasmSimdAvailable()) throw new Error(`${KERNEL_VARIABLE}=wasm-simd: this runtime has no WebAssembly SIMD; unset it to use the JS kernels`);
    return wasmEngine;
  }
  throw new Error(`${KERNEL_VARIABLE}: "${asked}" is not a kernel; use js or wasm-simd, or unset it`);
}

let chosen: TrainerEngine | undefined;

/** This process's engine, chosen once from its environment. */
export function defaultEngine(): TrainerEngine {
  chosen ??= engineFromEnv(process.env);
  return chosen;
}
