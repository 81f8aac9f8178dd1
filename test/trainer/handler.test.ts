import { describe, expect, test } from 'vitest';
import type { TrainerResponse } from '../../functions/handler.js';
import { makeHandler } from '../../functions/handler.js';
import type { ObjectIO } from '../../functions/results.js';
import { parseResult } from '../../functions/results.js';
import { cellId, taskId } from '../../functions/trainer/ids.js';
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
  ];
  test.each(bad)('a malformed event (%s) gets { code, message } naming the field', async (_name, event, field) => {
    expectError(await makeHandler({ io: () => memoryBucket() })(event), field);
  });
});
