/**
 * Which environments an agent may push to, as the user of `coupon mcp` says:
 * `--allow-push NAME[,NAME]` or COUPON_MCP_ALLOW_PUSH. `*` allows every
 * environment that is not protected; a protected one (production) only when
 * it is named itself. Nothing is allowed unless named.
 */
import type { AgentEnvironment, PushPermission } from './host';

/** The variable that names the environments `coupon mcp` may push to, like `--allow-push`. */
export const ALLOW_PUSH_VARIABLE = 'COUPON_MCP_ALLOW_PUSH';
export const ALLOW_EVERY_UNPROTECTED = '*';

export interface PushPolicy {
  /** Names as given (compared as environment names are: trimmed, any case). */
  readonly names: readonly string[];
  readonly everyUnprotected: boolean;
}

/** `"EU staging, Local sandbox"` → the policy; empty entries are ignored. */
export function parsePushPolicy(lists: readonly (string | undefined)[]): PushPolicy {
  const entries = lists.flatMap((list) => (list ?? '').split(',')).map((entry) => entry.trim()).filter((entry) => entry !== '');
  return { names: entries.filter((entry) => entry !== ALLOW_EVERY_UNPROTECTED), everyUnprotected: entries.includes(ALLOW_EVERY_UNPROTECTED) };
}

export function pushAllowedAnywhere(policy: PushPolicy): boolean {
  return policy.everyUnprotected || policy.names.length > 0;
}

export function pushPermission(policy: PushPolicy, environment: AgentEnvironment): PushPermission {
  const named = policy.names.some((name) => name.toLowerCase() === environment.name.trim().toLowerCase());
  if (named) return { allowed: true };
  if (environment.protected) {
    return {
      allowed: false,
      reason: `${environment.name} is protected: an agent may push there only when the user names it in --allow-push or ${ALLOW_PUSH_VARIABLE}${policy.everyUnprotected ? ` ("${ALLOW_EVERY_UNPROTECTED}" allows only environments that are not protected)` : ''}.`,
    };
  }
  if (policy.everyUnprotected) return { allowed: true };
  return { allowed: false, reason: `the user has not allowed pushing to ${environment.name}: coupon mcp pushes only to the environments named by --allow-push or ${ALLOW_PUSH_VARIABLE}.` };
}
