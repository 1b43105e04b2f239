/**
 * x/y for two rows. With repeated runs (`runs`: req/s per round, in round order) it is the median of the
 * per-round ratios: rows of one round ran minutes apart at most and shared the machine's conditions, so
 * outside load that comes and goes cancels out better than in a ratio of two medians.
 */
export function ratio(x, y, key = 'reqPerSec') {
  if (!x || !y) return null;
  if (key === 'reqPerSec' && x.runs && y.runs && x.runs.length === y.runs.length) {
    const perRound = x.runs.map((value, i) => (y.runs[i] > 0 ? value / y.runs[i] : undefined)).filter((r) => r !== undefined);
    if (perRound.length === 0) return null;
    perRound.sort((p, q) => p - q);
    const mid = perRound.length >> 1;
    return round2(perRound.length % 2 ? perRound[mid] : (perRound[mid - 1] + perRound[mid]) / 2);
  }
  return x[key] > 0 && y[key] > 0 ? round2(x[key] / y[key]) : null;
}

export function round2(value) {
  return Math.round(value * 100) / 100;
}
