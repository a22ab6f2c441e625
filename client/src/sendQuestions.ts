/**
 * The questions the editor asks before it sends a file (what the engine is
 * about to do, in words), apart from the dialogs that ask them, so they are
 * tested without a workbench.
 */
import * as path from 'node:path';
import type { Plan, SendQuestion } from '../../core/src/engine';
import { Environment, SETTINGS_SECTION, SETTING_KEYS } from '../../core/src/environments';

export function detailOf(environment: Environment, warnings: readonly string[]): string {
  return [
    `${environment.host}${environment.orgId ? `, org ${environment.orgId}` : ''}`,
    ...warnings,
    environment.protected
      ? 'This environment is marked protected: every send to it asks first.'
      : `Turn this question off with the user setting ${SETTINGS_SECTION}.${SETTING_KEYS.confirmBeforeSending}.`,
  ].join('\n\n');
}

/** The question's message and its button, by what the send would do. */
export function questionText(question: SendQuestion): { message: string; button: string } {
  const { environment } = question;
  const name = path.basename(question.file);
  const changes = question.changes.length ? ` (${question.changes.slice(0, 6).join(', ')}${question.changes.length > 6 ? ', …' : ''})` : '';
  if (question.replacesMissing) {
    return { message: `The series recorded for ${name} on ${environment.name} is no longer on the server. Create ${name} there as a new series?`, button: 'Create as New Series' };
  }
  if (question.drifted) {
    return { message: `Series ${question.id} on ${environment.name} was changed on the server since ${name} was last pushed${changes}. Overwrite the server's changes?`, button: 'Overwrite' };
  }
  const action = question.action === 'create' ? 'Create' : `Update series ${question.id} from`;
  return { message: `${action} ${name} on ${environment.name}${environment.protected ? ' (protected)' : ''}?`, button: question.action === 'create' ? 'Create' : 'Update' };
}


/** The one question before a batch: what the plan would do, on which environment. */
export function batchQuestion(plan: Plan, environment: Environment): string {
  const { create, update } = plan.counts;
  return `Push to ${environment.name}${environment.protected ? ' (protected)' : ''}: create ${create}, update ${update} of ${plan.files.length} files?`;
}
