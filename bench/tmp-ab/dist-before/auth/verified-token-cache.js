import { createHash } from 'node:crypto';
export function createVerifiedTokenCache(options = {}) {
    const max = options.max ?? 10_000;
    if (!Number.isInteger(max) || max < 0)
        throw new TypeError('cacheMax must be a non-negative integer');
    // A Map iterates in insertion order: re-inserting on a hit makes its first key the least recently used.
    const entries = new Map();
    return {
        keyOf: (token) => createHash('sha256').update(token).digest('base64url'),
        get(key) {
            const identity = entries.get(key);
            if (identity !== undefined) {
                entries.delete(key);
                entries.set(key, identity);
            }
            return identity;
        },
        set(key, identity) {
            if (max === 0)
                return;
            entries.delete(key);
            entries.set(key, identity);
            while (entries.size > max) {
                const oldest = entries.keys().next();
                if (oldest.done)
                    break;
                entries.delete(oldest.value);
            }
        },
        delete(key) {
            entries.delete(key);
        },
        get size() {
            return entries.size;
        },
    };
}
//# sourceMappingURL=verified-token-cache.js.map