/**
 * Which engine trains here: WebAssembly SIMD where the runtime has it, else the JS kernels. Both
 * give identical bits, so the choice only changes speed; LAMBDASTAR_KERNEL pins one.
 */
import { jsEngine } from './js-engine.js';
import { kernelSetting, simdMissingMessage } from './kernel-setting.js';
import type { TrainerEngine } from './trainer-engine.js';
import { wasmEngine, wasmSimdAvailable } from './wasm/wasm-engine.js';

/** The engine `env` asks for, or the fastest available; an unusable request is an error naming the variable. */
export function engineFromEnv(env: NodeJS.ProcessEnv): TrainerEngine {
  const asked = kernelSetting(env);
  if (asked === 'js') return jsEngine;
  if (wasmSimdAvailable()) return wasmEngine;
  if (asked === 'wasm-simd') throw new Error(simdMissingMessage());
  return jsEngine;
}

let chosen: TrainerEngine | undefined;

/** This process's engine, chosen once from its environment. */
export function defaultEngine(): TrainerEngine {
  chosen ??= engineFromEnv(process.env);
  return chosen;
}
