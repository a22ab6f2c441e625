/** Who may call the sandbox: its demo Basic users (MD5 checked) and the OAuth tokens it issued, each in one org. */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { md5Hex } from '../api/auth';
import { SANDBOX_PASSWORD, SandboxAccess, SandboxOrg } from './credentials';

/** The caller of a request: its org and what it may do there. */
export interface Principal {
  orgId: number;
  access: SandboxAccess;
}

const PASSWORD_MD5 = md5Hex(SANDBOX_PASSWORD);

export class SandboxAuth {
  /** Token → its principal and the epoch ms when it stops being accepted. */
  private readonly tokens = new Map<string, Principal & { expiresAt: number }>();
  private readonly users = new Map<string, Principal>();
  private readonly clients = new Map<string, { clientSecret: string; orgId: number }>();

  constructor(
    private readonly tokenTtlSeconds: number,
    orgs: readonly SandboxOrg[],
  ) {
    for (const org of orgs) {
      for (const user of org.users) this.users.set(user.username, { orgId: org.orgId, access: user.access });
      for (const client of org.oauthClients) this.clients.set(client.clientKey, { clientSecret: client.clientSecret, orgId: org.orgId });
    }
  }

  /** A new token for a demo client, or undefined for any other key and secret. */
  issueToken(key: unknown, secret: unknown): { accessToken: string; ttlSeconds: number } | undefined {
    const client = typeof key === 'string' ? this.clients.get(key) : undefined;
    if (!client || secret !== client.clientSecret) return undefined;
    const accessToken = `sbx.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(accessToken, { orgId: client.orgId, access: 'write', expiresAt: Date.now() + this.tokenTtlSeconds * 1000 });
    return { accessToken, ttlSeconds: this.tokenTtlSeconds };
  }

  /** The caller from `X-CAP-API-OAUTH-TOKEN` or `Authorization: Basic`, undefined when neither is valid. */
  check(headers: IncomingHttpHeaders): Principal | undefined {
    const token = headers['x-cap-api-oauth-token'];
    if (typeof token === 'string') {
      const issued = this.tokens.get(token);
      if (issued !== undefined && issued.expiresAt > Date.now()) return { orgId: issued.orgId, access: issued.access };
      this.tokens.delete(token);
    }
    const basic = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? '');
    if (!basic) return undefined;
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || decoded.slice(colon + 1) !== PASSWORD_MD5) return undefined;
    return this.users.get(decoded.slice(0, colon));
  }
}
