/**
 * Every failure the engine or the API client reports, as data: what kind it
 * is, its message, the environment it is about, and what would help (advice
 * ids). This is the one place that decides the advice for a failure; each
 * front end only words an advice id (the editor as a button that runs its
 * command for that environment, the CLI as the flag or variable to set, an
 * agent tool as a sentence).
 */
import type { Diagnostic } from 'vscode-json-languageservice';
import { CouponApiError } from '../api/errors';
import { isUntrustedCertificate } from '../api/transportFailures';
import { isLoopbackHost } from '../api/hosts';
import { checkBaseUrl } from '../api/hosts';
import type { Environment } from '../environments';
import { isLocalSandbox } from '../environments';
import { EngineProblem } from './problems';

export type AdviceId =
  /** The file has errors: see them (Problems panel, `coupon validate`). */
  | 'fix-errors'
  /** The series is not on this environment yet: create it. */
  | 'create-first'
  /** It exists already: update it instead. */
  | 'update-instead'
  /** The recorded series is gone: create it anew (asked, or forced). */
  | 'recreate'
  /** Someone changed it on the server: compare, then overwrite if meant (asked, or forced). */
  | 'compare-then-overwrite'
  /** The environment needs its `orgId` to tell orgs on one host apart. */
  | 'set-org-id'
  /** No credentials for the environment: enter them. */
  | 'set-credentials'
  /** The environment's credentials were refused: enter them again. */
  | 'reenter-credentials'
  /** The caller may not do this (access group): a user with write access is needed. */
  | 'check-access'
  /** A new file was to be written where one exists: choose another. */
  | 'choose-another-file'
  /** The editor holds unsaved changes of the file. */
  | 'save-file'
  /** The request took longer than allowed. */
  | 'raise-timeout'
  /** Nothing listens on the local sandbox's port. */
  | 'start-sandbox'
  /** The host did not answer as the coupon API would: check it (and any proxy). */
  | 'check-host'
  /** The certificate is not trusted: the network may re-sign HTTPS. */
  | 'trust-ca'
  /** A proxy refused the request without valid proxy credentials. */
  | 'proxy-credentials'
  /** The server asked to slow down, or is busy: try again later. */
  | 'retry-later';

/** A failure as every front end receives it. */
export interface Failure {
  /** The engine's problem kind or the API error's kind (`auth`, `timeout`, `drifted`...). */
  kind: string;
  /** What happened, in one or two sentences, without advice. */
  message: string;
  /** The environment it is about (the subject of the advice: "Set Credentials for Sandbox production"). */
  environment?: Environment;
  status?: number;
  advice: AdviceId[];
  /** The file's errors, for `invalid`. */
  diagnostics: readonly Diagnostic[];
  /** The user said no: report quietly. */
  cancelled: boolean;
}

const ENGINE_ADVICE: Partial<Record<EngineProblem['kind'], AdviceId[]>> = {
  invalid: ['fix-errors'],
  'not-created': ['create-first'],
  'already-created': ['update-instead'],
  missing: ['recreate'],
  drifted: ['compare-then-overwrite'],
  ambiguous: ['set-org-id'],
  'no-credentials': ['set-credentials'],
  exists: ['choose-another-file'],
  unsaved: ['save-file'],
};

function apiAdvice(error: CouponApiError, environment: Environment | undefined): AdviceId[] {
  const checked = environment ? checkBaseUrl(environment.host) : undefined;
  const hostname = checked?.ok ? checked.url.hostname : undefined;
  switch (error.kind) {
    case 'auth':
      // The sandbox's demo credentials are fixed: nothing to enter again.
      return environment && isLocalSandbox(environment) ? [] : ['reenter-credentials'];
    case 'forbidden':
      return ['check-access'];
    case 'timeout':
      return ['raise-timeout'];
    case 'connection-refused':
      return hostname && isLoopbackHost(hostname) ? ['start-sandbox'] : ['check-host'];
    case 'dns':
    case 'too-large':
      return ['check-host'];
    case 'tls':
      return isUntrustedCertificate(error) ? ['trust-ca'] : [];
    case 'proxy-auth':
      return ['proxy-credentials'];
    case 'rate-limited':
    case 'server':
      return ['retry-later'];
    default:
      return [];
  }
}

function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && 'advice' in value && 'kind' in value;
}

/** True for failures the engine and the API client report (anything else is a bug and propagates). */
export function isExpectedFailure(error: unknown): error is EngineProblem | CouponApiError {
  return error instanceof EngineProblem || error instanceof CouponApiError;
}

/** `error` as data, about `environment`; advice ids decided here, once, for every front end. A `Failure` already (a plan's or a push result's) is returned as it is. */
export function failureOf(error: unknown, environment?: Environment): Failure {
  if (isFailure(error)) return error;
  const about = environment ? { environment } : {};
  if (error instanceof EngineProblem) {
    return { kind: error.kind, message: error.message, ...about, advice: ENGINE_ADVICE[error.kind] ?? [], diagnostics: error.diagnostics, cancelled: error.kind === 'cancelled' };
  }
  if (error instanceof CouponApiError) {
    return {
      kind: error.kind,
      message: error.message,
      ...about,
      ...(error.status ? { status: error.status } : {}),
      advice: apiAdvice(error, environment),
      diagnostics: [],
      cancelled: error.kind === 'cancelled',
    };
  }
  return { kind: 'network', message: error instanceof Error ? error.message : String(error), ...about, advice: [], diagnostics: [], cancelled: false };
}
