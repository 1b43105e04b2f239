import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
/** MCP Streamable HTTP: a request naming a protocol version this server does not speak gets 400. */
export const protocolVersionGuard = (req, res, next) => {
    const version = req.headers['mcp-protocol-version'];
    if (version === undefined || (typeof version === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(version)))
        return next();
    res.status(400).json({
        jsonrpc: '2.0',
        error: {
            code: -32000,
            message: `Bad Request: unsupported MCP-Protocol-Version; supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`,
        },
        id: null,
    });
};
//# sourceMappingURL=protocol-version-guard.js.map