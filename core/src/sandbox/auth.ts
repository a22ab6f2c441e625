/** Who may call the sandbox: its demo Basic users (MD5 checked) and the OAuth tokens it issued. */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { md5Hex } from '../api/auth';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, SANDBOX_PASSWORD, SANDBOX_READ_ONLY_USERNAME, SANDBOX_USERNAME } from './credentials';

/** `write` may create and update; `read` may only read (its writes get the access-group 403). */
export type Access = 'write' | 'read';

const BASIC_USERS = new Map<string, Access>([
  [SANDBOX_USERNAME, 'write'],
  [SANDBOX_READ_ONLY_USERNAME, 'read'],
]);
const PASSWORD_MD5 = md5Hex(SANDBOX_PASSWORD);

export class SandboxAuth {
  /** Token → epoch ms when it stops being accepted. */
  private readonly tokens = new Map<string, number>();

  constructor(private readonly tokenTtlSeconds: number) {}

  /** A new token for the demo client, or undefined for any other key and secret. */
  issueToken(key: unknown, secret: unknown): { accessToken: string; ttlSeconds: number } | undefined {
    if (key !== SANDBOX_CLIENT_KEY || secret !== SANDBOX_CLIENT_SECRET) return undefined;
    const accessToken = `sbx.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(accessToken, Date.now() + this.tokenTtlSeconds * 1000);
    return { accessToken, ttlSeconds: this.tokenTtlSeconds };
  }

  /** The caller's access from `X-CAP-API-OAUTH-TOKEN` or `Authorization: Basic`, undefined when neither is valid. */
  check(headers: IncomingHttpHeaders): Access | undefined {
    const token = headers['x-cap-api-oauth-token'];
    if (typeof token === 'string') {
      const expiresAt = this.tokens.get(token);
      if (expiresAt !== undefined && expiresAt > Date.now()) return 'write';
      this.tokens.delete(token);
    }
    const basic = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? '');
    if (!basic) return undefined;
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || decoded.slice(colon + 1) !== PASSWORD_MD5) return undefined;
    return BASIC_USERS.get(decoded.slice(0, colon));
  }
}
