/**
 * `commit` receives a batch in submission order and returns one result per item; if it throws, every item
 * of the batch is rejected with that error and the next batch is tried afresh.
 */
export function createGroupCommit(commit) {
    let queue = [];
    let running;
    async function run() {
        // Wait until the queued promise callbacks have run: calls made in the same tick, and callers whose
        // previous call just resolved and who call again at once, then share one commit. process.nextTick
        // rather than a timer, so tests that fake timers do not stall the store.
        await new Promise((resolve) => process.nextTick(resolve));
        while (queue.length > 0) {
            const batch = queue;
            queue = [];
            try {
                const results = await commit(batch.map((entry) => entry.item));
                batch.forEach((entry, index) => entry.resolve(results[index]));
            }
            catch (error) {
                for (const entry of batch)
                    entry.reject(error);
            }
        }
        running = undefined;
    }
    return {
        submit(item) {
            return new Promise((resolve, reject) => {
                queue.push({ item, resolve, reject });
                running ??= run();
            });
        },
        async idle() {
            while (running !== undefined)
                await running;
        },
    };
}
//# sourceMappingURL=group-commit.js.map