import { describe, expect, test } from 'vitest';
import type { TrainerResponse } from '../../functions/handler.js';
import { makeHandler } from '../../functions/handler.js';
import { LIMITS } from '../../functions/limits.js';
import type { ObjectIO } from '../../functions/results.js';
import { parseResult } from '../../functions/results.js';
import { cellId, taskId } from '../../functions/trainer/ids.js';
import { runTask } from '../../functions/trainer/run-task.js';
import { withDefaults } from '../../functions/trainer/task.js';

function memoryBucket(): ObjectIO & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    read: async (key) => objects.get(key),
    createExclusive: async (key, body) => {
      if (objects.has(key)) return false;
      objects.set(key, body);
      return true;
    },
  };
}

const task = withDefaults({ n: 20, seed: 1, initFactor: 1, reg: 'l2', lambdas: [1e-3, 1e-2], epochs: 5, valSize: 50 });
const good = { tasks: [{ id: taskId(task), task }], bucket: 'b', prefix: 'lab' };

function expectError(response: TrainerResponse, field: string): void {
  expect(response.ok).toBe(false);
  if (response.ok) return;
  expect(response.code).toBe('InvalidEvent');
  expect(response.message).toContain(field);
  expect(response.message).not.toMatch(/\n\s+at /);
}

describe('trainer Lambda handler', () => {
  test('writes each result under its cell in the store prefix and returns it', async () => {
    const bucket = memoryBucket();
    const handler = makeHandler({ io: () => bucket });
    const response = await handler(good);
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    const key = `lab/cells/${cellId(task)}/${taskId(task)}.json`;
    expect(response.results).toEqual([{ id: taskId(task), result: expect.objectContaining({ taskId: taskId(task), task }), key, stored: 'written' }]);
    expect(parseResult(bucket.objects.get(key) ?? '', key)).toEqual(response.results[0].result);
    // Running it again finds the identical object and leaves it alone.
    const again = await handler(good);
    expect(again.ok && again.results[0].stored).toBe('identical');
  });

  test('inline: true returns full results and writes nothing', async () => {
    const bucket = memoryBucket();
    const response = await makeHandler({ io: () => bucket })({ tasks: good.tasks, inline: true });
    expect(response.ok && response.results[0].result.metrics.length).toBe(2);
    expect(bucket.objects.size).toBe(0);
  });

  test('a task that throws is reported as a failure; the others still run', async () => {
    const other = withDefaults({ ...task, seed: 2 });
    const handler = makeHandler({
      io: () => memoryBucket(),
      run: (t, id) => {
        if (t.seed === 2) throw new Error('boom');
        return { taskId: id, task: t, trainerVersion: 'x', metrics: [], digest: 'd', wallMs: 0 };
      },
    });
    const response = await handler({ tasks: [...good.tasks, { id: taskId(other), task: other }], inline: true });
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    expect(response.results.map((r) => r.id)).toEqual([taskId(task)]);
    expect(response.failures).toEqual([{ id: taskId(other), code: 'Error', message: 'boom' }]);
  });

  const bad: [string, unknown, string][] = [
    ['not an object', 'hello', 'event'],
    ['missing tasks', { bucket: 'b' }, 'event.tasks'],
    ['missing λ list', { ...good, tasks: [{ id: good.tasks[0].id, task: { ...task, lambdas: undefined } }] }, 'event.tasks[0].task.lambdas'],
    ['λ ≤ 0', { ...good, tasks: [{ id: good.tasks[0].id, task: { ...task, lambdas: [1e-3, 0] } }] }, 'event.tasks[0].task.lambdas[1]'],
    ['N < 2', { ...good, tasks: [{ id: good.tasks[0].id, task: { ...task, n: 1 } }] }, 'event.tasks[0].task.n'],
    ['non-integer seed', { ...good, tasks: [{ id: good.tasks[0].id, task: { ...task, seed: 1.5 } }] }, 'event.tasks[0].task.seed'],
    ['unknown reg', { ...good, tasks: [{ id: good.tasks[0].id, task: { ...task, reg: 'l3' } }] }, 'event.tasks[0].task.reg'],
    ['no destination', { tasks: good.tasks }, 'event.bucket'],
    ['id of another task', { ...good, tasks: [{ id: '0000000000000000', task }] }, 'event.tasks[0].id'],
    ['a prefix with ".."', { ...good, prefix: 'sweeps/../../other-bucket/x' }, 'event.prefix'],
    ['a prefix with an empty part', { ...good, prefix: 'lab//x' }, 'event.prefix'],
    ['a prefix with a leading "/"', { ...good, prefix: '/lab' }, 'event.prefix'],
    ['a prefix of "."', { ...good, prefix: '.' }, 'event.prefix'],
    ['a prefix longer than S3 keys allow', { ...good, prefix: 'p'.repeat(513) }, 'event.prefix'],
    ['a prefix of 171 three-byte characters (513 bytes)', { ...good, prefix: '€'.repeat(171) }, 'event.prefix'],
    [`more than ${LIMITS.tasksPerEvent} tasks`, { ...good, tasks: Array.from({ length: LIMITS.tasksPerEvent + 1 }, () => good.tasks[0]) }, 'event.tasks'],
  ];
  test.each(bad)('a malformed event (%s) gets { code, message } naming the field', async (_name, event, field) => {
    expectError(await makeHandler({ io: () => memoryBucket() })(event), field);
  });
});

describe('the handler guards itself', () => {
  const scope = { bucket: 'results', prefix: 'lambdastar' };
  const home = { tasks: good.tasks, bucket: 'results', prefix: 'lambdastar' };

  test.each([
    ['another bucket', { ...home, bucket: 'other-bucket' }, /^event\.bucket: "other-bucket" is not this function's results bucket; use --store s3:\/\/results\/lambdastar$/],
    ['another prefix', { ...home, prefix: 'lab' }, /^event\.prefix: "lab" is outside this function's store; use --store s3:\/\/results\/lambdastar$/],
    ['a prefix inside its own', { ...home, prefix: 'lambdastar/x' }, /^event\.prefix: "lambdastar\/x" is outside/],
    ['the empty prefix', { ...home, prefix: '' }, /^event\.prefix: "" is outside/],
    ['no prefix', { tasks: home.tasks, bucket: 'results' }, /^event\.prefix: "" is outside/],
  ])('deployed, it refuses to write to %s, before any training', async (_name, event, message) => {
    const bucket = memoryBucket();
    const handler = makeHandler({ io: () => bucket, scope, run: () => expect.fail('trained a task of a refused event') });
    const response = await handler(event);
    expect(response).toEqual({ ok: false, code: 'OutsideStore', message: expect.stringMatching(message) });
    expect(bucket.objects.size).toBe(0);
  });

  test('an event without tasks only checks where it may write (the orchestrator\'s preflight)', async () => {
    const handler = makeHandler({ io: () => memoryBucket(), scope, run: () => expect.fail('trained a task of an empty event') });
    expect(await handler({ tasks: [], bucket: 'results', prefix: 'lambdastar' })).toEqual({ ok: true, results: [], failures: [] });
    expect(await handler({ tasks: [], bucket: 'results', prefix: 'lab' })).toMatchObject({ ok: false, code: 'OutsideStore' });
  });

  test('deployed, it writes to its own store, and answers inline events', async () => {
    const bucket = memoryBucket();
    const handler = makeHandler({ io: () => bucket, scope });
    const stored = await handler(home);
    expect(stored.ok && stored.results[0].key).toBe(`lambdastar/cells/${cellId(task)}/${taskId(task)}.json`);
    expect((await handler({ tasks: home.tasks, inline: true })).ok).toBe(true);
  });

  test('a task that could not finish in the time left, even at the fastest speed, is not started', async () => {
    const huge = withDefaults({ n: 1_000_000, seed: 1, initFactor: 1, reg: 'l2', lambdas: [1e-3], epochs: 1_000_000, valSize: 10 });
    const handler = makeHandler({ io: () => memoryBucket(), run: () => expect.fail('started a task that cannot finish') });
    const response = await handler({ tasks: [{ id: taskId(huge), task: huge }], inline: true }, { getRemainingTimeInMillis: () => 900_000 });
    expect(response).toEqual({
      ok: true,
      results: [],
      failures: [{ id: taskId(huge), code: 'WouldTimeOut', message: expect.stringMatching(/^not started: needs about \d+\.\d s, 898\.0 s left in this invocation$/) }],
    });
  });

  test('once tasks have run, their measured pace decides whether the next one fits', async () => {
    // A clock the tasks move: each takes 1000 ms; the invocation has 4500 ms, 2000 of them kept back.
    let clock = 0;
    const seeds = [1, 2, 3].map((seed) => withDefaults({ ...task, seed }));
    const handler = makeHandler({
      io: () => memoryBucket(),
      now: () => clock,
      run: (t, id) => {
        clock += 1000;
        return runTask(t, id);
      },
    });
    const response = await handler({ tasks: seeds.map((t) => ({ id: taskId(t), task: t })), inline: true }, { getRemainingTimeInMillis: () => 4500 - clock });
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    expect(response.results.map((r) => r.id)).toEqual([taskId(seeds[0]), taskId(seeds[1])]);
    expect(response.failures).toEqual([{ id: taskId(seeds[2]), code: 'WouldTimeOut', message: 'not started: needs about 1.0 s, 0.5 s left in this invocation' }]);
  });

  test('without a context (a local run) every task runs', async () => {
    const huge = withDefaults({ ...task, epochs: 1_000_000 });
    let ran = 0;
    const handler = makeHandler({ io: () => memoryBucket(), run: (t, id) => (ran++, { taskId: id, task: t, trainerVersion: 'x', metrics: [], digest: 'd', wallMs: 0 }) });
    expect((await handler({ tasks: [{ id: taskId(huge), task: huge }], inline: true })).ok).toBe(true);
    expect(ran).toBe(1);
  });
});
