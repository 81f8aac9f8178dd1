/** The `lambdastar` command line: plan, run, status, report, task, verify, predict, migrate. */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './cli/commands.js';
import { checkKernelSetting } from './cli/kernel-check.js';
import { EXIT } from './errors.js';
import { reportFailure } from './cli/fail.js';
import { packageVersion } from './paths.js';

const program = new Command()
  .name('lambdastar')
  .description('Find the optimal regularization strength λ* of small neural networks with parameter sweeps, locally or on AWS Lambda.')
  .version(packageVersion(), '-V, --version')
  .addHelpText(
    'after',
    '\nExit codes: 0 ok · 1 some tasks failed · 2 bad usage or input (nothing written) · 3 the environment failed ' +
      '(credentials, network, a store unreachable, unwritable or full) · 130/143 stopped by Ctrl-C / SIGTERM · 70 an internal error (a bug).',
  )
  // Commander's parse errors read like every other error of this CLI: one line, "lambdastar: …"
  // (its "Did you mean" comes on a line of its own). Subcommands inherit this.
  .configureOutput({ outputError: (message, write) => write(`${message.trim().replace(/^error: /, 'lambdastar: ').replace(/\s*\n\s*/g, ' ')}\n`) })
  .exitOverride();

registerCommands(program);
for (const c of program.commands) c.exitOverride();

try {
  await checkKernelSetting(process.env);
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander has printed its message already.
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  } else {
    process.exitCode = reportFailure(err, 'lambdastar');
  }
}
