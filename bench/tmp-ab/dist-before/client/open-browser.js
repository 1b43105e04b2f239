import { spawn } from 'node:child_process';
/** Splits a command line into words: whitespace separates, quotes group, backslash escapes (outside single quotes). */
export function splitCommand(line) {
    const words = [];
    let word = '';
    let inWord = false;
    let quote;
    for (let i = 0; i < line.length; i += 1) {
        const c = line[i];
        if (quote) {
            if (c === quote)
                quote = undefined;
            else if (c === '\\' && quote === '"' && i + 1 < line.length)
                word += line[++i];
            else
                word += c;
        }
        else if (c === '"' || c === "'") {
            quote = c;
            inWord = true;
        }
        else if (c === '\\' && i + 1 < line.length) {
            word += line[++i];
            inWord = true;
        }
        else if (/\s/.test(c)) {
            if (inWord)
                words.push(word);
            word = '';
            inWord = false;
        }
        else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        words.push(word);
    return words;
}
function platformOpener(platform, url) {
    if (platform === 'darwin')
        return ['open', [url]];
    // rundll32 takes the URL as one argument, so no cmd.exe quoting rules (& in the query) apply.
    if (platform === 'win32')
        return ['rundll32', ['url.dll,FileProtocolHandler', url]];
    return ['xdg-open', [url]];
}
/**
 * Starts a browser on `url` and returns without waiting for it (browsers may run for hours). Resolves
 * `{ opened: false, reason }` when the command could not be started, so the caller can ask the user to
 * open the URL by hand; the URL never passes through a shell.
 */
export function openBrowser(url, options = {}) {
    let file;
    let args;
    const words = options.command ? splitCommand(options.command) : [];
    if (words.length > 0) {
        const hasPlaceholder = words.some((w) => w.includes('%s'));
        const filled = words.map((w) => w.replaceAll('%s', url));
        [file, args] = [filled[0], hasPlaceholder ? filled.slice(1) : [...filled.slice(1), url]];
    }
    else {
        [file, args] = platformOpener(options.platform ?? process.platform, url);
    }
    return new Promise((resolve) => {
        const child = spawn(file, args, { stdio: 'ignore', detached: true });
        child.once('error', (error) => resolve({ opened: false, reason: `${file}: ${error.message}` }));
        child.once('spawn', () => {
            child.unref();
            resolve({ opened: true });
        });
    });
}
//# sourceMappingURL=open-browser.js.map