/**
 * The first rendered requests of the first VUs, for `z6 plan`: the same plan streams, template
 * streams and compiled templates as a run, compiled with secrets masked (`***`), so the preview
 * shows exactly what a run with this seed sends, except secrets and the clock (`now`, `elapsed`
 * show the time of the preview).
 */
import { performance } from 'node:perf_hooks';
import type { Scenario } from '../scenario/model';
import { PlanTables, VuPlan } from '../plan/choice';
import { modelOf } from '../plan/schedule';
import { compileRequest, scopeOf } from './request';
import { TemplateState } from './state';

export interface RenderedRequest {
  /** VU index (open model: the arrival number, as `iteration`). */
  vu: number;
  iteration: number;
  name: string;
  method: string;
  /** As sent: base_url's path + the rendered path. */
  path: string;
  /** The scenario's headers, rendered (not the default user-agent). */
  headers: Record<string, string>;
  body?: string;
  /** Why the request would fail as kind 'template', when it would. */
  missing?: string;
}

const BODY_PREVIEW = 200;

export function previewRequests(scenario: Scenario, seed: number, env: Readonly<Record<string, string | undefined>> | undefined, vus: number, perVu: number): RenderedRequest[] {
  const scope = scopeOf(scenario, env);
  const compiled = scenario.requests.map((r) => compileRequest(r, scenario.target.basePath, scope, { mask: true, placeholders: true }, scenario.target.origin));
  const tables = new PlanTables(scenario);
  const out: RenderedRequest[] = [];
  const open = modelOf(scenario.schedule) === 'open';
  const start = performance.now();
  const streams = open ? [new VuPlan(tables, seed, 0)] : Array.from({ length: vus }, (_, v) => new VuPlan(tables, seed, v));
  const states = open ? [new TemplateState(seed, 0, start)] : streams.map((_, v) => new TemplateState(seed, v, start));
  const total = open ? vus * perVu : perVu;
  for (let v = 0; v < streams.length; v++) {
    for (let k = 0; k < total; k++) {
      // A VU that has done its iterations sends nothing more.
      if (!open && scenario.runtime.iterations !== undefined && streams[v]!.iterations >= scenario.runtime.iterations) break;
      const req = streams[v]!.next();
      const tpl = states[v]!;
      if (open) tpl.startArrival(k);
      else tpl.iteration = streams[v]!.iteration;
      const c = compiled[req]!;
      const opts = c.render ? c.render(tpl) : c.opts;
      const spec = scenario.requests[req]!;
      const item: RenderedRequest = { vu: open ? k : v, iteration: tpl.iteration, name: spec.name, method: spec.method, path: spec.wirePath, headers: {} };
      if (opts === null) item.missing = tpl.missing;
      else {
        item.path = opts.path;
        const h = opts.headers as Record<string, string>;
        for (const name of Object.keys(spec.headers)) item.headers[name] = h[name]!;
        if (opts.body != null && typeof spec.body === 'string') {
          const text = Buffer.from(opts.body as Buffer).toString('utf8');
          item.body = text.length > BODY_PREVIEW ? `${text.slice(0, BODY_PREVIEW)}…` : text;
        }
      }
      out.push(item);
    }
  }
  return out;
}
