/**
 * Redaction for log lines: credentials and tokens never reach the output
 * channel, whether they sit in a header, a JSON body or free text.
 */
export const REDACTED = '***';

/** Header and JSON property names whose values are credentials: Authorization, X-CAP-API-OAUTH-TOKEN, secret, password, accessToken... */
const SENSITIVE_NAME = /authorization|token|secret|password/i;

function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

export function redactHeaders(headers: Record<string, string | string[] | number | undefined>): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    redacted[name] = isSensitiveName(name) ? REDACTED : Array.isArray(value) ? value.join(', ') : String(value);
  }
  return redacted;
}

/** A deep copy of a JSON value with every sensitive property's value replaced by `***`. */
export function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, inner]) => [name, isSensitiveName(name) && inner !== null ? REDACTED : redactJson(inner)]),
  );
}

// For text that is not JSON (HTML pages, truncated bodies): `"name": "value"` and `name=value` pairs.
const QUOTED_PAIR = /("[^"]*(?:authorization|token|secret|password)[^"]*"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\s]+)/gi;
const ASSIGNED_PAIR = /(\b[\w-]*(?:authorization|token|secret|password)[\w-]*=)[^&\s"'<>]+/gi;

/** A body excerpt for a log line: JSON re-serialised with sensitive values redacted, other text pattern-redacted; cut at `maxLength`. */
export function redactBodyText(text: string, maxLength = 500): string {
  let redacted: string;
  try {
    redacted = JSON.stringify(redactJson(JSON.parse(text)));
  } catch {
    redacted = text.replace(QUOTED_PAIR, `$1"${REDACTED}"`).replace(ASSIGNED_PAIR, `$1${REDACTED}`).replace(/\s+/g, ' ');
  }
  return redacted.length > maxLength ? `${redacted.slice(0, maxLength)}… (${redacted.length} chars)` : redacted;
}

/** A URL for a log line: the password of any user-info and sensitive query values hidden. */
export function redactUrl(url: string | URL): string {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = REDACTED;
  for (const name of [...copy.searchParams.keys()]) {
    if (isSensitiveName(name)) copy.searchParams.set(name, REDACTED);
  }
  return copy.toString();
}

const MIN_SECRET_LENGTH = 4;

/**
 * Removes known secret values (password hash, client secret, tokens, the Basic
 * header) from any text: the last line of defence for log lines and error
 * messages, whatever shape the secret arrives in.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  /** Remember a secret; very short strings are ignored (they would shred ordinary text). */
  add(secret: string | undefined): void {
    if (secret && secret.length >= MIN_SECRET_LENGTH) this.secrets.add(secret);
  }

  scrub(text: string): string {
    let scrubbed = text;
    for (const secret of this.secrets) scrubbed = scrubbed.split(secret).join(REDACTED);
    return scrubbed;
  }
}
