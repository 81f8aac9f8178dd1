/**
 * `npm run simulate`: the real executor, packer, retries and hedging against a simulated Lambda on
 * a virtual clock (scripts/simulate/), by default 100,000 tasks at a requested concurrency of 1000,
 * with 1 % of invocations crashing and 0.1 % hanging. Prints the simulated wall time against its
 * lower bound (lower-bound.ts), invocations, hedges, throttles, failures by class, the bill against
 * the estimate, and lost or duplicated results; `--json` prints one JSON object instead (run it as
 * `npm run -s simulate -- --json`: without -s, npm prints its own banner on stdout first).
 */
import { parseArgs } from 'node:util';
import { formatReport } from './simulate/format.js';
import type { SimulationOptions } from './simulate/simulation.js';
import { DEFAULTS, simulate } from './simulate/simulation.js';

const USAGE = `usage: npm run simulate -- [--tasks N] [--concurrency N] [--quota N] [--crash-rate R] [--hang-rate R]
       [--target-seconds S] [--hedge-factor F] [--hedge-after-seconds S] [--invocation-timeout-seconds S]
       [--account-unreadable] [--seed N] [--json]`;

class FlagError extends Error {}

/** A flag's number, checked: whole when `whole`, within [min, max]; Infinity only where `infinite`. */
function num(name: string, text: string | undefined, o: { whole?: boolean; min: number; max?: number; infinite?: boolean }): number | undefined {
  if (text === undefined) return undefined;
  const x = Number(text);
  const ok = text.trim() !== '' && !Number.isNaN(x) && (Number.isFinite(x) || o.infinite === true) && (!o.whole || Number.isInteger(x)) && x >= o.min && x <= (o.max ?? Infinity);
  if (!ok) throw new FlagError(`--${name}: must be ${o.whole ? 'a whole number' : 'a number'} ≥ ${o.min}${o.max === undefined ? '' : ` and ≤ ${o.max}`}${o.infinite ? ' (or Infinity)' : ''}; got "${text}"`);
  return x;
}

function options(argv: string[]): { sim: SimulationOptions; json: boolean } {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      tasks: { type: 'string' }, concurrency: { type: 'string' }, quota: { type: 'string' },
      'crash-rate': { type: 'string' }, 'hang-rate': { type: 'string' }, 'target-seconds': { type: 'string' },
      'hedge-factor': { type: 'string' }, 'hedge-after-seconds': { type: 'string' }, 'invocation-timeout-seconds': { type: 'string' },
      'account-unreadable': { type: 'boolean' }, seed: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' },
    },
  });
  if (v.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const sim: SimulationOptions = {
    tasks: num('tasks', v.tasks, { whole: true, min: 1, max: 1_000_000 }) ?? DEFAULTS.tasks,
    concurrency: num('concurrency', v.concurrency, { whole: true, min: 1, max: 10_000 }) ?? DEFAULTS.concurrency,
    quota: num('quota', v.quota, { whole: true, min: 1 }) ?? DEFAULTS.quota,
    crashRate: num('crash-rate', v['crash-rate'], { min: 0, max: 1 }) ?? DEFAULTS.crashRate,
    hangRate: num('hang-rate', v['hang-rate'], { min: 0, max: 1 }) ?? DEFAULTS.hangRate,
    seed: num('seed', v.seed, { whole: true, min: 0, max: 0xffffffff }) ?? DEFAULTS.seed,
    targetSeconds: num('target-seconds', v['target-seconds'], { min: 0.001 }),
    hedgeFactor: num('hedge-factor', v['hedge-factor'], { min: 0, infinite: true }),
    hedgeAfterSeconds: num('hedge-after-seconds', v['hedge-after-seconds'], { min: 0, infinite: true }),
    invocationTimeoutSeconds: num('invocation-timeout-seconds', v['invocation-timeout-seconds'], { min: 0.001, infinite: true }),
    accountReadable: v['account-unreadable'] !== true,
  };
  if (sim.crashRate + sim.hangRate > 1) throw new FlagError('--crash-rate and --hang-rate: together at most 1');
  return { sim, json: v.json === true };
}

let parsed: ReturnType<typeof options>;
try {
  parsed = options(process.argv.slice(2));
} catch (err) {
  // parseArgs' own errors (an unknown flag, a missing value) are bad usage too.
  console.error(`simulate: ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const started = performance.now();
const report = await simulate(parsed.sim);
const realSeconds = (performance.now() - started) / 1000;
if (parsed.json) console.log(JSON.stringify({ ...report, realSeconds }));
else for (const line of formatReport(report, realSeconds)) console.log(line);
