/**
 * The engine's results in words, the same for every front end (the editor's
 * notifications and view, the CLI's lines, the agent tools' answers). What is
 * particular to a front end (icons, colours, buttons, flags) stays there.
 */
import type { FilePushResult, Plan, PlanCounts, PullIntoOutcome, PushCounts } from './operations';
import type { SeriesState } from './status';

/** A file's state on an environment, as a short label. */
export const STATE_LABELS: Readonly<Record<SeriesState, string>> = {
  'not-created': 'not created here',
  'in-sync': 'in sync',
  changed: 'changed locally',
  drifted: 'changed on the server',
  missing: 'missing on the server',
  mismatch: 'another series on the server',
  ambiguous: 'org unknown: set orgId',
  invalid: 'invalid',
  unreachable: 'server not reached',
};

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "Created series 1003 (DIWALI1) on EU production from diwali.coupon.json; recorded in the file." and the like. */
export function describePushResult(result: FilePushResult, environment: string): string {
  const moved = result.migrated ? ' Its ids moved from CouponSeriesV2 into "deployments".' : '';
  const series = `series ${result.id ?? '?'}`;
  switch (result.outcome) {
    case 'created':
      return `Created ${series}${result.seriesCode ? ` (${result.seriesCode})` : ''} on ${environment} from ${result.file}; recorded in the file.`;
    case 'updated':
      return `Updated ${series} on ${environment} from ${result.file}.${moved}`;
    case 'up-to-date':
      return `${result.file} is up to date on ${environment}${result.id !== undefined ? ` (${series})` : ''}: nothing was sent.${moved}`;
    default:
      return `${result.file}: ${result.failure?.message ?? 'failed.'}`;
  }
}

/** "1 created, 1 updated, 2 up to date, 0 failed on EU production". */
export function describePushCounts(counts: PushCounts, environment: string): string {
  return `${counts.created} created, ${counts.updated} updated, ${counts.upToDate} up to date, ${counts.failed} failed on ${environment}`;
}

/** "2 to create or update, 1 up to date, 0 cannot be pushed". */
export function describePlanCounts(counts: PlanCounts): string {
  return `${counts.create + counts.update} to create or update, ${counts.none} up to date, ${counts.cannot} cannot be pushed`;
}

/** What a plan would do to one file, in a few words: "update: discountValue, validTillDate", "create", "none". */
export function describePlannedAction(entry: Plan['files'][number]): string {
  if (entry.state === 'unreachable' || entry.state === 'invalid' || entry.state === 'mismatch' || entry.state === 'ambiguous') return `${STATE_LABELS[entry.state]}: ${entry.problem ?? ''}`.trim();
  if (entry.action === 'create') return entry.state === 'missing' ? `create (${entry.problem ?? 'the recorded series is gone'})` : 'create';
  if (entry.action === 'update') return `update${entry.drifted ? ' (changed on the server since the last push)' : ''}${entry.changes.length ? `: ${entry.changes.join(', ')}` : ''}`;
  return `none${entry.migratesLegacyIds ? ' (its ids move into "deployments" on push)' : ''}`;
}

/** "diwali.coupon.json: took discountValue from series 1003 on EU production. Kept the file's productInfo (the server does not return them)." */
export function describePullInto(outcome: PullIntoOutcome, file: string, environment: string): string {
  const took = outcome.changed.length ? `took ${outcome.changed.join(', ')} from` : 'already the same as';
  const kept = outcome.kept.length ? ` Kept the file's ${outcome.kept.join(', ')} (the server does not return them).` : '';
  return `${file}: ${took} series ${outcome.server.id} on ${environment}.${kept}`;
}

/** "2 fields differ" / "The file and the server agree on every field the server returns." */
export function describeDifferenceCount(differences: number): string {
  return differences === 0 ? 'The file and the server agree on every field the server returns.' : `${plural(differences, 'field')} differ.`;
}
