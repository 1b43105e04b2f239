import { corruptStateError, readJsonFile, writeFileAtomic } from './atomic-file.js';
export async function openJsonStateStore(options) {
    const now = options.now ?? Date.now;
    const entries = new Map();
    const loaded = await readJsonFile(options.path);
    if (loaded !== undefined) {
        const file = loaded;
        if (file.version !== 1 || typeof file.entries !== 'object' || file.entries === null) {
            throw await corruptStateError(options.path, 'is not a state file this version understands');
        }
        for (const [key, entry] of Object.entries(file.entries))
            entries.set(key, entry);
    }
    const live = (entry) => entry !== undefined && (entry.expiresAt === undefined || entry.expiresAt > now()) ? entry : undefined;
    let inFlight;
    let queued;
    async function writeSnapshot() {
        const snapshot = { version: 1, entries: {} };
        for (const [key, entry] of entries) {
            if (live(entry))
                snapshot.entries[key] = entry;
            else
                entries.delete(key);
        }
        await writeFileAtomic(options.path, JSON.stringify(snapshot));
    }
    function persist() {
        if (queued)
            return queued;
        const run = async () => {
            await inFlight?.catch(() => undefined);
            // From here on the snapshot is taken synchronously: later changes need the next write.
            queued = undefined;
            const write = writeSnapshot();
            inFlight = write;
            try {
                await write;
            }
            finally {
                if (inFlight === write)
                    inFlight = undefined;
            }
        };
        queued = run();
        return queued;
    }
    return {
        get: (key) => live(entries.get(key)),
        set(key, entry) {
            entries.set(key, entry);
            return persist();
        },
        deleteWhere(predicate) {
            let changed = false;
            for (const [key, entry] of entries) {
                if (predicate(key, entry)) {
                    entries.delete(key);
                    changed = true;
                }
            }
            return changed ? persist() : Promise.resolve();
        },
        scan: (prefix) => [...entries].filter(([key, entry]) => key.startsWith(prefix) && live(entry)),
        async flush() {
            await queued;
            await inFlight;
        },
    };
}
//# sourceMappingURL=json-state-store.js.map