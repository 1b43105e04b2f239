/** Renders rows as a Markdown table (it reads well in a terminal and pastes into the README as is). */
export function markdownTable(header, rows) {
  const cells = [header, ...rows].map((row) => row.map((cell) => (cell === undefined || cell === null ? '–' : String(cell))));
  const widths = header.map((_, col) => Math.max(...cells.map((row) => row[col].length)));
  const line = (row) => `| ${row.map((cell, col) => cell.padEnd(widths[col])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

const failed = (r) => `${r.errors + r.timeouts}/${r.non2xx}/${r.mismatches}`;
/** req/s, with the spread of the runs when the row was repeated. */
const rate = (r) => (r.runs ? `${r.reqPerSec} (${Math.min(...r.runs)}–${Math.max(...r.runs)})` : r.reqPerSec);
const verdict = (ok) => (ok ? 'met' : 'MISSED');

/** Each target of a row, as `name ≥ x met|MISSED`. */
const targets = (r) => (r.targets ?? []).map((t) => `${t.name} ≥ ${t.target} ${verdict(t.met)}`).join('; ');

export function throughputTable(rows) {
  return markdownTable(
    ['row', 'server', 'store', 'log', 'mode', 'tool', 'req/s', 'p50 ms', 'p99 ms', 'err/non2xx/bad', 'CPU µs/req', 'PostgreSQL µs/req', 'peak RSS MiB', 'c/b', 'c/a', 'c/b by CPU', 'log on/off', 'pg/json', 'pg/json by CPU', 'targets'],
    rows.map((r) => [
      r.id.split('-')[0],
      r.server,
      r.store ?? '–',
      r.log ?? '–',
      r.mode,
      r.tool,
      rate(r),
      r.p50Ms,
      r.p99Ms,
      failed(r),
      r.cpuUsPerReq,
      r.postgresCpuUsPerReq ?? '–',
      r.maxRssMb,
      r.ratioCB,
      r.ratioCA,
      r.ratioCBcpu,
      r.ratioLogOnOff,
      r.ratioPgJson,
      r.ratioPgJsonCpu ?? '–',
      targets(r),
    ]),
  );
}

/**
 * A section measured over growing stored sizes (listing, storage): one row per size, each compared with the
 * first, and the section's target verdict on the last row.
 */
export function growthTable(section) {
  return markdownTable(
    ['stored todos', 'req/s', 'p50 ms', 'p99 ms', 'err/non2xx/bad', 'CPU µs/req', 'peak RSS MiB', 'start ms', 'vs first', 'target'],
    section.rows.map((r, i) => [
      r.stored.toLocaleString('en'),
      rate(r),
      r.p50Ms,
      r.p99Ms,
      failed(r),
      r.cpuUsPerReq,
      r.maxRssMb,
      r.startMs,
      r.ratioToFirst,
      i === section.rows.length - 1 && section.meetsTarget !== null ? `≥ ${section.target} ${verdict(section.meetsTarget)}` : '',
    ]),
  );
}

export function cliTable(cli) {
  const row = (name, r) => [name, r.medianMs, r.minMs, r.maxMs, r.runs, r.targetTimesNode === undefined ? 'reference' : `≤ ${r.targetTimesNode}× node -e 0 ${verdict(r.meetsTarget)} (${r.timesNode}×)`];
  const rows = [
    row('node -e 0 (Node start-up alone, same env)', cli.nodeFloor),
    row('todo-mcp --help', cli.help),
    row('node: require dist/bundle/main.cjs + hot.cjs only', cli.loadCall),
    row('todo-mcp call get-todos (token cached)', cli.call),
  ];
  for (const stored of cli.stored ?? []) {
    const target = stored.target === undefined ? 'reference' : `≤ ${stored.target}× the first ${verdict(stored.meetsTarget)} (${stored.ratioToFirst}×)`;
    rows.push([`call get-todos as admin, ${stored.stored.toLocaleString('en')} stored (one page)`, stored.medianMs, stored.minMs, stored.maxMs, stored.runs, target]);
  }
  return markdownTable(['command', 'median ms', 'min ms', 'max ms', 'runs', 'target'], rows);
}

export function verifyTable(v) {
  return markdownTable(['verification (ES384)', 'value'], [
    ['first verify, incl. JWKS fetch', `${v.firstVerifyUs} µs`],
    [`signature check, ${v.tokens} distinct tokens (median / mean)`, `${v.signatureMedianUs} / ${v.signatureMeanUs} µs`],
    ['same tokens again, from cache (median / mean)', `${v.cachedMedianUs} / ${v.cachedMeanUs} µs`],
    ['JWKS fetches (issuer count / verifier count)', `${v.jwksFetchesSeenByIssuer} / ${v.verifierStats.jwksFetches}`],
    ['signature checks / cache hits', `${v.verifierStats.signatureChecks} / ${v.verifierStats.cacheHits}`],
  ]);
}
