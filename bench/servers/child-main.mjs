import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * Profiles this process on demand (`profile-start` / `profile-stop` messages), so a profile covers the
 * measured part of a row only: no start-up, no warm-up.
 */
export function createProfiler() {
  let session;
  return {
    async start() {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
    },
    async stop(file) {
      if (!session) return;
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      await writeFile(file, JSON.stringify(profile));
    },
  };
}

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
  answerControl({ stats: running.stats, close: () => void stop() });
  process.on('disconnect', () => void stop());
  process.send({ type: 'ready', ...running.info });
}

/**
 * Answers the bench's messages in a server process: `stats` (this process's resource usage, plus
 * `stats()`'s counters), `profile-start` / `profile-stop`, and `close`.
 */
export function answerControl({ stats = () => ({}), close }) {
  const profiler = createProfiler();
  process.on('message', (message) => {
    if (message?.type === 'stats') {
      const usage = process.resourceUsage();
      process.send({
        type: 'stats',
        maxRssKb: usage.maxRSS,
        rssKb: Math.round(process.memoryUsage().rss / 1024),
        cpuUserMs: usage.userCPUTime / 1000,
        cpuSystemMs: usage.systemCPUTime / 1000,
        ...(stats() ?? {}),
      });
    } else if (message?.type === 'profile-start') {
      profiler.start().then(() => process.send({ type: 'profile-started' }));
    } else if (message?.type === 'profile-stop') {
      profiler.stop(message.file).then(() => process.send({ type: 'profile-stopped' }));
    } else if (message?.type === 'close') {
      close();
    }
  });
}
