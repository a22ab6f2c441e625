/**
 * The editor's wording of what to do about a failure, with the button that
 * does it: the engine and the API client say what happened, keyed by `kind`;
 * the CLI words its own advice (flags and variables) in cli/src/advice.ts.
 */
import { CouponApiError, isLoopbackHost, isUntrustedCertificate } from '../../core/src/api';
import { EngineProblem } from '../../core/src/engine';
import { SETTINGS_SECTION, SETTING_KEYS } from '../../core/src/environments';

/** What a failure notification offers. */
export type AdviceAction = 'Set Credentials' | 'Start Local Sandbox' | 'Open Settings' | 'Show Problems' | 'Show Log';

export interface EditorAdvice {
  /** The failure's message, plus what to do. */
  message: string;
  actions: AdviceAction[];
  /** The setting "Open Settings" opens. */
  setting?: string;
}

const setting = (key: string) => `${SETTINGS_SECTION}.${key}`;

export function adviceFor(error: unknown, host: string | undefined): EditorAdvice {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof EngineProblem) {
    switch (error.kind) {
      case 'invalid':
        return { message, actions: ['Show Problems'] };
      case 'no-credentials':
        return { message: `${message} Run "Coupon Series: Set Credentials" to store them in VS Code's secret storage.`, actions: ['Set Credentials'] };
      case 'ambiguous':
        return { message: `${message} Add "orgId" to the environment in the ${setting(SETTING_KEYS.environments)} setting.`, actions: ['Open Settings'], setting: setting(SETTING_KEYS.environments) };
      case 'cancelled':
      case 'unsaved':
        return { message, actions: [] };
      default:
        return { message, actions: ['Show Log'] };
    }
  }
  if (error instanceof CouponApiError) {
    switch (error.kind) {
      case 'auth':
        return { message: `${message} Check the user and password (or client key and secret) with "Set Credentials".`, actions: ['Set Credentials', 'Show Log'] };
      case 'timeout':
        return { message: `${message} Try again, or allow longer with the ${setting(SETTING_KEYS.requestTimeoutSeconds)} setting.`, actions: ['Open Settings', 'Show Log'], setting: setting(SETTING_KEYS.requestTimeoutSeconds) };
      case 'connection-refused':
        return host && isLoopbackHost(host)
          ? { message: `${message} Is the local sandbox running?`, actions: ['Start Local Sandbox', 'Show Log'] }
          : { message: `${message} Check the host and port, and any proxy in between.`, actions: ['Show Log'] };
      case 'tls':
        return isUntrustedCertificate(error)
          ? {
              message: `${message} If your network re-signs HTTPS, add its CA certificate (a PEM file) to the ${setting(SETTING_KEYS.extraCaCertificates)} setting.`,
              actions: ['Open Settings', 'Show Log'],
              setting: setting(SETTING_KEYS.extraCaCertificates),
            }
          : { message, actions: ['Show Log'] };
      case 'proxy-auth':
        return {
          message: `${message} Check the proxy's user and password: those VS Code asked you for, or those in the http.proxy setting (http://user:password@host:port).`,
          actions: ['Open Settings', 'Show Log'],
          setting: 'http.proxy',
        };
      case 'too-large':
        return { message: `${message} Check the environment's host in the ${setting(SETTING_KEYS.environments)} setting.`, actions: ['Open Settings', 'Show Log'], setting: setting(SETTING_KEYS.environments) };
      default:
        return { message, actions: ['Show Log'] };
    }
  }
  return { message, actions: ['Show Log'] };
}
