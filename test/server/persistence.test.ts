import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('durable todos', () => {
  it('200 concurrent create-todo calls give 200 todos on disk', async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, async (_, i) => t.connect(await t.token(`user-${i}`, 'create:todos'))));
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => clients[i % clients.length]!.callTool({ name: 'create-todo', arguments: { content: `todo ${i}` } })),
    );
    expect(results.filter((r) => r.isError)).toEqual([]);
    const onDisk = JSON.parse(await readFile(t.dataFile, 'utf8')) as { todos: Array<{ content: string }> };
    expect(onDisk.todos).toHaveLength(200);
    expect(new Set(onDisk.todos.map((todo) => todo.content)).size).toBe(200);
  });

  it('todos survive a restart', async () => {
    const admin = await t.connect(await t.token('admin', 'create:todos read:todos delete:todos'));
    const created = await admin.callTool({ name: 'create-todo', arguments: { content: 'survives restart' } });
    const id = (created.structuredContent as { todo: { id: string } }).todo.id;
    await t.restart();
    const again = await t.connect(await t.token('admin', 'create:todos read:todos delete:todos'));
    const listed = await again.callTool({ name: 'get-todos', arguments: { limit: 1000 } });
    const todos = (listed.structuredContent as { todos: Array<{ id: string }> }).todos;
    expect(todos.some((todo) => todo.id === id)).toBe(true);
    expect(todos.length).toBe(201);
  });
});
