export const ok = (id, title, detail) => ({ id, title, status: 'ok', detail });
export const warning = (id, title, detail, fix) => ({ id, title, status: 'warning', detail, fix });
export const error = (id, title, detail, fix) => ({ id, title, status: 'error', detail, fix });
export const skipped = (id, title, detail) => ({ id, title, status: 'skipped', detail });
//# sourceMappingURL=check.js.map