/**
 * The language service for the Node server. In the bundles it is a file of
 * its own, dist/languageService.js (scripts/build.mjs points this import
 * there), so the server answers `initialize` without first compiling the JSON
 * service, the schema and the validators; compiled by tsc, it is the module itself.
 */
import type * as LanguageServiceModule from '../../../core/src/languageService';

export function loadLanguageService(): typeof LanguageServiceModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../../core/src/languageService') as typeof LanguageServiceModule;
}
