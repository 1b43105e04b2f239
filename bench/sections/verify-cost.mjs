import { createTokenVerifier } from '../../dist/auth/token-verifier.js';
import { startBenchIssuer } from '../lib/issuer.mjs';

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timeEach(verifier, tokens) {
  const micros = [];
  for (const token of tokens) {
    const started = process.hrtime.bigint();
    await verifier.verify(token);
    micros.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  return { medianUs: Math.round(median(micros)), meanUs: Math.round(micros.reduce((s, x) => s + x, 0) / micros.length) };
}

/**
 * Section 4: what verifying costs, with todo-mcp's verifier against the bench issuer (ES384, as Logto).
 * `distinct` tokens are each verified once (signature check), then all again (answered from the
 * verified-token cache). The issuer counts JWKS requests: one per key is the target.
 */
export async function runVerifyCost({ tokens: count, log }) {
  const audience = 'http://localhost:3001';
  const issuer = await startBenchIssuer();
  try {
    return await measure({ issuer, audience, count, log });
  } finally {
    await issuer.close();
  }
}

async function measure({ issuer, audience, count, log }) {
  const verifier = createTokenVerifier({ issuer: issuer.issuer, audience, jwksUri: issuer.metadata.jwks_uri });
  const tokens = [];
  for (let i = 0; i < count + 1; i += 1) tokens.push(await issuer.sign({ audience, sub: `verify-user-${i}` }));

  // The first verification also fetches the JWKS; it is reported apart from the steady state.
  const coldStarted = process.hrtime.bigint();
  await verifier.verify(tokens[0]);
  const firstUs = Math.round(Number(process.hrtime.bigint() - coldStarted) / 1000);
  const distinct = await timeEach(verifier, tokens.slice(1));
  const cached = await timeEach(verifier, tokens.slice(1));
  const result = {
    tokens: count,
    alg: 'ES384',
    firstVerifyUs: firstUs,
    signatureMedianUs: distinct.medianUs,
    signatureMeanUs: distinct.meanUs,
    cachedMedianUs: cached.medianUs,
    cachedMeanUs: cached.meanUs,
    jwksFetchesSeenByIssuer: issuer.jwksFetches,
    verifierStats: { jwksFetches: verifier.stats.jwksFetches, signatureChecks: verifier.stats.signatureChecks, cacheHits: verifier.stats.cacheHits },
  };
  log(`verification: ${count} distinct ES384 tokens, median ${result.signatureMedianUs} µs each; cached ${result.cachedMedianUs} µs; JWKS fetched ${result.jwksFetchesSeenByIssuer}×`);
  return result;
}
