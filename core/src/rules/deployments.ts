/**
 * `deployment-invalid`: the file's `deployments`, the tool's own record of
 * where the series was created. The schema checks each entry (`x-code` on the
 * Deployments definitions); this module checks the keys (`<orgId>@<host>`) and
 * that each entry's orgId is its key's, and says what is wrong with a key.
 */
import { DEPLOYMENTS_KEY, isDeploymentKey, parseDeploymentKey } from '../schema';
import { propertyValue } from '../parse';
import { replaceWithSuggestion } from './quickFix';
import { defineRules, WARNING } from './rule';

function deploymentKeyProblem(key: string): string | undefined {
  if (isDeploymentKey(key)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(key) || /@[a-z][a-z0-9+.-]*:\/\//i.test(key)) return 'has a scheme (https://): leave it out';
  if (!key.includes('@')) return 'has no "@" between the org id and the host';
  const parsed = /^([^@]*)@(.*)$/.exec(key);
  if (parsed && !/^[1-9][0-9]*$/.test(parsed[1])) return `starts with "${parsed[1]}", which is not an org id`;
  if (parsed && parsed[2] !== parsed[2].toLowerCase() && isDeploymentKey(`${parsed[1]}@${parsed[2].toLowerCase()}`)) return 'has upper-case letters in the host (hosts are written in lower case)';
  return 'is not an org id and a host';
}

export const deployments = defineRules({
  name: 'deployments',
  codes: [
    {
      code: 'deployment-invalid',
      title: 'a malformed `deployments` record',
      severity: WARNING,
      source: 'this tool',
      summary: 'The `deployments` record (where the series was created, per environment) is malformed: a key that is not `<orgId>@<host>`, an `orgId` other than the key\'s, a missing or malformed field.',
      reason: 'It is this tool\'s record, never sent to the API: a person may read and fix it, so problems in it never block sending.',
      description:
        'Beside `CouponSeriesV2`, the tool records where the series has been created: one entry per environment (an org on a host), keyed `<orgId>@<host>` (the host in lower case, with its port and path prefix, without the scheme). ' +
        'Each entry needs `id` (at least 1), `seriesCode` and `orgId` (the key\'s org); `pushedAt` (UTC, `YYYY-MM-DDTHH:MM:SSZ`) and the two fingerprints (`sha256:` and 16 to 64 lower-case hex digits) are optional, and nothing else is known. ' +
        'The tool writes these entries itself; the warnings are for entries edited by hand or merged badly.',
      checkedBy: ['schema', 'rule'],
      examples: {
        wrong: {
          text: '{\n  "CouponSeriesV2": {\n    …\n  },\n  "deployments": {\n    "https://eu.api.capillarytech.com": { "id": 86066, "seriesCode": "453163F75E8C4A2EAA2E", "orgId": 100458 }\n  }\n}\n',
        },
        right: {
          text: '{\n  "CouponSeriesV2": {\n    …\n  },\n  "deployments": {\n    "100458@eu.api.capillarytech.com": { "id": 86066, "seriesCode": "453163F75E8C4A2EAA2E", "orgId": 100458 }\n  }\n}\n',
        },
      },
      // An unknown field of a deployment entry with a close known name.
      fix: replaceWithSuggestion('property'),
    },
  ],
  check(context) {
    const root = context.document.root;
    if (root?.type !== 'object') return;
    const recorded = propertyValue(root, DEPLOYMENTS_KEY);
    if (recorded?.type !== 'object') return;
    for (const property of recorded.properties) {
      const key = property.keyNode.value;
      const problem = deploymentKeyProblem(key);
      if (problem) {
        context.report(property.keyNode, 'deployment-invalid', `The deployment key "${key}" ${problem}: write "<orgId>@<host>", e.g. "100458@eu.api.capillarytech.com" or "100458@127.0.0.1:47631".`);
        continue;
      }
      const orgId = property.valueNode?.type === 'object' ? propertyValue(property.valueNode, 'orgId') : undefined;
      const keyOrg = parseDeploymentKey(key)?.orgId;
      if (orgId?.type === 'number' && keyOrg !== undefined && orgId.value !== keyOrg) {
        context.report(
          orgId,
          'deployment-invalid',
          `The key "${key}" names org ${keyOrg}, but orgId is ${orgId.value}: one of them is wrong. The tool identifies an environment by its key, so fix the key or orgId to the org the series belongs to.`,
        );
      }
    }
  },
});
