/** Environments in words, for the tools' answers and the editor's questions (never a secret). */
import type { AgentEnvironment } from './host';

const CREDENTIALS: Record<AgentEnvironment['credentials'], string> = {
  demo: 'the sandbox\'s demo user',
  variables: 'credentials from CAPILLARY_* variables',
  stored: 'credentials in VS Code\'s secret storage',
  missing: 'no credentials set',
  refused: 'credentials never sent (a host the user did not name)',
};

/** "EU production (eu.api.capillarytech.com, org 100458, protected; no credentials set)". */
export function describeEnvironment(environment: AgentEnvironment): string {
  const details = [environment.host, ...(environment.orgId !== undefined ? [`org ${environment.orgId}`] : []), ...(environment.protected ? ['protected'] : [])];
  return `${environment.name} (${details.join(', ')}; ${CREDENTIALS[environment.credentials]})`;
}
