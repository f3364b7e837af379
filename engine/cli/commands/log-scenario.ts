/**
 * The scenario an event log was made from, as `z6 replay` and a report from a log need it: the
 * file given (--scenario) or the one the log's header names, with the run's options (--vus,
 * --duration, --smoke) applied as they were.
 */
import type { EventLogHeader } from '../../events/format';
import { applyOverrides } from '../../run';
import type { Scenario } from '../../scenario/model';
import { displayPath } from '../format-diagnostics';
import { loadForRun } from './scenario-input';

export type LogScenario = { ok: true; file: string; scenario: Scenario } | { ok: false; lines: string[] };

export function scenarioOfLog(logFile: string, h: EventLogHeader, given: string | undefined): LogScenario {
  const path = given ?? h.scenario.file;
  if (path === undefined) return { ok: false, lines: [`${displayPath(logFile)}: the header names no scenario file: give --scenario FILE`] };
  const input = loadForRun(path, { readBodies: false });
  if (!input.ok) {
    return { ok: false, lines: [...input.lines, `cannot read the scenario ${displayPath(path)}${given ? '' : ' (named by the log\'s header; give --scenario FILE)'}`] };
  }
  return { ok: true, file: input.file, scenario: applyOverrides(input.scenario, h.options) };
}
