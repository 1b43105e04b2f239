/** Every section, in the order they run. */
export const SECTIONS = ['throughput', 'listing', 'storage', 'cli', 'verify', 'postgres', 'bridge'];

/**
 * Per run length: client connections, seconds per row and warm-up, stored todo counts, CLI runs (after an
 * unmeasured one unless `cliWarmupRun` is false), tokens to verify, whether rows overlap start-ups and
 * whether the two tool rows of a server share it.
 */
const PROFILES = {
  full: { connections: 50, duration: 10, warmup: 2, storedSizes: [1_000, 10_000, 100_000], cliRuns: 11, verifyTokens: 1000 },
  quick: { connections: 50, duration: 3, warmup: 1, storedSizes: [1_000, 10_000, 100_000], cliRuns: 5, verifyTokens: 300 },
  // A check that every row runs, in seconds: fewer connections (fewer sessions to open), smaller files
  // (the last one still past the journal threshold), the next server starting during a row, and the two
  // tool rows of a server and mode sharing one server.
  smoke: {
    connections: 10,
    duration: 0.2,
    // Each row ends after this many answers rather than after 0.2 s, so that a row on a busy machine
    // still answers some.
    amount: 40,
    warmup: 0,
    storedSizes: [100, 1_000, 10_000],
    cliRuns: 1,
    cliWarmupRun: false,
    verifyTokens: 20,
    overlap: true,
    shareServers: true,
    // Starting PostgreSQL would double the smoke run's time; `--only postgres` and the full run cover it.
    postgresRows: false,
  },
};

export const USAGE = `Usage: node bench/run.mjs [--quick | --smoke] [--only <section,…>] [--rows <prefix,…>] [--repeat <n>] [--out <file>] [--cpu-prof <dir>]
  --quick        3 s per row instead of 10 s
  --smoke        10 connections, 0.2 s per row, 100/1k/10k stored, 1 CLI run: checks the bench works;
                 its numbers mean little
  --only         run some of: ${SECTIONS.join(', ')} (default: all)
  --rows         run only the load rows whose id starts with one of these, e.g. b-sessions,c-sessions,p-stateless,list-100000,storage-100000
  --repeat       run the load rows n times, interleaved, and keep each row's median run (default 1)
  --out          where to write the JSON results (default: bench/results.json)
  --cpu-prof     profile each server process during its measured run: <dir>/<row id>.cpuprofile`;

/** Parses the bench's command line; throws with the usage text on anything unknown. */
export function parseArgs(argv) {
  const options = { profile: 'full', sections: [...SECTIONS], rows: undefined, repeat: 1, out: undefined, cpuProfDir: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === '--quick' || arg === '--smoke') options.profile = arg.slice(2);
    else if (arg === '--only') {
      options.sections = value().split(',').map((s) => s.trim()).filter(Boolean);
      options.onlyGiven = true;
    }
    else if (arg === '--rows') options.rows = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (arg === '--repeat') {
      options.repeat = Number(value());
      if (!Number.isInteger(options.repeat) || options.repeat < 1 || options.repeat > 20) throw new Error(`--repeat must be an integer 1–20\n${USAGE}`);
    } else if (arg === '--out') options.out = value();
    else if (arg === '--cpu-prof') options.cpuProfDir = value();
    else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  // The smoke run checks that the bench works; starting PostgreSQL and three replicas would triple its time.
  if (options.profile === 'smoke' && !options.onlyGiven) options.sections = options.sections.filter((s) => s !== 'postgres');
  const unknown = options.sections.filter((s) => !SECTIONS.includes(s));
  if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')}\n${USAGE}`);
  return { ...options, timing: PROFILES[options.profile] };
}
