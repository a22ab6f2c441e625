/**
 * Redaction for log lines: credentials and tokens never reach the output
 * channel, whether they sit in a header, a JSON body or free text.
 */
import { parseJsonOrUndefined } from '../util';

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
  const json = parseJsonOrUndefined(text);
  const redacted =
    json === undefined
      ? text.replace(QUOTED_PAIR, `$1"${REDACTED}"`).replace(ASSIGNED_PAIR, `$1${REDACTED}`).replace(/\s+/g, ' ')
      : JSON.stringify(redactJson(json));
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

/**
 * A redirect's `Location` for a message: another server's URL, whose query and
 * fragment may carry anything (`?token=`, `#access_token=`), so every value in
 * them is hidden, and any user-info too; what is left (scheme, host, path)
 * says where it pointed. A relative one is resolved against `base`.
 */
export function redactLocation(location: string, base: URL): string {
  let url: URL;
  try {
    url = new URL(location.trim(), base);
  } catch {
    return '(an unreadable location)';
  }
  if (url.username) url.username = REDACTED;
  if (url.password) url.password = REDACTED;
  const hideValues = (pairs: string) =>
    pairs
      .split('&')
      .map((pair) => (pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=${REDACTED}` : pair === '' ? pair : REDACTED))
      .join('&');
  if (url.search) url.search = hideValues(url.search.slice(1));
  if (url.hash) url.hash = hideValues(url.hash.slice(1));
  return url.toString().replace(/%2A%2A%2A/g, REDACTED);
}

const MIN_SECRET_LENGTH = 4;
/** Encoded forms shorter than this are not scrubbed on their own (a base64 fragment of 3 characters would shred text). */
const MIN_FORM_LENGTH = 4;

/**
 * JSON string escaping (what a server quoting the request body puts in its
 * answer), without the quotes: as JSON.stringify does it, and as serialisers
 * that also escape non-ASCII (`\u00e9`) and/or `/` (`\/`) do.
 */
function jsonEscaped(text: string): string[] {
  const standard = JSON.stringify(text).slice(1, -1);
  const asciiOnly = standard.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const slashEscaped = (escaped: string) => escaped.replace(/\//g, '\\/');
  return [standard, asciiOnly, slashEscaped(standard), slashEscaped(asciiOnly)];
}

/** Percent-encoding as `encodeURIComponent` and as form bodies do it, upper- and lower-case hex. */
function urlEncoded(text: string): string[] {
  const component = encodeURIComponent(text);
  const form = new URLSearchParams({ x: text }).toString().slice(2);
  return [component, form].flatMap((encoded) => [encoded, encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())]);
}

/**
 * The base64 (and base64url) characters that encode `text` wherever it sits in
 * a longer encoded value: for each of the three alignments, the characters
 * that depend on `text`'s bytes alone.
 */
function base64Encoded(text: string): string[] {
  const bytes = new TextEncoder().encode(text);
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = Buffer.from(padded).toString('base64').replace(/=+$/, '');
    const first = Math.ceil((offset * 8) / 6);
    const last = Math.floor((padded.length * 8) / 6);
    const core = encoded.slice(first, last);
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/** Every form in which `secret` may reach a message: literal, JSON-escaped (once and twice), URL-encoded, base64, HTML-escaped. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  for (const escaped of jsonEscaped(secret)) {
    forms.add(escaped);
    // Twice: a server's JSON message quoting the body, printed again as JSON (`--json`).
    for (const twice of jsonEscaped(escaped)) forms.add(twice);
  }
  for (const encoded of urlEncoded(secret)) forms.add(encoded);
  for (const encoded of base64Encoded(secret)) forms.add(encoded);
  forms.add(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
  return [...forms].filter((form) => form.length >= MIN_FORM_LENGTH);
}

/**
 * A form made of hex digits alone (an MD5 password hash, a hex token, a
 * UUID): servers and logs change its case (`5F4DCC…`), and it is still the
 * secret, so it is matched in any case. Other forms (base64 above all) are
 * case-sensitive: another case is another value.
 */
const HEX_FORM = /^[0-9a-f]+(?:-[0-9a-f]+)*$/i;

/** One form to remove: found by `includes` (fast), or by a case-insensitive pattern for hex. */
interface ScrubbedForm {
  form: string;
  anyCase?: RegExp;
}

/**
 * Removes known secret values (password hash, client secret, tokens, the Basic
 * header) from any text, in every form they may take (`secretForms`): the last
 * line of defence for log lines and error messages.
 */
export class SecretScrubber {
  /** Every form of every secret, longest first (so that no form leaves part of a longer one behind). */
  private forms: ScrubbedForm[] = [];
  private readonly secrets = new Set<string>();

  /** Remember a secret; very short strings are ignored (they would shred ordinary text). */
  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    const known = new Set(this.forms.map(({ form }) => form));
    const added = secretForms(secret)
      .filter((form) => !known.has(form))
      // Hex digits are no pattern syntax: the form is its own pattern.
      .map((form): ScrubbedForm => (HEX_FORM.test(form) ? { form, anyCase: new RegExp(form, 'gi') } : { form }));
    this.forms = [...this.forms, ...added].sort((a, b) => b.form.length - a.form.length);
  }

  scrub(text: string): string {
    let scrubbed = text;
    for (const { form, anyCase } of this.forms) {
      if (anyCase) scrubbed = scrubbed.replace(anyCase, REDACTED);
      else if (scrubbed.includes(form)) scrubbed = scrubbed.split(form).join(REDACTED);
    }
    return scrubbed;
  }
}
