/**
 * The sandbox's demo principals: public on purpose, so anyone can try every
 * command without an account. Each belongs to one org; a caller sees only its
 * own org's series, so two orgs on one sandbox behave like two environments.
 */
export const SANDBOX_PASSWORD = 'sandbox123';

export const SANDBOX_DEFAULT_ORG_ID = 100458;
export const SANDBOX_USERNAME = 'sandbox.user';
/** May read but not write: its writes get the access-group 403 (`errorCode` 4000). */
export const SANDBOX_READ_ONLY_USERNAME = 'sandbox.viewer';
export const SANDBOX_CLIENT_KEY = 'sandbox-key';
export const SANDBOX_CLIENT_SECRET = 'sandbox-secret';

export const SANDBOX_SECOND_ORG_ID = 100459;
export const SANDBOX_SECOND_ORG_USERNAME = 'sandbox.user2';
export const SANDBOX_SECOND_ORG_CLIENT_KEY = 'sandbox-key-2';
export const SANDBOX_SECOND_ORG_CLIENT_SECRET = 'sandbox-secret-2';

/** `write` may create and update; `read` may only read. */
export type SandboxAccess = 'write' | 'read';

export interface SandboxOrg {
  orgId: number;
  /** Basic-auth users; every one has the password {@link SANDBOX_PASSWORD}. */
  users: readonly { username: string; access: SandboxAccess }[];
  /** OAuth clients; their tokens have write access. */
  oauthClients: readonly { clientKey: string; clientSecret: string }[];
}

/** Every demo org and its principals: the one table the sandbox's auth reads. */
export const SANDBOX_ORGS: readonly SandboxOrg[] = [
  {
    orgId: SANDBOX_DEFAULT_ORG_ID,
    users: [
      { username: SANDBOX_USERNAME, access: 'write' },
      { username: SANDBOX_READ_ONLY_USERNAME, access: 'read' },
    ],
    oauthClients: [{ clientKey: SANDBOX_CLIENT_KEY, clientSecret: SANDBOX_CLIENT_SECRET }],
  },
  {
    orgId: SANDBOX_SECOND_ORG_ID,
    users: [{ username: SANDBOX_SECOND_ORG_USERNAME, access: 'write' }],
    oauthClients: [{ clientKey: SANDBOX_SECOND_ORG_CLIENT_KEY, clientSecret: SANDBOX_SECOND_ORG_CLIENT_SECRET }],
  },
];
