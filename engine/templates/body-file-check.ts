/**
 * The templates of body files read with body_file_templates, checked before a run like those of
 * the scenario itself: a syntax error or an unknown name is reported as FILE:LINE:COL of the body
 * file, and the run does not start (the validator does not read body files: they may be large,
 * and the editor checks the scenario as you type).
 */
import type { Scenario } from '../scenario/model';
import { checkTemplate } from './check';
import { scopeOf } from './request';

export interface BodyFileProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export function bodyFileTemplateProblems(scenario: Scenario, env?: Readonly<Record<string, string | undefined>>): BodyFileProblem[] {
  const scope = scopeOf(scenario, env);
  const out: BodyFileProblem[] = [];
  for (const r of [...scenario.setup, ...scenario.requests, ...scenario.teardown]) {
    if (!r.bodyFileTemplates || typeof r.body !== 'string') continue;
    const text = r.body;
    for (const p of checkTemplate(text, scope)) {
      const before = text.slice(0, p.span.start);
      const line = before.split('\n').length;
      out.push({ file: r.bodyFile!, line, column: p.span.start - before.lastIndexOf('\n'), message: p.message });
    }
  }
  return out;
}
