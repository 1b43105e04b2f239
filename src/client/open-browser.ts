import { spawn } from 'node:child_process';

export interface OpenBrowserOptions {
  /**
   * A browser command such as `$BROWSER` (`firefox`, `curl -sL -o /dev/null`): split into words like a
   * shell would (quotes, backslashes) but never run by a shell; `%s` is replaced by the URL, otherwise
   * the URL is appended. Default: the platform's opener.
   */
  readonly command?: string;
  /** Platform whose opener to use without a command. Default: `process.platform`. */
  readonly platform?: NodeJS.Platform;
  /**
   * Aborting it (Ctrl-C during the login) ends the browser command if it still runs, with everything it
   * started (its process group), so nothing is left trying to reach a login that no longer waits. Default: none.
   */
  readonly signal?: AbortSignal;
}

/** Splits a command line into words: whitespace separates, quotes group, backslash escapes (outside single quotes). */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function platformOpener(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  // rundll32 takes the URL as one argument, so no cmd.exe quoting rules (& in the query) apply.
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', url]];
  return ['xdg-open', [url]];
}

/**
 * Starts a browser on `url` and returns without waiting for it (browsers may run for hours). Resolves
 * `{ opened: false, reason }` when the command could not be started, so the caller can ask the user to
 * open the URL by hand; the URL never passes through a shell.
 */
export function openBrowser(url: string, options: OpenBrowserOptions = {}): Promise<{ opened: boolean; reason?: string }> {
  let file: string;
  let args: string[];
  const words = options.command ? splitCommand(options.command) : [];
  if (words.length > 0) {
    const hasPlaceholder = words.some((w) => w.includes('%s'));
    const filled = words.map((w) => w.replaceAll('%s', url));
    [file, args] = [filled[0]!, hasPlaceholder ? filled.slice(1) : [...filled.slice(1), url]];
  } else {
    [file, args] = platformOpener(options.platform ?? process.platform, url);
  }
  const { signal } = options;
  if (signal?.aborted) return Promise.resolve({ opened: false, reason: 'the login was interrupted' });
  return new Promise((resolve) => {
    // Detached: the browser must not die with the terminal's Ctrl-C by accident, only when we end it.
    const child = spawn(file, args, { stdio: 'ignore', detached: true });
    const stop = () => endProcessGroup(child.pid);
    child.once('error', (error) => resolve({ opened: false, reason: `${file}: ${error.message}` }));
    child.once('spawn', () => {
      child.unref();
      signal?.addEventListener('abort', stop, { once: true });
      resolve({ opened: true });
    });
    child.once('exit', () => signal?.removeEventListener('abort', stop));
  });
}

/** SIGTERM to the process group a detached child leads (its own children too), or to the child alone on Windows. */
function endProcessGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGTERM');
  } catch {
    // Gone already.
  }
}
