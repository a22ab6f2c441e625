/**
 * The agent tools' words for the engine's advice ids (which advice a failure
 * gets is decided once, in core/src/engine/failures.ts), and failures as the
 * tools report them. A front end may word an id its own way (`adviceWords`).
 */
import { AdviceId, Failure, failureOf, isExpectedFailure } from '../engine';
import type { Environment } from '../environments';
import { AgentRefusal } from './host';

const AGENT_ADVICE: Readonly<Record<AdviceId, string>> = {
  'fix-errors': 'Fix the errors (coupon_validate lists them), then plan again.',
  'create-first': 'The series has not been created there: coupon_plan and coupon_push create it.',
  'update-instead': 'It exists already: coupon_push updates it.',
  recreate: 'The recorded series is gone from the server: ask the user whether to create it anew (the editor\'s Push, or coupon push --force).',
  'compare-then-overwrite': 'Someone changed the series on the server: ask the user to compare (the editor\'s Compare with Server, or coupon diff) before anything overwrites it.',
  'set-org-id': 'The environment needs its "orgId" in the settings to tell orgs on one host apart: ask the user to add it.',
  'set-credentials': 'No credentials are set for the environment: ask the user to set them.',
  'reenter-credentials': 'The server refused the environment\'s credentials: ask the user to check them.',
  'check-access': 'The credentials may read but not write here: the user needs credentials with write access.',
  'choose-another-file': 'A file is in the way: choose another folder, or bring the existing file up to date with coupon_pull {path}.',
  'save-file': 'The file has unsaved changes in the editor: ask the user to save it, then try again.',
  'raise-timeout': 'The request took too long: try again, or ask the user to allow longer (the timeout setting).',
  'start-sandbox': 'Nothing answers on the local sandbox\'s port: ask the user to start it (coupon sandbox, or the editor\'s Start Local Sandbox).',
  'check-host': 'The host did not answer as the coupon API would: ask the user to check the environment\'s host and any proxy.',
  'trust-ca': 'The server\'s certificate is not trusted: the network may re-sign HTTPS; the user can trust its CA.',
  'proxy-credentials': 'A proxy refused the request: the user needs to give the proxy\'s credentials.',
  'retry-later': 'The server is busy or asked to slow down: try again later.',
};

export function adviceSentences(advice: readonly AdviceId[], words: Partial<Record<AdviceId, string>> = {}): string[] {
  return advice.map((id) => words[id] ?? AGENT_ADVICE[id]);
}

/** A refusal as the tools report it. */
export interface JsonRefusal {
  kind: string;
  message: string;
  advice: string[];
}

/** An expected failure (the engine's, the API's, or a refusal of the tools) as a refusal with its advice in words; anything else propagates. */
export function refusalOf(error: unknown, environment: Environment | undefined, words: Partial<Record<AdviceId, string>> = {}): JsonRefusal {
  if (error instanceof AgentRefusal) return { kind: error.kind, message: [error.message, ...adviceSentences(error.advice, words)].join(' '), advice: [...error.advice] };
  if (!isExpectedFailure(error)) throw error;
  return refusalOfFailure(failureOf(error, environment), words);
}

export function refusalOfFailure(failure: Failure, words: Partial<Record<AdviceId, string>> = {}): JsonRefusal {
  return { kind: failure.kind, message: [failure.message, ...adviceSentences(failure.advice, words)].join(' '), advice: [...failure.advice] };
}

/** An engine or API failure about `environment` as a refusal (its advice decided for that environment); anything else propagates. */
export function refusalFor(error: unknown, environment: Environment): unknown {
  if (!isExpectedFailure(error)) return error;
  const failure = failureOf(error, environment);
  return new AgentRefusal(failure.kind, failure.message, failure.advice);
}
