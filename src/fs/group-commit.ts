/**
 * The one coalesced durable writer: serialises writes and coalesces them, so everything submitted while a
 * commit is in flight goes into ONE following commit. With N concurrent callers a store pays one fsync
 * per batch instead of N, which is what keeps throughput up when each commit costs a full fsync; and a
 * caller's promise settles only once the commit holding its item is on disk (or failed).
 */
export interface GroupCommit<I, R> {
  /** Queues `item`; settles with its result once the batch holding it is committed (or failed). */
  submit(item: I): Promise<R>;
  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void>;
}

/**
 * `commit` receives a batch in submission order and returns one result per item; if it throws, every item
 * of the batch is rejected with that error and the next batch is tried afresh.
 */
export function createGroupCommit<I, R>(commit: (items: readonly I[]) => Promise<readonly R[]>): GroupCommit<I, R> {
  interface Entry {
    readonly item: I;
    readonly resolve: (result: R) => void;
    readonly reject: (error: unknown) => void;
  }
  let queue: Entry[] = [];
  let running: Promise<void> | undefined;

  async function run(): Promise<void> {
    // Wait until the queued promise callbacks have run: calls made in the same tick, and callers whose
    // previous call just resolved and who call again at once, then share one commit. process.nextTick
    // rather than a timer, so tests that fake timers do not stall the store.
    await new Promise<void>((resolve) => process.nextTick(resolve));
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const results = await commit(batch.map((entry) => entry.item));
        batch.forEach((entry, index) => entry.resolve(results[index] as R));
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    running = undefined;
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        running ??= run();
      });
    },
    async idle() {
      while (running !== undefined) await running;
    },
  };
}
