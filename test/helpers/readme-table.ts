import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/**
 * The first Markdown table after the heading `heading` in README.md whose first column is headed
 * `firstColumn`, as rows of trimmed cells (header and separator dropped). Cells keep their Markdown
 * (backticks); `\|` inside a cell is an escaped pipe.
 */
export function readmeTable(heading: string, firstColumn: string): string[][] {
  const lines = readFileSync(README, 'utf8').split('\n');
  const start = lines.findIndex((line) => /^#+ /.test(line) && line.replace(/^#+ /, '').trim() === heading);
  if (start < 0) throw new Error(`README.md has no heading "${heading}"`);
  const isHeader = (line: string, i: number) => i > start && line.startsWith('|') && !lines[i - 1]!.startsWith('|') && line.split('|')[1]!.trim() === firstColumn;
  const first = lines.findIndex(isHeader);
  if (first < 0) throw new Error(`README.md has no table headed "${firstColumn}" after "${heading}"`);
  const rows: string[][] = [];
  for (let i = first + 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
    const cells = lines[i]!.replace(/\\\|/g, '\u0000').split('|').slice(1, -1);
    rows.push(cells.map((cell) => cell.replace(/\u0000/g, '|').trim()));
  }
  return rows;
}
