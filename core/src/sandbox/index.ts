/** The local sandbox: a server speaking the coupon series API on loopback. */
export * from './credentials';
export type { FaultScope, SandboxFaults } from './faults';
export { SANDBOX_ERROR_CODES } from './responses';
export { CONTROL_HEADER, CONTROL_HEADER_VALUE, CONTROL_PATH, controlHeaders, isLoopbackName, sandboxAnswers } from './control';
export { DEFAULT_CUSTOM_PROPERTY_KEYS, MAX_LOGGED_REQUESTS, startSandbox } from './server';
export type { Sandbox, SandboxOptions, SandboxRequest, SandboxState } from './server';
