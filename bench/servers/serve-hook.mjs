// Loaded with `node --import` into a real `todo-mcp serve` process started by the bench (over an IPC
// channel): it answers the bench's `stats` and profiling messages, and nothing else. The server itself
// runs exactly as the CLI starts it; the bench stops it with SIGTERM, as a process manager does.
import { answerControl } from './child-main.mjs';

if (process.send) {
  answerControl({ close: () => process.kill(process.pid, 'SIGTERM') });
  // Orphaned (the bench died): stop as on SIGTERM rather than serve forever.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // The channel must not keep the process alive once serve has shut down.
  process.channel?.unref();
}
