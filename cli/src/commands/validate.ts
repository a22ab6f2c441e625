/** `coupon validate [PATH|GLOB...]`: the editor's diagnostics for every coupon file, like a compiler. */
import type { Diagnostic } from 'vscode-json-languageservice';
import { EXCLUDE_SETTING_KEY, FILES_EXCLUDE_SETTING } from '../../../core/src/fileSelection';
import { SETTINGS_SECTION } from '../../../core/src/environments';
import { validateCouponSeries } from '../../../core/src/validate';
import { flag, stringOption, UsageError } from '../args';
import { CommandSpec, EXIT_FAILURE, EXIT_OK, JSON_OPTION, toolVersion } from '../command';
import { COUPON_SUFFIX, displayPath, readFiles } from '../files';
import { countSeverities, jsonDiagnostic, printDiagnostics, summaryLine } from '../output';
import { toSarif } from '../sarif';
import { SELECTION_OPTIONS, selectCouponFiles } from '../selection';
import { SETTINGS_FILE } from '../../../core/src/node/workspaceSettings';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
/** Show progress (on a terminal) from this many files. */
const PROGRESS_FROM = 200;

interface Checked {
  path: string;
  diagnostics: Diagnostic[];
  /** Why the file could not be read (then it counts as one error). */
  readError?: string;
}

export const validateCommand: CommandSpec = {
  name: 'validate',
  usage: 'coupon validate [PATH|GLOB...] [options]',
  details: [
    `Checks every *${COUPON_SUFFIX} below the given folders (default: the current one), the files named,`,
    'and the files matching globs (quote them): * and ? within a name, ** across folders, [ab] and {a,b}.',
    `The ${COUPON_SUFFIX} suffix matches in any case, as in the editor. Folders and names starting with "."`,
    'are passed over unless the pattern names them or --dot is given; node_modules and .git are never searched;',
    'symbolic links are not followed.',
    `Folders and globs leave out what "${SETTINGS_SECTION}.${EXCLUDE_SETTING_KEY}" excludes: globs relative to the current folder,`,
    `in its ${SETTINGS_FILE} (the editor's setting). A file named on the command line is always checked.`,
    'Prints path:line:col: severity code message, and a summary on stderr.',
    'Exit 0 when no file has errors, 1 when one has (or warnings with --strict), 2 for bad usage or no files.',
    '',
    'Examples:',
    '  coupon validate',
    '  coupon validate series/ "promos/**/*.coupon.json" --format sarif > coupon.sarif',
    '  coupon validate "{eu,apac}/**" --no-exclude',
  ],
  options: [
    { name: 'format', short: 'f', type: 'string', value: 'FORMAT', choices: FORMATS, description: 'Output format (default text).' },
    { ...JSON_OPTION, description: 'Same as --format json.' },
    { name: 'strict', type: 'boolean', description: 'Fail (exit 1) on warnings too.' },
    ...SELECTION_OPTIONS,
  ],

  async run(args, { io, output }) {
    const formatOption = stringOption(args, 'format') as Format | undefined;
    if (flag(args, 'json') && formatOption !== undefined && formatOption !== 'json') throw new UsageError(`--json contradicts --format ${formatOption}`);
    const format: Format = flag(args, 'json') ? 'json' : formatOption ?? 'text';
    const found = await selectCouponFiles(args, { io, output });

    const total = found.files.length;
    const showProgress = total >= PROGRESS_FROM;
    let done = 0;
    const checked = await readFiles(found.files, (result): Checked => {
      if (showProgress && ++done % 100 === 0) output.progress(`validated ${done}/${total} files`);
      const file = displayPath(result.file, io.cwd);
      return result.text === undefined ? { path: file, diagnostics: [], readError: result.error ?? 'unreadable' } : { path: file, diagnostics: validateCouponSeries(result.text) };
    });
    if (showProgress) output.clearProgress();

    const counts = countSeverities(checked.flatMap((file) => file.diagnostics));
    const unreadable = checked.filter((file) => file.readError !== undefined);
    const errors = counts.errors + unreadable.length;
    for (const file of unreadable) output.error(`cannot read ${file.path}: ${file.readError}`);

    if (format === 'json') {
      output.json({
        files: checked.map((file) => ({ path: file.path, ...(file.readError ? { readError: file.readError } : {}), diagnostics: file.diagnostics.map(jsonDiagnostic) })),
        summary: { files: total, errors, warnings: counts.warnings, excluded: found.excluded },
      });
    } else if (format === 'sarif') {
      output.json(toSarif(checked.map((file) => ({ uri: file.path, diagnostics: file.diagnostics })), toolVersion()));
    } else {
      for (const file of checked) printDiagnostics(output, file.path, file.diagnostics);
    }
    output.err(summaryLine(total, errors, counts.warnings) + (found.excluded > 0 ? ` (${found.excluded} more excluded by ${SETTINGS_SECTION}.${EXCLUDE_SETTING_KEY} or ${FILES_EXCLUDE_SETTING})` : ''));
    const failed = errors > 0 || (flag(args, 'strict') && counts.warnings > 0);
    return failed ? EXIT_FAILURE : EXIT_OK;
  },
};
