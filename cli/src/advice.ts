/**
 * The CLI's words for the engine's advice: the flag, variable or command that
 * helps from a terminal. Which advice a failure gets is the engine's decision
 * (`core/src/engine/failures.ts`); the editor words the same ids as buttons.
 */
import { AdviceId, failureOf } from '../../core/src/engine';
import type { Environment } from '../../core/src/environments';

const ADVICE_TEXT: Readonly<Record<AdviceId, string>> = {
  'fix-errors': 'See the errors above (coupon validate FILE lists them).',
  'create-first': 'Create it first: coupon create FILE (or coupon push).',
  'update-instead': 'To send the file to it: coupon update FILE (or coupon push).',
  recreate: 'coupon push --force FILE creates it anew and records the new series in place of the old one.',
  'compare-then-overwrite': 'See what changed with coupon diff FILE; coupon push --force FILE overwrites the server\'s changes.',
  'set-org-id': 'Add "orgId" to the environment in .vscode/settings.json (or --org-id ID with --host).',
  'set-credentials': 'Set CAPILLARY_USERNAME and CAPILLARY_PASSWORD, or CAPILLARY_CLIENT_KEY and CAPILLARY_CLIENT_SECRET.',
  'reenter-credentials': 'Check CAPILLARY_USERNAME / CAPILLARY_PASSWORD (basic) or CAPILLARY_CLIENT_KEY / CAPILLARY_CLIENT_SECRET (oauth).',
  'check-access': 'The user may read but not write here: use credentials with write access.',
  'choose-another-file': 'Choose another -o FILE; to bring an existing file up to date: coupon pull FILE.',
  'save-file': 'Save the file in the editor, then try again.',
  'raise-timeout': 'Allow longer with --timeout SECONDS.',
  'start-sandbox': 'Start a sandbox with: coupon sandbox',
  'check-host': 'Check the host (--host, or the environment\'s) and any proxy in between.',
  'trust-ca': 'If your network re-signs HTTPS, trust its CA with --ca FILE or NODE_EXTRA_CA_CERTS.',
  'proxy-credentials': 'Give the proxy\'s user and password in HTTPS_PROXY (http://user:password@host:port), or set NO_PROXY for this host if it needs no proxy.',
  'retry-later': 'Try again later.',
};

/** A failure as the CLI prints it and puts in `--json`: what happened, then what to do. */
export interface FailureReport {
  kind: string;
  message: string;
  status?: number;
  advice: AdviceId[];
}

/**
 * The report of `error` (or of a failure the engine already made data of).
 * `commandAdvice` replaces the usual words where a command knows better
 * (pull FILE, for `create-first`: fetch by id instead).
 */
export function reportOf(error: unknown, environment?: Environment, commandAdvice: Partial<Record<AdviceId, string>> = {}): FailureReport {
  const failure = failureOf(error, environment);
  const words = failure.advice.map((id) => commandAdvice[id] ?? ADVICE_TEXT[id]);
  return {
    kind: failure.kind,
    message: [failure.message, ...words].join(' '),
    ...(failure.status ? { status: failure.status } : {}),
    advice: failure.advice,
  };
}
