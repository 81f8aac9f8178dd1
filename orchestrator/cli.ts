/** The `lambdastar` command line: plan, run, status, report, task, verify, predict. */
import { Command, CommanderError } from 'commander';
import { registerPlan } from './cli/plan.js';
import { registerReport } from './cli/report.js';
import { registerRun } from './cli/run.js';
import { registerStatus } from './cli/status.js';
import { registerTask } from './cli/task.js';
import { registerVerify } from './cli/verify.js';
import { registerPredict } from './cli/predict.js';

const program = new Command()
  .name('lambdastar')
  .description('Find the optimal regularization strength λ* of small neural networks with parameter sweeps, locally or on AWS Lambda.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerPlan(program);
registerRun(program);
registerStatus(program);
registerReport(program);
registerTask(program);
registerVerify(program);
registerPredict(program);
for (const c of program.commands) c.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander has printed its message already.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`lambdastar: ${message.split('\n')[0]}\n`);
    if (process.env.LAMBDASTAR_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 2;
  }
}
