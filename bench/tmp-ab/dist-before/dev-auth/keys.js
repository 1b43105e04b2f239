import { generateKeyPair, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { calculateJwkThumbprint } from 'jose';
import { corruptStateError, readJsonFile, writeFileAtomic } from './atomic-file.js';
/** Logto signs access tokens with an EC P-384 key; so do we, so verifiers are exercised the same way. */
export const SIGNING_ALG = 'ES384';
const generateKeyPairAsync = promisify(generateKeyPair);
async function newSigningKey() {
    const { privateKey } = await generateKeyPairAsync('ec', { namedCurve: 'P-384' });
    const jwk = privateKey.export({ format: 'jwk' });
    const { kty, crv, x, y } = jwk;
    const kid = await calculateJwkThumbprint({ kty, crv, x, y });
    return { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' };
}
function isKeys(value) {
    const v = value;
    return (Array.isArray(v?.signing) &&
        v.signing.length > 0 &&
        v.signing.every((k) => typeof k === 'object' && k !== null && typeof k.d === 'string' && typeof k.kid === 'string') &&
        Array.isArray(v.cookies) &&
        v.cookies.length > 0 &&
        v.cookies.every((c) => typeof c === 'string' && c.length >= 32));
}
/** Loads `dataDir/keys.json`, creating it (mode 0600) with fresh keys on first start. */
export async function loadOrCreateKeys(dataDir) {
    const path = join(dataDir, 'keys.json');
    const existing = await readJsonFile(path);
    if (existing !== undefined) {
        if (!isKeys(existing))
            throw await corruptStateError(path, 'does not hold usable keys');
        return existing;
    }
    const keys = {
        signing: [await newSigningKey()],
        cookies: [randomBytes(32).toString('base64url')],
    };
    await writeFileAtomic(path, `${JSON.stringify(keys, null, 2)}\n`);
    return keys;
}
//# sourceMappingURL=keys.js.map