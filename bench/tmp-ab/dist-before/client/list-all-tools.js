/** Every tool of the server, following `nextCursor` (at most `maxPages` pages, so a looping cursor cannot hang us). */
export async function listAllTools(client, maxPages = 100) {
    const tools = [];
    let cursor;
    for (let page = 0; page < maxPages; page += 1) {
        const result = await client.listTools(cursor ? { cursor } : undefined);
        tools.push(...result.tools);
        cursor = result.nextCursor;
        if (!cursor)
            break;
    }
    return tools;
}
//# sourceMappingURL=list-all-tools.js.map