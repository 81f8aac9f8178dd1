/**
 * What the account and the function allow, read before a Lambda run: the account's concurrency
 * limit and what is left unreserved, the function's reserved concurrency, its timeout, memory and
 * architecture. A read the credentials may not make is a warning: the run then paces itself by
 * throttles alone and prices with the flags.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { Architecture } from '../cost/cost-model.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { awsEnvironmentProblem } from './aws-errors.js';

export interface FunctionFacts {
  /** The concurrency the run may use: the requested, capped at what the function can get. */
  concurrency: number;
  timeoutSeconds?: number;
  memoryMb?: number;
  architecture?: Architecture;
  /** What was read and decided, one line each (warnings included). */
  lines: string[];
}

const DENIED = /AccessDenied|NotAuthorized|Forbidden|UnrecognizedClient/;

/** The value of a read, or the warning that it could not be made; other failures end the run. */
async function read<T>(what: string, functionName: string, f: () => Promise<T>): Promise<{ value?: T; warning?: string }> {
  try {
    return { value: await f() };
  } catch (err) {
    const e = (err ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    if (DENIED.test(e.name ?? '') || e.$metadata?.httpStatusCode === 403) {
      return { warning: `lambda: warning: cannot read ${what} (${e.name ?? 'denied'}); allow lambda:${what.split(' ')[0]} to have it checked` };
    }
    const problem = awsEnvironmentProblem(err, `the Lambda function "${functionName}"`);
    if (problem) throw new EnvironmentError(`--function: ${problem}`, { cause: err });
    if (e.name === 'ResourceNotFoundException') {
      throw new UsageError(`--function: no function "${functionName}" in this region; pass the FunctionName output of \`cdk deploy\` (or --stack-outputs), and --region`, { cause: err });
    }
    return { warning: `lambda: warning: cannot read ${what} (${e.name ?? 'error'}: ${e.message ?? ''})` };
  }
}

export async function readFunctionFacts(client: Pick<LambdaClient, 'send'>, functionName: string, requested: number): Promise<FunctionFacts> {
  const [account, reserved, config] = await Promise.all([
    read('GetAccountSettings (the account\'s concurrency)', functionName, () => client.send(new GetAccountSettingsCommand({}))),
    read('GetFunctionConcurrency (the function\'s reserved concurrency)', functionName, () => client.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }))),
    read('GetFunctionConfiguration (timeout, memory)', functionName, () => client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }))),
  ]);
  const lines = [account.warning, reserved.warning, config.warning].filter((w): w is string => w !== undefined);
  const facts: FunctionFacts = { concurrency: requested, lines };
  const c = config.value;
  if (c) {
    facts.timeoutSeconds = c.Timeout;
    facts.memoryMb = c.MemorySize;
    const arch = c.Architectures?.[0];
    if (arch === 'arm64' || arch === 'x86_64') facts.architecture = arch;
    lines.push(`lambda: function ${functionName}: ${c.MemorySize ?? '?'} MB, ${facts.architecture ?? '?'}, timeout ${c.Timeout ?? '?'} s`);
  }
  const reservedFor = reserved.value?.ReservedConcurrentExecutions;
  // Reserved concurrency 0 turns the function off: every invocation would be throttled, forever.
  if (reservedFor === 0) {
    throw new EnvironmentError(
      `--function: ${functionName} has reserved concurrency 0, so Lambda throttles every invocation (the function is turned off); ` +
        `remove it (aws lambda delete-function-concurrency --function-name ${functionName}) or set it above 0`,
    );
  }
  const limit = account.value?.AccountLimit;
  // Reserved concurrency is the function's own; otherwise it shares what the account leaves unreserved.
  const available = reservedFor ?? limit?.UnreservedConcurrentExecutions;
  if (available !== undefined) {
    const source = reservedFor !== undefined
      ? `its reserved concurrency is ${reservedFor}`
      : `the account allows ${limit?.ConcurrentExecutions ?? '?'} concurrent executions, ${available} unreserved`;
    if (available < requested) {
      facts.concurrency = Math.max(1, available);
      lines.push(`lambda: concurrency capped at ${facts.concurrency} (asked for ${requested}): ${source}; ask AWS for a higher quota to go faster`);
    } else {
      lines.push(`lambda: concurrency ${requested}: ${source}`);
    }
  }
  return facts;
}
