/**
 * The common life of a bench server process: read options (JSON in argv[2]), start, tell the parent
 * `{ type: 'ready', ...info }`, answer `stats` with this process's resource usage, and exit on `close`
 * or when the parent goes away. Each server runs in its own process so the load generator (in the
 * parent) never shares an event loop with it, and its peak memory is its own.
 */
export async function runChild(start) {
  const options = JSON.parse(process.argv[2] ?? '{}');
  let running;
  try {
    running = await start(options);
  } catch (error) {
    process.send?.({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  }
  const stop = async () => {
    await running.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('message', (message) => {
    if (message?.type === 'stats') {
      const usage = process.resourceUsage();
      process.send({
        type: 'stats',
        maxRssKb: usage.maxRSS,
        rssKb: Math.round(process.memoryUsage().rss / 1024),
        cpuUserMs: Math.round(usage.userCPUTime / 1000),
        cpuSystemMs: Math.round(usage.systemCPUTime / 1000),
        ...(running.stats?.() ?? {}),
      });
    } else if (message?.type === 'close') {
      void stop();
    }
  });
  process.on('disconnect', () => void stop());
  process.send({ type: 'ready', ...running.info });
}
