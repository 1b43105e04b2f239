import type { TokenEntry } from '../client/token-store.js';

/** Record fields holding the `sub` of a record's owner (get-todos' `ownerId`). */
const OWNER_FIELDS: readonly string[] = ['ownerId'];

/**
 * Who a login is, for people: `alice (sub dwez64nl97sk)` when the ID token named them, else the `sub`
 * alone (what the MCP server knows them by). Undefined when neither is known.
 */
export function userLabel(entry: Pick<TokenEntry, 'subject' | 'name'>): string | undefined {
  if (!entry.subject) return undefined;
  return entry.name ? `${entry.name} (sub ${entry.subject})` : entry.subject;
}

/**
 * Records with the signed-in user's own owner id shown as {@link userLabel}. Other owners keep their
 * `sub`: this client knows only its own user's name, and the server never hands out names.
 */
export function labelOwnRecords(records: readonly Record<string, unknown>[], entry: Pick<TokenEntry, 'subject' | 'name'> | undefined): Record<string, unknown>[] {
  const label = entry ? userLabel(entry) : undefined;
  if (!entry?.subject || !entry.name || !label) return [...records];
  return records.map((record) => {
    const own = OWNER_FIELDS.filter((field) => record[field] === entry.subject);
    return own.length === 0 ? record : { ...record, ...Object.fromEntries(own.map((field) => [field, label])) };
  });
}
