/**
 * SARIF 2.1.0 for code-scanning uploads: one run, the rules from the rule
 * registry (`DIAGNOSTIC_CODES`), each with its page as `helpUri`, one result
 * per diagnostic with a 1-based region.
 */
import type { Diagnostic } from 'vscode-json-languageservice';
import { defaultRulePagesUri } from '../../core/src/node/rulePagesLocation';
import { DIAGNOSTIC_CODES, DiagnosticCode } from '../../core/src/rules/index';
import { rulePageHref } from '../../core/src/rules/rulePages';
import { messageOf, severityName } from './output';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
export const TOOL_NAME = 'coupon';

export interface SarifFile {
  /** Relative to the folder the tool ran in, forward slashes. */
  uri: string;
  diagnostics: readonly Diagnostic[];
}

const RULE_IDS = Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[];

function level(diagnostic: Diagnostic): 'error' | 'warning' | 'note' {
  const name = severityName(diagnostic);
  return name === 'error' ? 'error' : name === 'warning' ? 'warning' : 'note';
}

/** SARIF `uri` of a relative path: forward slashes, each segment percent-encoded. */
function uriOf(relative: string): string {
  return relative.split('/').map(encodeURIComponent).join('/');
}

export function toSarif(files: readonly SarifFile[], version: string): object {
  const rulePagesUri = defaultRulePagesUri();
  const rules = RULE_IDS.map((id) => {
    const info = DIAGNOSTIC_CODES[id];
    return {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase()),
      shortDescription: { text: info.summary },
      ...(rulePagesUri ? { helpUri: rulePageHref(rulePagesUri, id) } : {}),
      defaultConfiguration: { level: info.severity === 1 ? 'error' : 'warning' },
      properties: { source: info.source },
    };
  });
  const ruleIndex = new Map<string, number>(RULE_IDS.map((id, index) => [id, index]));
  const results = files.flatMap((file) =>
    file.diagnostics.map((diagnostic) => {
      const ruleId = String(diagnostic.code ?? 'json-syntax');
      const { start, end } = diagnostic.range;
      const index = ruleIndex.get(ruleId);
      return {
        ruleId,
        ...(index === undefined ? {} : { ruleIndex: index }),
        level: level(diagnostic),
        message: { text: messageOf(diagnostic) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: uriOf(file.uri) },
              region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
            },
          },
        ],
      };
    }),
  );
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version, rules } },
        artifacts: files.map((file) => ({ location: { uri: uriOf(file.uri) } })),
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}
