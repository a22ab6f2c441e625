/** `coupon validate [PATH|GLOB...]`: the editor's diagnostics for every coupon file, like a compiler. */
import type { Diagnostic } from 'vscode-json-languageservice';
import { createExclusion, EXCLUDE_SETTING_KEY, parseExcludeSetting } from '../../../core/src/fileSelection';
import { SETTINGS_SECTION } from '../../../core/src/environments';
import { validateCouponSeries } from '../../../core/src/validate';
import { flag, stringOption, UsageError } from '../args';
import { CommandSpec, EXIT_FAILURE, EXIT_OK, JSON_OPTION, toolVersion } from '../command';
import { readWorkspaceSettings, SETTINGS_FILE } from '../connection';
import { COUPON_SUFFIX, displayPath, findCouponFiles, readFiles } from '../files';
import { countSeverities, jsonDiagnostic, summaryLine } from '../output';
import { toSarif } from '../sarif';
import { printDiagnostics } from '../seriesFile';

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
    { name: 'dot', type: 'boolean', description: 'Search folders and files whose names start with "." too.' },
    { name: 'no-exclude', type: 'boolean', description: `Ignore ${SETTINGS_SECTION}.${EXCLUDE_SETTING_KEY}.` },
  ],

  async run(args, { io, output }) {
    const formatOption = stringOption(args, 'format') as Format | undefined;
    if (flag(args, 'json') && formatOption !== undefined && formatOption !== 'json') throw new UsageError(`--json contradicts --format ${formatOption}`);
    const format: Format = flag(args, 'json') ? 'json' : formatOption ?? 'text';
    const inputs = args.positionals.length > 0 ? args.positionals : ['.'];

    let exclusion;
    if (!flag(args, 'no-exclude')) {
      const settings = readWorkspaceSettings(io.cwd);
      const exclude = parseExcludeSetting(settings.read(EXCLUDE_SETTING_KEY));
      for (const problem of [...settings.problems, ...exclude.problems]) output.warn(problem);
      exclusion = createExclusion(exclude.patterns);
    }
    const found = await findCouponFiles(inputs, { cwd: io.cwd, exclusion, dot: flag(args, 'dot') });
    const excludedNote = found.excluded > 0 ? ` (${found.excluded} excluded by ${SETTINGS_SECTION}.${EXCLUDE_SETTING_KEY} in ${SETTINGS_FILE}; --no-exclude checks them)` : '';
    if (found.missing.length > 0) throw new UsageError(`no such file or folder: ${found.missing.join(', ')}`);
    if (found.files.length === 0) throw new UsageError(`no *${COUPON_SUFFIX} files found in ${inputs.join(' ')}${excludedNote}`);
    for (const pattern of found.unmatched) output.warn(`no files match ${pattern}`);

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
    output.err(summaryLine(total, errors, counts.warnings) + (found.excluded > 0 ? ` (${found.excluded} more excluded by ${SETTINGS_SECTION}.${EXCLUDE_SETTING_KEY})` : ''));
    const failed = errors > 0 || (flag(args, 'strict') && counts.warnings > 0);
    return failed ? EXIT_FAILURE : EXIT_OK;
  },
};
