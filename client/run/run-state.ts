/**
 * Whether a run is going, for the parts of the extension that change with it (the language
 * server's "▶ Run scenario" lens reads "■ Cancel run" meanwhile). The controller sets it.
 */
import * as vscode from 'vscode';

const changed = new vscode.EventEmitter<boolean>();
let running = false;

export const runState = {
  get running(): boolean {
    return running;
  },
  onDidChange: changed.event,
  set(value: boolean): void {
    if (value === running) return;
    running = value;
    changed.fire(value);
  },
};
