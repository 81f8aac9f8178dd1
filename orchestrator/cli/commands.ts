/**
 * The command line's shape: every command with its options and help. Each command's code is
 * imported only when it runs, so `--help`, `plan` or `task` never load what they do not use (the
 * AWS SDK, vega, the PNG renderer).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { MIN_SEEDS } from '../analysis/seed-planner.js';
import { DEFAULT_TARGET_SECONDS } from '../executors/lambda-defaults.js';
import { PRESET_HELP } from '../spec/presets.js';
import type { CloudFlags } from './cloud-flags.js';
import { addLambdaOptions, addStoreOptions } from './cloud-flags.js';
import type { PlanFlags } from './plan.js';
import type { PredictFlags } from './predict.js';
import type { ReportFlags } from './report.js';
import type { RunFlags } from './run.js';
import type { StatusFlags } from './status.js';
import type { TaskFlags } from './task.js';
import type { VerifyFlags } from './verify.js';
import { number, numberList, positiveInt, positiveNumber } from './options.js';

const REPORT_FOLDER = 'report folder (default: <store>/sweeps/<sweep id>/report, or ./lambdastar-reports/<sweep id> for S3)';
const ONLY_SWEEP = 'the sweep id (default: the only sweep in the store)';

export function registerCommands(program: Command): void {
  const plan = program
    .command('plan')
    .description('show the cells and points a sweep will train and what it will cost, without running anything')
    .option('--preset <name>', PRESET_HELP)
    .option('--spec <file>', 'a sweep spec (JSON)')
    .option('--concurrency <n>', 'Lambda invocations at once, for the wall-time estimate', positiveInt('--concurrency'), 256)
    .option('--target-seconds <s>', 'pack tasks into invocations of about this many seconds', positiveInt('--target-seconds'), DEFAULT_TARGET_SECONDS)
    .option('--max-cost <dollars>', 'warn when the Lambda estimate passes this budget (as `run --max-cost` would stop)', positiveNumber('--max-cost', '5 or 0.25'))
    .option('--function-timeout <s>', 'the function\'s timeout: a task predicted not to fit is refused (the stack\'s default is 900)', positiveInt('--function-timeout', 900), 900)
    .option('--pilot <sweep>', 'a sweep of this spec\'s groups with a few seeds, in --store (id or name): predict the slope\'s 95 % CI from its spread')
    .option('--target-ci <halfwidth>', 'with --pilot: the seeds per N that bring the slope\'s 95 % CI to ± this', positiveNumber('--target-ci', '0.1 (the slope\'s CI as ±0.1)'))
    .option('--max-seeds <n>', 'with --target-ci: recommend at most this many seeds per N, and say where the cap binds', positiveInt('--max-seeds', undefined, MIN_SEEDS), 40)
    .option('--json', 'print JSON');
  addLambdaOptions(addStoreOptions(plan)).action(async (flags: PlanFlags) => (await import('./plan.js')).planCommand(flags));

  const run = program
    .command('run')
    .description('run a sweep: train the points not yet stored (adaptive searches round by round), then write its report')
    .option('--preset <name>', PRESET_HELP)
    .option('--spec <file>', 'a sweep spec (JSON)')
    .addOption(new Option('--backend <name>', 'where tasks run').choices(['local', 'lambda']).default('local'))
    .option('--concurrency <n>', 'tasks (local; default: the cores) or invocations (lambda; default 256) at once', positiveInt('--concurrency'))
    .option('--max-attempts <n>', 'attempts per task before it is recorded as failed (default 2 local, 3 lambda)', positiveInt('--max-attempts'))
    .option('--target-seconds <s>', 'lambda: pack tasks into invocations of about this many seconds', positiveInt('--target-seconds'), DEFAULT_TARGET_SECONDS)
    .option('--invocation-timeout <s>', 'lambda: give up on an invocation after this many seconds (at least the function\'s timeout + 60)', positiveInt('--invocation-timeout'), 960)
    .option('--out <dir>', REPORT_FOLDER)
    .option('--no-report', 'skip writing the report')
    .option('--report-every <s>', 'rewrite the report (marked partial) at most this often while the run goes on; longer when writing it takes long', positiveNumber('--report-every', '5 or 0.5'), 5)
    .option('--png', 'also write each figure of the final report as a 300 dpi PNG')
    .option('--no-progress', 'no progress bar or lines')
    .option('--json', 'print a JSON summary instead of text')
    .option('--max-cost <dollars>', 'lambda: start no invocation once billed plus in-flight cost would pass this; the run stops, resumable', positiveNumber('--max-cost', '5 or 0.25'));
  addLambdaOptions(addStoreOptions(run)).action(async (flags: RunFlags) => (await import('./run.js')).runCommand(flags));

  const status = program
    .command('status')
    .description('list the sweeps in a store with their complete / open cells and stored points')
    .option('--sweep <id>', 'only this sweep')
    .option('--json', 'print JSON');
  addStoreOptions(status).action(async (flags: StatusFlags) => (await import('./status.js')).statusCommand(flags));

  const report = program
    .command('report')
    .description('write analysis.json, results.csv, SVG figures and report.html from a stored sweep (folder or S3)')
    .option('--sweep <id>', ONLY_SWEEP)
    .option('--out <dir>', REPORT_FOLDER)
    .option('--loss-n <n>', 'draw the loss-against-λ figure at this N only (default: every N, or six spread over them)', positiveInt('--loss-n'))
    .option('--png', 'also write each figure as a 300 dpi PNG (figures/*.png)')
    .option('--json', 'print the analysis as JSON');
  addStoreOptions(report).action(async (flags: ReportFlags) => (await import('./report.js')).reportCommand(flags));

  program
    .command('task')
    .description('train one task (every λ together) and print or dump its data, initial weights and metrics')
    .requiredOption('--n <N>', 'training patterns', number('--n'))
    .requiredOption('--seed <seed>', 'replicate seed', number('--seed'))
    .requiredOption('--lambdas <list>', 'comma-separated λ values, e.g. 1e-3,1e-2', numberList('--lambdas'))
    .addOption(new Option('--reg <reg>', 'regularizer').choices(['l1', 'l2']).default('l2'))
    .option('--init-factor <f>', 'initial weight variance factor f (variance f/fan-in)', number('--init-factor'), 1)
    .option('--batch-size <B>', 'mini-batch size (default 1; ≥ N is full batch)', positiveInt('--batch-size'))
    .option('--epochs <k>', 'training epochs (default 500)', positiveInt('--epochs'))
    .option('--val-size <n>', 'validation patterns (default 20000)', positiveInt('--val-size'))
    .option('--hidden <H>', 'hidden units (default 15)', positiveInt('--hidden'))
    .option('--input-dim <D>', 'input dimension (default 10)', positiveInt('--input-dim'))
    .option('--learning-rate <eta>', 'learning rate (default 0.1)', number('--learning-rate'))
    .option('--separation <s>', 'class separation (default 13.86)', number('--separation'))
    .option('--sigma <sigma>', 'class std (default 8)', number('--sigma'))
    .option('--no-standardize', 'feed raw inputs (default: standardized with training-set statistics)')
    .option('--regularize-biases', 'include biases in the penalty')
    .option('--dump <file>', 'write task, data, initial weights, batch order and results as JSON')
    .option('--json', 'print the result as JSON')
    .action(async (flags: TaskFlags) => (await import('./task.js')).taskCommand(flags));

  const verify = program
    .command('verify')
    .description('check every stored result of a sweep, then re-train a sample here and compare digests bit for bit')
    .option('--sweep <id>', ONLY_SWEEP)
    .option('--sample <k>', 'how many stored results to re-train', positiveInt('--sample'), 10)
    .option('--all', 're-train every stored result of the sweep')
    .option('--seed <s>', 'which sample (the same seed picks the same results)', number('--seed'), 1)
    .option('--concurrency <n>', 'local worker threads (default: the cores)', positiveInt('--concurrency'))
    .option('--json', 'print JSON');
  addStoreOptions(verify).action(async (flags: VerifyFlags) => (await import('./verify.js')).verifyCommand(flags));

  const predict = program
    .command('predict')
    .description('predict λ* at a new N from the power law λ* = C·N^slope fitted to a stored sweep')
    .requiredOption('--n <N>', 'the number of training patterns to predict λ* for', positiveInt('--n'))
    .option('--sweep <id>', ONLY_SWEEP)
    .addOption(new Option('--reg <reg>', 'which regularizer (default: the only one in the sweep)').choices(['l1', 'l2']))
    .option('--init-factor <f>', 'which init factor (default: the only one in the sweep)', number('--init-factor'))
    .option('--exclude-edges', 'leave out N where half or more of the seeds sit on an edge of their evaluated λ')
    .option('--json', 'print JSON');
  addStoreOptions(predict).action(async (flags: PredictFlags) => (await import('./predict.js')).predictCommand(flags));

  const migrate = program
    .command('migrate')
    .description('make a store written by lambdastar 0.1 readable: copy its results under their cells and give its sweeps manifests (nothing is deleted; exit 1 if some objects could not be copied)')
    .option('--json', 'print JSON');
  addStoreOptions(migrate).action(async (flags: Pick<CloudFlags, 'store' | 'stackOutputs' | 'region'> & { json?: boolean }) =>
    (await import('./migrate.js')).migrateCommand(flags));
}
