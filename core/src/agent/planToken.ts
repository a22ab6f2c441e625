/**
 * Plan tokens: coupon_push does only what a coupon_plan showed. A token is a
 * keyed digest (HMAC-SHA256 with a key made for this session, so only this
 * session's plans make tokens) of the environment, each file's path and
 * text, and each file's planned state, action, recorded series and the
 * server's fingerprint of it. The push plans again and compares: a file
 * edited, added or removed, or a series changed on the server, gives another
 * token, and nothing is sent.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Plan } from '../engine';
import { serverFingerprint } from '../engine/fingerprints';

/** What a token covers, file by file (kept for the session, to say what changed). */
export interface PlanFacts {
  environment: { name: string; host: string; key?: string };
  files: {
    /** Relative to the workspace root. */
    file: string;
    /** sha256 of the text planned. */
    text: string;
    state: string;
    action: string;
    id?: number;
    /** The server's fingerprint of the recorded series, when it was read. */
    server?: string;
  }[];
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The facts of `plan` of `inputs` (same order) on an environment. */
export function planFacts(environment: { name: string; host: string }, inputs: readonly { file: string; text: string }[], plan: Plan): PlanFacts {
  return {
    environment: { name: environment.name, host: environment.host, ...(plan.key ? { key: plan.key } : {}) },
    files: plan.files.map((entry, index) => ({
      file: inputs[index].file,
      text: sha256(inputs[index].text),
      state: entry.state,
      action: entry.action,
      ...(entry.deployment ? { id: entry.deployment.id } : {}),
      ...(entry.server ? { server: serverFingerprint(entry.server) } : {}),
    })),
  };
}

/** What differs between the facts a token was made from and today's, in words (empty: nothing). */
export function planDifferences(before: PlanFacts, now: PlanFacts): string[] {
  const differences: string[] = [];
  if (before.environment.name !== now.environment.name || before.environment.host !== now.environment.host) {
    differences.push(`the plan was for ${before.environment.name}, not ${now.environment.name}`);
  }
  const planned = new Map(before.files.map((file) => [file.file, file]));
  const current = new Map(now.files.map((file) => [file.file, file]));
  for (const file of now.files) {
    const then = planned.get(file.file);
    if (!then) differences.push(`${file.file} was not in the plan`);
    else if (then.text !== file.text) differences.push(`${file.file} changed since the plan`);
    else if (then.server !== file.server || then.id !== file.id) differences.push(`the series of ${file.file} changed on the server since the plan`);
    else if (then.state !== file.state || then.action !== file.action) differences.push(`${file.file} is now ${file.state} (was ${then.state})`);
  }
  for (const file of before.files) if (!current.has(file.file)) differences.push(`${file.file} was planned but is not among the files now`);
  return differences;
}

/** How many plans' facts a session keeps to explain a refused token. */
const REMEMBERED_PLANS = 100;

export interface PlanTokens {
  /** A token for a plan with these facts, remembered to explain a refusal later. */
  issue(facts: PlanFacts): string;
  /** Whether `token` is the one a plan with these facts gets (nothing is remembered). */
  matches(token: string, facts: PlanFacts): boolean;
  /** The facts a token of this session was issued for, if it is one of the last plans. */
  factsOf(token: string): PlanFacts | undefined;
}

/** A session's tokens: a fresh key unless one is given (tests). */
export function createPlanTokens(key: Uint8Array = randomBytes(32)): PlanTokens {
  const remembered = new Map<string, PlanFacts>();
  const tokenOf = (facts: PlanFacts) => `plan-${createHmac('sha256', key).update(JSON.stringify(facts)).digest('base64url')}`;
  return {
    issue(facts) {
      const token = tokenOf(facts);
      remembered.delete(token);
      remembered.set(token, facts);
      if (remembered.size > REMEMBERED_PLANS) remembered.delete(remembered.keys().next().value as string);
      return token;
    },
    matches: (token, facts) => token === tokenOf(facts),
    factsOf: (token) => remembered.get(token),
  };
}
