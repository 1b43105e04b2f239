/**
 * Reads the README's quick start as a script. What it understands (so the README can stay prose):
 * - the section starts at a `## Quick start…` heading and ends at the next `## ` heading;
 * - every line of a ```sh / ```bash / ```shell / ```console fence is one command (`$ ` prompts and
 *   `\` continuations allowed, `#` starts a comment); each runs in its own shell, in order;
 * - a ```text / ```output fence right after a command fence shows output of that fence's commands:
 *   each non-blank line must appear in it; `<anything>` and `…` match any text, an abbreviated id
 *   (`3f0c…`) any id, an ISO timestamp any timestamp, and runs of spaces any spacing;
 * - `<id>` / `<id from get-todos>` in a command stands for the id of the todo created last;
 * - the user a login is for is named in its comment (`# as alice`) or, failing that, in the prose just
 *   before its fence (the first of admin/alice/bob, bold or not);
 * - a comment like `# exits 4` sets the expected exit status (default 0).
 */
export interface ReadmeStep {
  /** 1-based position among the steps. */
  index: number;
  /** 1-based number of the command fence the step comes from. */
  fence: number;
  /** True for the last command of its fence (where that fence's output is checked). */
  lastOfFence: boolean;
  /** The command as written (placeholders intact, comment removed). */
  command: string;
  /** The trailing comment, without `#`. */
  comment: string;
  /** The prose between the previous fence and this step's fence. */
  prose: string;
  /** Lines the fence's combined output must show (on the last step of a fence only). */
  expectedOutput: string[];
}

const COMMAND_FENCES = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);
const OUTPUT_FENCES = new Set(['text', 'output', 'plaintext', 'txt']);

/** The steps of the section whose `## ` heading matches `heading`. */
export function readmeSteps(markdown: string, heading: RegExp = /^##\s+Quick start\b/i): ReadmeStep[] {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) return [];
  const endOffset = lines.slice(start + 1).findIndex((l) => /^##\s/.test(l));
  const section = lines.slice(start + 1, endOffset < 0 ? undefined : start + 1 + endOffset);

  const steps: ReadmeStep[] = [];
  let fence = 0;
  let lastFenceSteps: ReadmeStep[] = [];
  let prose: string[] = [];
  for (let i = 0; i < section.length; i += 1) {
    const open = /^\s*```(\w*)\s*$/.exec(section[i]!);
    if (!open) {
      prose.push(section[i]!);
      continue;
    }
    const body: string[] = [];
    for (i += 1; i < section.length && !/^\s*```\s*$/.test(section[i]!); i += 1) body.push(section[i]!);
    const lang = open[1]!.toLowerCase();
    if (COMMAND_FENCES.has(lang)) {
      fence += 1;
      lastFenceSteps = commandsOf(body).map(({ command, comment }, n) => ({
        index: steps.length + n + 1,
        fence,
        lastOfFence: false,
        command,
        comment,
        prose: prose.join('\n').trim(),
        expectedOutput: [],
      }));
      if (lastFenceSteps.length) lastFenceSteps.at(-1)!.lastOfFence = true;
      steps.push(...lastFenceSteps);
    } else if (OUTPUT_FENCES.has(lang) && lastFenceSteps.length) {
      lastFenceSteps.at(-1)!.expectedOutput.push(...body.filter((l) => l.trim() !== ''));
    }
    prose = [];
  }
  return steps;
}

function commandsOf(body: string[]): Array<{ command: string; comment: string }> {
  const out: Array<{ command: string; comment: string }> = [];
  let pending = '';
  for (const raw of body) {
    const line = raw.replace(/^\s*\$\s+/, '');
    if (!pending && /^\s*(#|$)/.test(line)) continue;
    const { code, comment } = splitComment(line);
    if (/\\\s*$/.test(code)) {
      pending += `${code.replace(/\\\s*$/, '')} `;
      continue;
    }
    out.push({ command: `${pending}${code}`.trim(), comment });
    pending = '';
  }
  return out;
}

/** Splits at the first `#` that starts a shell comment (after whitespace, outside quotes). */
export function splitComment(line: string): { code: string; comment: string } {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i += 1;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '\\') {
      i += 1;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return { code: line.slice(0, i).trimEnd(), comment: line.slice(i + 1).trim() };
    }
  }
  return { code: line.trimEnd(), comment: '' };
}

// Order matters: placeholders first, then abbreviated ids, timestamps and bare ellipses.
const WILDCARDS: Array<[RegExp, string]> = [
  [/<[^<>\s][^<>]*>/, '.*?'],
  [/\b[0-9a-f]{2,}(?:…|\.\.\.)/, '[0-9a-f-]+'],
  [/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/, '\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z'],
  [/…|\.\.\./, '.*?'],
];

/** A README output line as a pattern (see the module comment for what counts as a wildcard). */
export function outputLinePattern(line: string): RegExp {
  const any = new RegExp(WILDCARDS.map(([re]) => `(${re.source})`).join('|'), 'g');
  let source = '';
  let last = 0;
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  const text = line.trim();
  for (const match of text.matchAll(any)) {
    source += literal(text.slice(last, match.index));
    const which = match.slice(1).findIndex((group) => group !== undefined);
    source += WILDCARDS[which]![1];
    last = match.index! + match[0].length;
  }
  return new RegExp(source + literal(text.slice(last)));
}

/** The exit status a step's comment announces (`exits 4`, `exit code 3`), default 0. */
export function expectedExit(comment: string): number {
  const match = /\bexit(?:s| code| status)?\s+(\d+)\b/i.exec(comment);
  return match ? Number(match[1]) : 0;
}
