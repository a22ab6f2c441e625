/**
 * The editor's words for the engine's advice: a sentence and the button that
 * acts on it, for the environment the failure is about. Which advice a failure
 * gets is the engine's decision (`core/src/engine/failures.ts`); the CLI words
 * the same ids as flags and variables.
 */
import type { AdviceId, Failure } from '../../core/src/engine';
import { SETTINGS_SECTION, SETTING_KEYS } from '../../core/src/environments';

/** What a button does; the command layer runs it for the failure's environment. */
export type AdviceAction =
  | { kind: 'set-credentials' }
  | { kind: 'start-sandbox' }
  | { kind: 'open-settings'; setting: string }
  | { kind: 'show-problems' }
  | { kind: 'compare' }
  | { kind: 'retry' };

export interface AdviceButton {
  label: string;
  action: AdviceAction;
}

interface Wording {
  sentence: (environment: string) => string;
  button?: (environment: string) => AdviceButton;
}

const setting = (key: string) => `${SETTINGS_SECTION}.${key}`;
const openSettings = (key: string, label = 'Open Settings') => () => ({ label, action: { kind: 'open-settings', setting: setting(key) } }) as AdviceButton;

const WORDING: Readonly<Record<AdviceId, Wording>> = {
  'fix-errors': { sentence: () => 'See the Problems panel.', button: () => ({ label: 'Show Problems', action: { kind: 'show-problems' } }) },
  'create-first': { sentence: () => 'Create it there first.' },
  'update-instead': { sentence: () => 'Update it instead.' },
  recreate: { sentence: () => 'Push it again to create it anew (you will be asked).' },
  'compare-then-overwrite': { sentence: () => 'Compare it with the server, then push again to overwrite (you will be asked).', button: () => ({ label: 'Compare with Server', action: { kind: 'compare' } }) },
  'set-org-id': { sentence: () => `Add "orgId" to the environment in the ${setting(SETTING_KEYS.environments)} setting.`, button: openSettings(SETTING_KEYS.environments) },
  'set-credentials': {
    sentence: (environment) => `Enter the credentials for ${environment}: they are kept in VS Code's secret storage.`,
    button: (environment) => ({ label: `Set Credentials for ${environment}`, action: { kind: 'set-credentials' } }),
  },
  'reenter-credentials': {
    sentence: (environment) => `The credentials stored for ${environment} were refused: enter them again.`,
    button: (environment) => ({ label: `Enter Credentials for ${environment} Again`, action: { kind: 'set-credentials' } }),
  },
  'check-access': { sentence: () => 'This user may read but not write here: use credentials with write access.' },
  'choose-another-file': { sentence: () => 'Choose another file name.' },
  'save-file': { sentence: () => 'Save the file, then try again.' },
  'raise-timeout': {
    sentence: () => `Try again, or allow longer with the ${setting(SETTING_KEYS.requestTimeoutSeconds)} setting.`,
    button: openSettings(SETTING_KEYS.requestTimeoutSeconds),
  },
  'start-sandbox': { sentence: () => 'Is the local sandbox running?', button: () => ({ label: 'Start Local Sandbox', action: { kind: 'start-sandbox' } }) },
  'check-host': { sentence: () => `Check the environment's host in the ${setting(SETTING_KEYS.environments)} setting, and any proxy in between.`, button: openSettings(SETTING_KEYS.environments) },
  'trust-ca': {
    sentence: () => `If your network re-signs HTTPS, add its CA certificate (a PEM file) to the ${setting(SETTING_KEYS.extraCaCertificates)} setting.`,
    button: openSettings(SETTING_KEYS.extraCaCertificates),
  },
  'proxy-credentials': {
    sentence: () => 'Check the proxy\'s user and password: those VS Code asked you for, or those in the http.proxy setting (http://user:password@host:port).',
    button: () => ({ label: 'Open Settings', action: { kind: 'open-settings', setting: 'http.proxy' } }),
  },
  'retry-later': { sentence: () => 'Try again in a moment.', button: () => ({ label: 'Try Again', action: { kind: 'retry' } }) },
};

export interface EditorAdvice {
  /** The failure's message, plus what to do. */
  message: string;
  buttons: AdviceButton[];
}

/** A failure as the editor shows it: its message and sentences, and a button per advice that has one. */
export function editorAdviceFor(failure: Failure): EditorAdvice {
  const environment = failure.environment?.name ?? 'the environment';
  const wordings = failure.advice.map((id) => WORDING[id]);
  const buttons = wordings.flatMap((wording) => (wording.button ? [wording.button(environment)] : []));
  return { message: [failure.message, ...wordings.map((wording) => wording.sentence(environment))].join(' '), buttons };
}
