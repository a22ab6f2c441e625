/** The ids of the contributed commands (package.json lists the same: a test checks it). No `vscode` import, so pure modules can name them. */
export const COMMAND_IDS = {
  create: 'couponSeries.createOnServer',
  update: 'couponSeries.updateOnServer',
  push: 'couponSeries.pushToEnvironment',
  compare: 'couponSeries.compareWithServer',
  pull: 'couponSeries.pullFromServer',
  selectEnvironment: 'couponSeries.selectEnvironment',
  setCredentials: 'couponSeries.setCredentials',
  signOut: 'couponSeries.signOut',
  startSandbox: 'couponSeries.startLocalSandbox',
  showLog: 'couponSeries.showLog',
  refreshView: 'couponSeries.refreshSeriesView',
} as const;
