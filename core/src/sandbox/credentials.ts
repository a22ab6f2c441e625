/** The sandbox's demo credentials: public on purpose, so anyone can try every command without an account. */
export const SANDBOX_USERNAME = 'sandbox.user';
export const SANDBOX_PASSWORD = 'sandbox123';
export const SANDBOX_CLIENT_KEY = 'sandbox-key';
export const SANDBOX_CLIENT_SECRET = 'sandbox-secret';
/** A second demo user that may read but not write: answers 403 with the access-group body (`errorCode` 4000). */
export const SANDBOX_READ_ONLY_USERNAME = 'sandbox.viewer';
export const SANDBOX_DEFAULT_ORG_ID = 100458;
