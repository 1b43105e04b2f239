import { MAX_PAGE_LIMIT, type PageQuery } from './todo-repository.js';

/** A page query both stores accept, checked the same way: a TypeError names what is wrong. */
export function checkPageQuery(query: PageQuery): PageQuery {
  const { ownerId, limit, after } = query ?? ({} as PageQuery);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) throw new TypeError(`limit must be an integer from 1 to ${MAX_PAGE_LIMIT}, got ${String(limit)}`);
  if (ownerId !== undefined && (typeof ownerId !== 'string' || ownerId === '')) throw new TypeError('ownerId must be a non-empty string');
  if (after !== undefined) {
    if (typeof after?.id !== 'string' || after.id === '') throw new TypeError('after.id must be a non-empty string');
    if (typeof after.createdAt !== 'string' || Number.isNaN(Date.parse(after.createdAt))) throw new TypeError('after.createdAt must be an ISO 8601 time');
  }
  return { ownerId, limit, after };
}
