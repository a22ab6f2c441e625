/**
 * Which coupon files a command works on: paths, folders and globs (default the
 * working folder), less what the workspace's `couponSeries.exclude` leaves
 * out (a file named on the command line is always taken). One place for
 * validate, plan and push, with the same usage errors.
 */
import { EXCLUDE_SETTING_KEY, FILES_EXCLUDE_SETTING, NO_SELECTION_RULES, SelectionRules, selectionRules } from '../../core/src/fileSelection';
import { SETTINGS_SECTION } from '../../core/src/environments';
import { flag, OptionSpec, ParsedArgs, UsageError } from './args';
import { CommandContext } from './command';
import { COUPON_SUFFIX, findCouponFiles, FoundFiles } from './files';
import { readWorkspaceSettings, SETTINGS_FILE } from '../../core/src/node/workspaceSettings';

export const SELECTION_OPTIONS: readonly OptionSpec[] = [
  { name: 'no-exclude', type: 'boolean', description: `Ignore ${SETTINGS_SECTION}.${EXCLUDE_SETTING_KEY} and ${FILES_EXCLUDE_SETTING}.` },
  { name: 'dot', type: 'boolean', description: 'Search folders and files whose names start with "." too (node_modules and .git never).' },
];

/** The files of `args.positionals`, or a `UsageError` when one is missing or none is found. */
export async function selectCouponFiles(args: ParsedArgs, context: CommandContext): Promise<FoundFiles> {
  const { io, output } = context;
  const inputs = args.positionals.length > 0 ? args.positionals : ['.'];
  let rules: SelectionRules = NO_SELECTION_RULES;
  if (!flag(args, 'no-exclude')) {
    const settings = readWorkspaceSettings(io.cwd);
    const parsed = selectionRules((setting) => settings.readSetting(setting));
    for (const problem of [...settings.problems, ...parsed.problems]) output.warn(problem);
    rules = parsed.rules;
  }
  const found = await findCouponFiles(inputs, { cwd: io.cwd, rules, dot: flag(args, 'dot') });
  const excludedNote = found.excluded > 0 ? ` (${found.excluded} excluded by ${SETTINGS_SECTION}.${EXCLUDE_SETTING_KEY} or ${FILES_EXCLUDE_SETTING} in ${SETTINGS_FILE}; --no-exclude includes them)` : '';
  if (found.missing.length > 0) throw new UsageError(`no such file or folder: ${found.missing.join(', ')}`);
  if (found.files.length === 0) throw new UsageError(`no *${COUPON_SUFFIX} files found in ${inputs.join(' ')}${excludedNote}`);
  for (const pattern of found.unmatched) output.warn(`no files match ${pattern}`);
  return found;
}
