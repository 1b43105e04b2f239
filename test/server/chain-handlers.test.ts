import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { chainHandlers } from '../../src/server/chain-handlers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** An app whose /x route is the chain, followed by a fallback route and an error handler that report what ran. */
async function serve(handlers: RequestHandler[]) {
  const app = express();
  app.get('/x', chainHandlers(handlers));
  app.get('/x', (_req, res) => void res.json({ reached: 'after the chain', ran: res.locals.ran }));
  app.use(((error, _req, res, _next) => void res.status(500).json({ error: String(error?.message ?? error), ran: res.locals.ran })) as ErrorRequestHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
  return { status: response.status, body: (await response.json()) as { ran?: string[]; [key: string]: unknown } };
}

const mark = (name: string): RequestHandler => (_req, res, next) => {
  res.locals.ran = [...(res.locals.ran ?? []), name];
  next();
};

describe('chainHandlers', () => {
  it('runs the handlers in order, then continues past the chain', async () => {
    expect(await serve([mark('a'), mark('b'), mark('c')])).toEqual({ status: 200, body: { reached: 'after the chain', ran: ['a', 'b', 'c'] } });
  });

  it('stops at the first handler that answers', async () => {
    const answer: RequestHandler = (_req, res) => void res.status(403).json({ ran: res.locals.ran, answered: true });
    expect(await serve([mark('a'), answer, mark('never')])).toEqual({ status: 403, body: { ran: ['a'], answered: true } });
  });

  it('continues after a handler that calls next later (like a body parser)', async () => {
    const later: RequestHandler = (_req, res, next) => void setTimeout(() => mark('late')(_req, res, next), 10);
    expect((await serve([later, mark('b')])).body.ran).toEqual(['late', 'b']);
  });

  it.each([
    ['passed to next', ((_req, _res, next) => next(new Error('boom'))) as RequestHandler],
    ['thrown', (() => {
      throw new Error('boom');
    }) as RequestHandler],
    ['a rejected promise', (async () => {
      throw new Error('boom');
    }) as RequestHandler],
  ])('sends an error %s to the error handler and runs nothing after it', async (_how, failing) => {
    expect(await serve([mark('a'), failing, mark('never')])).toEqual({ status: 500, body: { error: 'boom', ran: ['a'] } });
  });
});
