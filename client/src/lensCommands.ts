/**
 * The code lenses above a coupon file, from the engine's answer to "which
 * series is this file on the active environment": the series Update would send
 * to. Apart from the provider, so it is tested without a workbench.
 */
import type { RecordedSeries } from '../../core/src/engine';
import { COMMAND_IDS } from './commandIds';

export interface LensCommand {
  title: string;
  command: string;
}

/**
 * Create (nothing recorded there) or Update with the series it goes to, plus
 * Compare and Push. Without the org, the file alone cannot tell which record
 * is this environment's: `plannedId` is the server's answer from the view's
 * last plan, if any; otherwise the lens names no id.
 */
export function lensCommands(recorded: RecordedSeries | undefined, environment: string, plannedId?: number): LensCommand[] {
  const push = { title: '$(cloud) Push to Environment…', command: COMMAND_IDS.push };
  if (!recorded || recorded.kind === 'none') return [{ title: `$(cloud-upload) Create on ${environment}`, command: COMMAND_IDS.create }, push];
  const id = recorded.kind === 'recorded' ? recorded.deployment.id : recorded.kind === 'legacy' ? recorded.legacy.id : plannedId;
  return [
    { title: `$(sync) Update ${id !== undefined ? `series ${id} ` : ''}on ${environment}`, command: COMMAND_IDS.update },
    { title: '$(diff) Compare with Server', command: COMMAND_IDS.compare },
    push,
  ];
}
