import type { ChalkInstance } from 'chalk';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // One row per record: line breaks inside a value would break the columns.
  return text.replace(/\s*\n\s*/g, ' ');
}

/** A plain-text table of flat records: a header row, then one aligned row per record. */
export function formatTable(rows: readonly Record<string, unknown>[], paint: ChalkInstance): string[] {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) => columns.map((column) => cell(row[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd();
  const header = line(columns.map((c) => c.toUpperCase()));
  return [paint.bold(header), ...cells.map(line)];
}

/** The single array of records inside structured content (e.g. get-todos' `todos`), if there is exactly one. */
export function recordList(structured: unknown): Record<string, unknown>[] | undefined {
  if (typeof structured !== 'object' || structured === null) return undefined;
  const lists = Object.values(structured).filter(
    (value): value is Record<string, unknown>[] =>
      Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item)),
  );
  return lists.length === 1 ? lists[0] : undefined;
}
