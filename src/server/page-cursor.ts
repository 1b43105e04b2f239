import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PagePosition } from '../store/todo-repository.js';

/** Longest cursor accepted: ours are about 110 characters; anything far longer was not made here. */
export const MAX_CURSOR_LENGTH = 512;
const MAC_BYTES = 16;
const VERSION = 'todo-mcp page cursor v1';

/**
 * Page cursors for get-todos: opaque to clients, bound to who may use them. A cursor carries the position
 * the next page starts after (the last todo's createdAt and id, which its holder has already seen) and a
 * MAC over that position and the caller's binding (their subject and what they may list), keyed by the
 * store's secret. A changed byte, a cursor issued to someone else or for another listing, or one from
 * another store is refused; a cursor never widens what the caller may see, since the caller's own filter
 * applies to every page anyway.
 */
export interface PageCursors {
  encode(position: PagePosition, binding: string): string;
  /** The position, or undefined when the cursor was not issued by this store for this binding. */
  decode(cursor: string, binding: string): PagePosition | undefined;
}

export function createPageCursors(options: { secret: Uint8Array }): PageCursors {
  if (!(options.secret instanceof Uint8Array) || options.secret.length < 32) throw new TypeError('secret must be at least 32 bytes');
  const secret = Buffer.from(options.secret);
  const mac = (payload: string, binding: string) =>
    createHmac('sha256', secret).update(`${VERSION}\n${binding}\n${payload}`).digest().subarray(0, MAC_BYTES);

  return {
    encode(position, binding) {
      const payload = `${position.createdAt}\n${position.id}`;
      return `${Buffer.from(payload).toString('base64url')}.${mac(payload, binding).toString('base64url')}`;
    },
    decode(cursor, binding) {
      if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH) return undefined;
      const dot = cursor.indexOf('.');
      if (dot <= 0) return undefined;
      const payload = Buffer.from(cursor.slice(0, dot), 'base64url').toString('utf8');
      const given = Buffer.from(cursor.slice(dot + 1), 'base64url');
      // Re-encoding must give the same text: base64url decoding ignores stray characters, a MAC check must not.
      if (`${Buffer.from(payload).toString('base64url')}.${given.toString('base64url')}` !== cursor) return undefined;
      if (given.length !== MAC_BYTES || !timingSafeEqual(given, mac(payload, binding))) return undefined;
      const [createdAt, id, ...rest] = payload.split('\n');
      if (createdAt === undefined || id === undefined || id === '' || rest.length > 0 || Number.isNaN(Date.parse(createdAt))) return undefined;
      return { createdAt, id };
    },
  };
}
