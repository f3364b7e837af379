/**
 * The first rendered requests of the first VUs, for `z6 plan`: the same plan streams, template
 * streams and compiled templates as a run, compiled with secrets masked (`***`), so the preview
 * shows exactly what a run with this seed sends, except secrets and the clock (`now`, `elapsed`
 * show the time of the preview).
 */
import { performance } from 'node:perf_hooks';
import type { Scenario } from '../scenario/model';
import { PlanTables, VuPlan } from '../plan/choice';
import { ArrivalCurve, modelOf } from '../plan/schedule';
import { SegmentArrivals } from '../segments/arrivals';
import { globalIndex, WHOLE, type Segment } from '../segments/segment';
import { compileRequest, scopeOf } from './request';
import { TemplateState } from './state';
import { MASK } from './compile';
import { DataRun, type VuRows } from '../data/draw';

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
  /** Why the request would fail as kind 'template', or why it is not sent (no data row left). */
  missing?: string;
  /** The data rows this request's iteration drew (shown at its first templated request); secret files as ***. */
  rows?: { file: string; row: number; values: Record<string, string> }[];
}

const BODY_PREVIEW = 200;

/** segment: preview its first VUs (or arrivals) and the data rows it draws, as `z6 run --segment` runs them. */
export function previewRequests(scenario: Scenario, seed: number, env: Readonly<Record<string, string | undefined>> | undefined, vus: number, perVu: number, segment: Segment = WHOLE): RenderedRequest[] {
  const scope = scopeOf(scenario, env);
  const compiled = scenario.requests.map((r) => compileRequest(r, scenario.target.basePath, scope, { mask: true, placeholders: true }, scenario.target.origin));
  const tables = new PlanTables(scenario);
  const out: RenderedRequest[] = [];
  const open = modelOf(scenario.schedule) === 'open';
  const start = performance.now();
  // The segment's VUs keep their global index (stream, {{ vu }}, rows); its arrivals their number.
  const vuIndex = Array.from({ length: open ? 1 : vus }, (_, v) => globalIndex(segment, v));
  const streams = vuIndex.map((g) => new VuPlan(tables, seed, g));
  const arrivals = open ? new SegmentArrivals(new ArrivalCurve(scenario.schedule), streams[0]!, segment) : undefined;
  const slots = scope.dynamic?.size ?? 0;
  const states = vuIndex.map((g) => new TemplateState(seed, open ? 0 : g, start, slots));
  // Data rows as a run draws them; the shared cursors (sequential, unique) are walked VU after
  // VU here, while in a run the VUs interleave by timing.
  const data = scenario.data.length > 0 ? new DataRun(scenario.data, scope.dynamic!, seed, segment) : null;
  const rows = data === null ? null : vuIndex.map((g) => data.forVu(open ? 0 : g, open));
  const total = open ? vus * perVu : perVu;
  let runOver = false;
  for (let v = 0; v < streams.length && !runOver; v++) {
    for (let k = 0; k < total; k++) {
      // A VU that has done its iterations sends nothing more.
      if (!open && scenario.runtime.iterations !== undefined && streams[v]!.iterations >= scenario.runtime.iterations) break;
      const arrival = arrivals?.k ?? -1;
      const req = arrivals ? arrivals.req : streams[v]!.next();
      arrivals?.advance();
      const tpl = states[v]!;
      if (open) tpl.startArrival(arrival);
      else tpl.iteration = streams[v]!.iteration;
      const c = compiled[req]!;
      const spec = scenario.requests[req]!;
      const item: RenderedRequest = { vu: open ? arrival : vuIndex[v]!, iteration: tpl.iteration, name: spec.name, method: spec.method, path: spec.wirePath, headers: {} };
      const vr = rows?.[v];
      if (c.render && vr !== undefined) {
        const fresh = vr.iteration !== tpl.iteration;
        if (!vr.draw(tpl.iteration, tpl.values)) {
          const f = vr.exhausted!.spec;
          const stopsVu = f.onExhausted === 'stop_vu' && !open;
          item.missing = `not sent: no row left in ${f.name} (mode = "unique", on_exhausted = "${f.onExhausted}"): ${stopsVu ? 'this VU stops' : 'the run stops'}`;
          out.push(item);
          runOver = !stopsVu;
          break;
        }
        if (fresh) item.rows = drawnRows(data!, vr, tpl.values);
      }
      const opts = c.render ? c.render(tpl) : c.opts;
      if (opts === null) item.missing = vr?.problem || tpl.missing;
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
  data?.close();
  return out;
}

const VALUE_PREVIEW = 60;

/** The rows just drawn, as the preview shows them: 1-based row numbers, secret files masked. */
function drawnRows(data: DataRun, vr: VuRows, values: readonly (string | undefined)[]): RenderedRequest['rows'] {
  return data.files.map((f, k) => {
    const shown: Record<string, string> = {};
    f.names.forEach((name, j) => {
      const v = values[f.slots[j]!];
      shown[name] = v === undefined ? '(missing)' : f.spec.secret ? MASK : v.length > VALUE_PREVIEW ? `${v.slice(0, VALUE_PREVIEW)}…` : v;
    });
    return { file: f.spec.name, row: vr.rows[k]! + 1, values: shown };
  });
}
