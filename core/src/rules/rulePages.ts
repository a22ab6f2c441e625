/**
 * Each diagnostic links to its rule's page, docs/rules/<code>.md (`codeDescription`
 * in the editor, `helpUri` in SARIF). The pages are generated from the registry
 * (`npm run generate`) and shipped in the .vsix; where they are is the
 * platform's to say (the language client, or core/src/node/rulePagesLocation.ts).
 */

/** Where the pages are, relative to the repository and to the installed package. */
export const RULE_PAGES_PATH = 'docs/rules';

/** The page of `code` under `rulePagesUri`, the URI of the folder holding the pages (file:, https:, vscode-resource:…). */
export function rulePageHref(rulePagesUri: string, code: string): string {
  const folder = rulePagesUri.replace(/[?#].*$/, '');
  return `${folder.endsWith('/') ? folder : `${folder}/`}${encodeURIComponent(code)}.md`;
}
