import { generateKeyPair, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { writeFileAtomic } from '../fs/write-file-atomic.js';
import { corruptStateError, readStateFile } from './state-file.js';

/** Logto signs access tokens with an EC P-384 key; so do we, so verifiers are exercised the same way. */
export const SIGNING_ALG = 'ES384';

/** The secrets the provider needs, kept in `keys.json` so tokens and cookies survive a restart. */
export interface DevAuthKeys {
  /** Private JWKs (with `kid`, `alg`, `use`), first one signs. */
  readonly signing: JWK[];
  /** Keys that sign the provider's cookies. */
  readonly cookies: string[];
}

const generateKeyPairAsync = promisify(generateKeyPair);

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPairAsync('ec', { namedCurve: 'P-384' });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  const { kty, crv, x, y } = jwk;
  const kid = await calculateJwkThumbprint({ kty, crv, x, y } as JWK);
  return { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' };
}

function isKeys(value: unknown): value is DevAuthKeys {
  const v = value as Partial<DevAuthKeys> | undefined;
  return (
    Array.isArray(v?.signing) &&
    v.signing.length > 0 &&
    v.signing.every((k) => typeof k === 'object' && k !== null && typeof k.d === 'string' && typeof k.kid === 'string') &&
    Array.isArray(v.cookies) &&
    v.cookies.length > 0 &&
    v.cookies.every((c) => typeof c === 'string' && c.length >= 32)
  );
}

/** Loads `dataDir/keys.json`, creating it (mode 0600) with fresh keys on first start. */
export async function loadOrCreateKeys(dataDir: string): Promise<DevAuthKeys> {
  const path = join(dataDir, 'keys.json');
  const existing = await readStateFile(path);
  if (existing !== undefined) {
    if (!isKeys(existing)) throw await corruptStateError(path, 'does not hold usable keys');
    return existing;
  }
  const keys: DevAuthKeys = {
    signing: [await newSigningKey()],
    cookies: [randomBytes(32).toString('base64url')],
  };
  await writeFileAtomic(path, `${JSON.stringify(keys, null, 2)}\n`);
  return keys;
}
