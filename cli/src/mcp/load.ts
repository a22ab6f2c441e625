/**
 * The MCP server for `coupon mcp`. In the bundles it is a file of its own,
 * dist/mcp.js (scripts/build.mjs points this require there), so no other
 * command loads the MCP SDK; compiled by tsc, it is the module itself.
 */
import type * as McpServerModule from './server';

export function loadMcpServer(): typeof McpServerModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./server') as typeof McpServerModule;
}
