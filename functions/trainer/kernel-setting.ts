/**
 * LAMBDASTAR_KERNEL, the setting that pins a trainer engine (e.g. `js` to re-check a result against
 * the reference kernels). Parsed here alone so that a process can refuse a bad value when it
 * starts, before any task runs.
 */
export const KERNEL_VARIABLE = 'LAMBDASTAR_KERNEL';

/** The trainer's engines: WebAssembly SIMD, and the JS reference. */
export const KERNELS = ['wasm-simd', 'js'] as const;
export type KernelName = (typeof KERNELS)[number];

/** The kernel `env` pins, or undefined for "the fastest available"; a value that names none throws. */
export function kernelSetting(env: NodeJS.ProcessEnv): KernelName | undefined {
  const asked = env[KERNEL_VARIABLE];
  if (asked === undefined || asked === '') return undefined;
  const kernel = KERNELS.find((k) => k === asked);
  if (!kernel) throw new Error(`${KERNEL_VARIABLE}: "${asked}" is not a kernel; use js or wasm-simd, or unset it`);
  return kernel;
}

export function simdMissingMessage(): string {
  return `${KERNEL_VARIABLE}=wasm-simd: this runtime has no WebAssembly SIMD; unset it to use the JS kernels`;
}
