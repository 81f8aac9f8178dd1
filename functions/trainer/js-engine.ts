/** The reference engine: the generated JS kernels of kernels.ts, one λ after another. */
import { evaluate } from './mlp.js';
import { trainAll } from './train.js';
import { allFinite, type TrainerEngine } from './trainer-engine.js';

export const jsEngine: TrainerEngine = {
  kernel: 'js',
  run({ lay, init, lambdas, train, validation, opts, shuffle }) {
    const params = new Float64Array(lay.size * lambdas.length);
    for (let l = 0; l < lambdas.length; l++) params.set(init, l * lay.size);
    trainAll(params, lay, lambdas, train, opts, shuffle);
    const evaluations = lambdas.map((_, l) => {
      const o = l * lay.size;
      return allFinite(params, o, lay.size) ? { train: evaluate(params, o, lay, train), validation: evaluate(params, o, lay, validation) } : undefined;
    });
    return { params, evaluations };
  },
};
