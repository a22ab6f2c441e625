/**
 * The CLI's wording of what to do about a failure: the engine and the API
 * client say what happened, keyed by `kind`; this adds the flag or variable
 * that helps from a terminal. (The extension has its own, naming its commands.)
 */
import { CouponApiError, isLoopbackHost, isUntrustedCertificate } from '../../core/src/api';
import { EngineProblem } from '../../core/src/engine';

export interface FailureReport {
  kind: string;
  message: string;
  status?: number;
}

const ENGINE_ADVICE: Partial<Record<EngineProblem['kind'], string>> = {
  invalid: 'See the errors above (coupon validate FILE lists them).',
  'not-created': 'Create it first: coupon create FILE (or coupon push).',
  'already-created': 'To send the file to it: coupon update FILE (or coupon push).',
  missing: 'coupon push --force FILE creates it anew and records the new series in place of the old one.',
  drifted: 'See what changed with coupon diff FILE; coupon push --force FILE overwrites the server\'s changes.',
  ambiguous: 'Add "orgId" to the environment in .vscode/settings.json (or --org-id ID with --host).',
  'no-credentials': 'Set CAPILLARY_USERNAME and CAPILLARY_PASSWORD, or CAPILLARY_CLIENT_KEY and CAPILLARY_CLIENT_SECRET.',
  exists: 'Choose another -o FILE; to bring an existing file up to date: coupon pull FILE.',
};

function apiAdvice(error: CouponApiError, host: string | undefined): string | undefined {
  switch (error.kind) {
    case 'timeout':
      return 'Allow longer with --timeout SECONDS.';
    case 'connection-refused':
      return host && isLoopbackHost(host) ? 'Start a sandbox with: coupon sandbox' : 'Check the host and port, and any proxy in between.';
    case 'tls':
      return isUntrustedCertificate(error) ? 'If your network re-signs HTTPS, trust its CA with --ca FILE or NODE_EXTRA_CA_CERTS.' : undefined;
    case 'auth':
      return 'Check CAPILLARY_USERNAME / CAPILLARY_PASSWORD (basic) or CAPILLARY_CLIENT_KEY / CAPILLARY_CLIENT_SECRET (oauth).';
    case 'proxy-auth':
      return 'Give the proxy\'s user and password in HTTPS_PROXY (http://user:password@host:port), or set NO_PROXY for this host if it needs no proxy.';
    case 'too-large':
      return 'Check that the host is the coupon API\'s (--host, or the environment\'s host).';
    default:
      return undefined;
  }
}

/**
 * A failure as the CLI reports it (text and `--json`): what happened, then what
 * to do. `host` is the target's hostname; `commandAdvice` replaces the usual advice
 * for some problems where a command knows better (pull FILE: `not-created`).
 */
export function describeFailure(error: unknown, host?: string, commandAdvice: Partial<Record<EngineProblem['kind'], string>> = {}): FailureReport {
  if (error instanceof EngineProblem) {
    const advice = commandAdvice[error.kind] ?? ENGINE_ADVICE[error.kind];
    return { kind: error.kind, message: advice ? `${error.message} ${advice}` : error.message };
  }
  if (error instanceof CouponApiError) {
    const what = apiAdvice(error, host);
    return { kind: error.kind, message: what ? `${error.message} ${what}` : error.message, ...(error.status ? { status: error.status } : {}) };
  }
  return { kind: 'network', message: error instanceof Error ? error.message : String(error) };
}

/** True for failures of the engine or the API (reported per file); anything else is a bug and propagates. */
export function isExpectedFailure(error: unknown): boolean {
  return error instanceof EngineProblem || error instanceof CouponApiError;
}
