/**
 * coupon_plan and coupon_push: the engine's plan (batched reads) and push of
 * workspace files on one environment. A plan returns a token; a push plans
 * again, and sends only when that plan gives the same token (nothing changed
 * in the files or on the server), only where the front end's policy allows,
 * and never over a series changed on the server since the last push.
 */
import {
  describePlanCounts,
  describePlannedAction,
  describePushCounts,
  describePushResult,
  isExpectedFailure,
  FilePushResult,
  jsonFailure,
  jsonPlanEntry,
  jsonPushResult,
  Plan,
  planChangesServer,
  planFiles,
  planHasWork,
  pushFiles,
  PushCounts,
} from '../engine';
import { adviceSentences, refusalOfFailure } from './advice';
import type { AgentEnvironment, AgentHost, PushPermission } from './host';
import { AgentRefusal, withConnection } from './host';
import { planDifferences, PlanFacts, planFacts, PlanTokens } from './planToken';
import { namedEnvironment, readWorkspaceFile, selectFiles, WorkspaceFile } from './workspace';

export interface PlanInput {
  paths: string[];
  environment: string;
}

export interface PushInput extends PlanInput {
  planToken: string;
}

type Json = Record<string, unknown>;

export interface PlanOutput {
  environment: string;
  key?: string;
  files: Json[];
  counts: Plan['counts'];
  failure?: Json;
  planToken?: string;
  push: PushPermission;
}

export interface PushOutput {
  environment: string;
  key?: string;
  files: Json[];
  counts: PushCounts;
}

/** Whether coupon_push may send to `environment` at all (read-only mode, Restricted Mode, the policy). */
export function pushPermissionOf(host: AgentHost, environment: AgentEnvironment): PushPermission {
  if (host.readOnly) return { allowed: false, reason: 'the tools are read-only (coupon mcp --read-only): nothing is pushed.' };
  const blocked = host.sendingBlocked?.();
  if (blocked) return { allowed: false, reason: blocked };
  return host.pushPermission(environment);
}

function ensureSendingAllowed(host: AgentHost): void {
  const blocked = host.sendingBlocked?.();
  if (blocked) throw new AgentRefusal('restricted', `${blocked} Nothing was sent.`);
}

interface Inputs {
  environment: AgentEnvironment;
  files: WorkspaceFile[];
  texts: string[];
}

async function planInputs(host: AgentHost, input: PlanInput): Promise<Inputs> {
  const environment = await namedEnvironment(host, input.environment);
  const files = await selectFiles(host, input.paths);
  const texts = await Promise.all(files.map((file) => readWorkspaceFile(host, file)));
  return { environment, files, texts };
}

function factsOf(inputs: Inputs, plan: Plan): PlanFacts {
  return planFacts(
    { name: inputs.environment.name, host: inputs.environment.host },
    inputs.files.map((file, index) => ({ file: file.file, text: inputs.texts[index] })),
    plan,
  );
}

/** What the plan decided, in a few lines for the text answer and the editor's confirmation. */
export function describePlan(plan: Plan, environment: AgentEnvironment): string[] {
  return [
    `Plan for ${environment.name} (${plan.key ?? environment.host}${environment.protected ? ', protected' : ''}):`,
    ...plan.files.map((entry) => `- ${entry.file}: ${describePlannedAction(entry)}${entry.deployment ? ` (series ${entry.deployment.id})` : ''}`),
    ...(plan.failure ? [`${environment.name} could not be read: ${refusalOfFailure(plan.failure).message}`] : []),
    `${describePlanCounts(plan.counts)}.`,
  ];
}

/** The plan of the files on the environment (reads the server, sends nothing that changes it), with its token. */
export async function planTool(host: AgentHost, tokens: PlanTokens, input: PlanInput): Promise<{ output: PlanOutput; text: string }> {
  const inputs = await planInputs(host, input);
  const { environment } = inputs;
  ensureSendingAllowed(host);
  const plan = await withConnection(host, environment, ({ connection }) =>
    planFiles(connection, inputs.files.map((file, index) => ({ file: file.file, text: inputs.texts[index] }))),
  );
  const push = pushPermissionOf(host, environment);
  const planToken = plan.failure ? undefined : tokens.issue(factsOf(inputs, plan));
  const output: PlanOutput = {
    environment: environment.name,
    ...(plan.key ? { key: plan.key } : {}),
    files: plan.files.map(jsonPlanEntry),
    counts: plan.counts,
    ...(plan.failure ? { failure: { ...jsonFailure(plan.failure), message: refusalOfFailure(plan.failure, host.adviceWords).message } } : {}),
    ...(planToken ? { planToken } : {}),
    push,
  };
  const sends = planHasWork(plan);
  const next = !planToken
    ? 'No token: nothing can be pushed from this plan.'
    : !sends
      ? 'Nothing to push.'
      : push.allowed
        ? `Show this plan to the user; to do it, call coupon_push with the same paths and environment and planToken ${planToken}.`
        : `coupon_push is not allowed here: ${push.reason}`;
  return { output, text: [...describePlan(plan, environment), next].join('\n') };
}

/** Why a token does not match today's plan, in words. */
function staleReason(tokens: PlanTokens, token: string, now: PlanFacts): string {
  const before = tokens.factsOf(token);
  if (!before) return 'The planToken is not one of this session\'s plans (a token is good only in the session whose coupon_plan made it).';
  const differences = planDifferences(before, now);
  return `Things changed since the plan: ${differences.length ? differences.join('; ') : 'the plan differs'}.`;
}

/** Pushes the files, exactly as the plan that made `planToken` said; refuses (sending nothing) when anything changed. */
export async function pushTool(host: AgentHost, tokens: PlanTokens, input: PushInput): Promise<{ output: PushOutput; text: string; failed: boolean }> {
  if (host.readOnly) throw new AgentRefusal('read-only', 'The tools are read-only (coupon mcp --read-only): nothing was sent.');
  const inputs = await planInputs(host, input);
  const { environment } = inputs;
  const permission = pushPermissionOf(host, environment);
  if (!permission.allowed) throw new AgentRefusal('push-not-allowed', `Refused: ${permission.reason} Nothing was sent.`);
  let refusal: AgentRefusal | undefined;
  const plannedTexts = new Map(inputs.files.map((file, index) => [file.path, inputs.texts[index]]));
  const report = await withConnection(host, environment, ({ connection }) =>
    pushFiles(
      connection,
      host.files,
      inputs.files.map((file, index) => ({ file: file.file, path: file.path, text: inputs.texts[index] })),
      {
        // Under each file's lock, right before sending: still the text planned.
        plannedText: (file) => plannedTexts.get(file),
        // Runs on the push's own plan, before anything is sent: that plan must be the one the token was made from.
        async beforeSending(plan) {
          const facts = factsOf(inputs, plan);
          if (!tokens.matches(input.planToken, facts)) {
            refusal = new AgentRefusal('stale-plan', `Refused: ${staleReason(tokens, input.planToken, facts)} Nothing was sent. Call coupon_plan again and show the user the new plan.`);
            return false;
          }
          if (planChangesServer(plan) && environment.protected && host.confirmProtectedPush && !(await host.confirmProtectedPush(environment, describePlan(plan, environment).join('\n')))) {
            refusal = new AgentRefusal('cancelled', `The user did not confirm the push to ${environment.name} (protected): nothing was sent.`);
            return false;
          }
          return true;
        },
      },
    ),
  );
  if (refusal) throw refusal;
  if (report.plan.failure) throw new AgentRefusal(report.plan.failure.kind, `${environment.name} could not be read: ${refusalOfFailure(report.plan.failure, host.adviceWords).message} Nothing was sent.`, report.plan.failure.advice);
  const files = report.plan.files.map((entry, index) => {
    const result: FilePushResult = report.results[index];
    const words = result.failure ? [result.failure.message, ...adviceSentences(result.failure.advice, host.adviceWords)].join(' ') : undefined;
    return { ...jsonPlanEntry(entry), ...jsonPushResult(result, words) };
  });
  const output: PushOutput = { environment: environment.name, ...(report.plan.key ? { key: report.plan.key } : {}), files, counts: report.counts };
  const lines = report.results.map((result) => {
    if (result.outcome !== 'failed' || !result.failure) return describePushResult(result, environment.name);
    return `${result.file}: ${[result.failure.message, ...adviceSentences(result.failure.advice, host.adviceWords)].join(' ')}`;
  });
  return { output, text: [...lines, `${describePushCounts(report.counts, environment.name)}.`].join('\n'), failed: report.counts.failed > 0 };
}

/** For the editor's confirmation: what a push of these paths would do now, and whether the token still holds. */
export async function previewPush(host: AgentHost, tokens: PlanTokens, input: PushInput): Promise<{ environment: AgentEnvironment; lines: string[] }> {
  const inputs = await planInputs(host, input);
  const { environment } = inputs;
  const permission = pushPermissionOf(host, environment);
  if (!permission.allowed) return { environment, lines: [`It will be refused: ${permission.reason}`] };
  const plan = await withConnection(host, environment, ({ connection }) =>
    planFiles(connection, inputs.files.map((file, index) => ({ file: file.file, text: inputs.texts[index] }))),
  ).catch((error: unknown) => {
    if (error instanceof AgentRefusal || isExpectedFailure(error)) return error;
    throw error;
  });
  if (!('files' in plan)) return { environment, lines: [`It will be refused: ${plan.message}`] };
  const facts = factsOf(inputs, plan);
  const matches = !plan.failure && tokens.matches(input.planToken, facts);
  return {
    environment,
    lines: [...describePlan(plan, environment), matches ? 'This is the plan the token was made from.' : `It will be refused: ${plan.failure ? 'the server could not be read.' : staleReason(tokens, input.planToken, facts)}`],
  };
}
