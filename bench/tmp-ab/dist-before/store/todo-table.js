import { DocumentShapeError, parseTodoChange, parseTodoFile } from './todo-shape.js';
/** An empty table when `json` is undefined, else the todos of a parsed data file (checked). */
export function decodeTodoTable(json) {
    return createTodoTable(json === undefined ? [] : parseTodoFile(json));
}
/** A table holding `todos` (oldest first); a repeated id is a DocumentShapeError. */
export function createTodoTable(todos = []) {
    const byId = new Map();
    const byOwner = new Map();
    let staged;
    function insert(todo) {
        byId.set(todo.id, todo);
        let owned = byOwner.get(todo.ownerId);
        if (owned === undefined)
            byOwner.set(todo.ownerId, (owned = new Map()));
        owned.set(todo.id, todo);
    }
    function remove(id) {
        const todo = byId.get(id);
        if (todo === undefined)
            return;
        byId.delete(id);
        const owned = byOwner.get(todo.ownerId);
        owned?.delete(id);
        if (owned?.size === 0)
            byOwner.delete(todo.ownerId);
    }
    for (const todo of todos) {
        if (byId.has(todo.id))
            throw new DocumentShapeError(`todo id ${JSON.stringify(todo.id)} appears twice`);
        insert(todo);
    }
    function allWithStaged() {
        if (staged === undefined)
            return [...byId.values()];
        const { create, deleteIds } = staged;
        const kept = deleteIds.size === 0 ? [...byId.values()] : [...byId.values()].filter((todo) => !deleteIds.has(todo.id));
        return create.length === 0 ? kept : kept.concat(create);
    }
    return {
        get size() {
            return byId.size;
        },
        get: (id) => byId.get(id),
        list(ownerId) {
            if (ownerId === undefined)
                return [...byId.values()];
            return [...(byOwner.get(ownerId)?.values() ?? [])];
        },
        stage(create, deleteIds) {
            if (staged !== undefined)
                throw new Error('a change is already staged');
            staged = { create, deleteIds: new Set(deleteIds) };
        },
        commitStaged() {
            if (staged === undefined)
                return;
            for (const id of staged.deleteIds)
                remove(id);
            for (const todo of staged.create)
                insert(todo);
            staged = undefined;
        },
        discardStaged() {
            staged = undefined;
        },
        replay(json) {
            const change = parseTodoChange(json);
            // Lenient on purpose: a journal line never repeats what the file holds, but if it did, keeping the
            // first copy and ignoring a delete of a missing id loses nothing.
            for (const id of change.delete)
                remove(id);
            for (const todo of change.create)
                if (!byId.has(todo.id))
                    insert(todo);
        },
        // One JSON.stringify over the array: the fastest way V8 offers to serialise many small objects.
        toJson: () => JSON.stringify({ todos: allWithStaged() }),
        pendingChanges() {
            if (staged === undefined || (staged.create.length === 0 && staged.deleteIds.size === 0))
                return undefined;
            return JSON.stringify({ create: staged.create, delete: [...staged.deleteIds] });
        },
    };
}
//# sourceMappingURL=todo-table.js.map