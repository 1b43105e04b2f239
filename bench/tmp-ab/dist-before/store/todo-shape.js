/** Thrown while loading when stored JSON parses but does not have the expected shape. */
export class DocumentShapeError extends Error {
    constructor(message) {
        super(message);
        this.name = 'DocumentShapeError';
    }
}
const TODO_KEYS = ['id', 'content', 'ownerId', 'createdAt'];
function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function requireKeys(value, allowed, where) {
    // Unknown keys are refused rather than dropped: saving would silently lose them.
    for (const key of Object.keys(value)) {
        if (!allowed.includes(key))
            throw new DocumentShapeError(`${where} has an unexpected property ${JSON.stringify(key)}`);
    }
}
/** A frozen todo with exactly the four stored fields, so callers cannot change the store's copy. */
export function freezeTodo(todo) {
    return Object.freeze({ id: todo.id, content: todo.content, ownerId: todo.ownerId, createdAt: todo.createdAt });
}
/** Checks one stored todo; `where` says which one in error messages. */
export function parseTodo(value, where) {
    if (!isPlainObject(value))
        throw new DocumentShapeError(`${where} is not an object`);
    requireKeys(value, TODO_KEYS, where);
    for (const key of TODO_KEYS) {
        if (typeof value[key] !== 'string')
            throw new DocumentShapeError(`${where}.${key} is not a string`);
    }
    const todo = value;
    if (todo.id === '')
        throw new DocumentShapeError(`${where}.id is empty`);
    if (todo.ownerId === '')
        throw new DocumentShapeError(`${where}.ownerId is empty`);
    if (Number.isNaN(Date.parse(todo.createdAt)))
        throw new DocumentShapeError(`${where}.createdAt is not a date`);
    return freezeTodo(todo);
}
/** Checks the data file: `{ "todos": [ … ] }`. */
export function parseTodoFile(json) {
    if (!isPlainObject(json))
        throw new DocumentShapeError('the top level is not an object');
    requireKeys(json, ['todos'], 'the top level');
    const { todos } = json;
    if (!Array.isArray(todos))
        throw new DocumentShapeError('"todos" is not an array');
    return todos.map((todo, index) => parseTodo(todo, `todos[${index}]`));
}
/** Checks one journal line: `{ "create": [todo…], "delete": [id…] }`. */
export function parseTodoChange(json) {
    if (!isPlainObject(json))
        throw new DocumentShapeError('a journal entry is not an object');
    requireKeys(json, ['create', 'delete'], 'a journal entry');
    const { create = [], delete: deleted = [] } = json;
    if (!Array.isArray(create))
        throw new DocumentShapeError('a journal entry\'s "create" is not an array');
    if (!Array.isArray(deleted) || !deleted.every((id) => typeof id === 'string')) {
        throw new DocumentShapeError('a journal entry\'s "delete" is not an array of ids');
    }
    return { create: create.map((todo, index) => parseTodo(todo, `create[${index}]`)), delete: deleted };
}
//# sourceMappingURL=todo-shape.js.map