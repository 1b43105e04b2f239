/** Models whose artefacts hang off a grant and die with it (revocation, refresh-token reuse). */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
const copy = (payload) => structuredClone(payload);
/**
 * oidc-provider's storage interface over the JSON state store. Returns copies so that nothing the
 * provider mutates in memory is persisted unless it is saved through `upsert`/`consume`.
 */
export function createJsonAdapterFactory(store, now = Date.now) {
    return (model) => {
        const key = (id) => `${model}:${id}`;
        const findBy = (field, value) => {
            const hit = store.scan(`${model}:`).find(([, entry]) => entry.payload[field] === value);
            return hit ? copy(hit[1].payload) : undefined;
        };
        return {
            async upsert(id, payload, expiresIn) {
                const entry = expiresIn > 0 ? { payload: copy(payload), expiresAt: now() + expiresIn * 1000 } : { payload: copy(payload) };
                await store.set(key(id), entry);
            },
            async find(id) {
                const entry = store.get(key(id));
                return entry ? copy(entry.payload) : undefined;
            },
            async findByUid(uid) {
                return findBy('uid', uid);
            },
            async findByUserCode(userCode) {
                return findBy('userCode', userCode);
            },
            async consume(id) {
                const entry = store.get(key(id));
                if (!entry)
                    return;
                // Marking consumed is what lets the provider detect a replayed code or rotated refresh token.
                await store.set(key(id), { ...entry, payload: { ...entry.payload, consumed: Math.floor(now() / 1000) } });
            },
            async destroy(id) {
                await store.deleteWhere((k) => k === key(id));
            },
            async revokeByGrantId(grantId) {
                await store.deleteWhere((k, entry) => GRANTABLE.has(k.slice(0, k.indexOf(':'))) && entry.payload.grantId === grantId);
            },
        };
    };
}
//# sourceMappingURL=json-adapter.js.map