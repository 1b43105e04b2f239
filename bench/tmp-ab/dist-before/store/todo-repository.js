/** A storage failure that a tool turns into a clear error for the user. */
export class StoreError extends Error {
    code;
    constructor(code, message, options = {}) {
        super(message, { cause: options.cause });
        this.name = 'StoreError';
        this.code = code;
    }
}
//# sourceMappingURL=todo-repository.js.map