/**
 * A request's templates, compiled once per run. `opts` are the dispatch options of every part
 * that is constant for the run (constants folded in); `render` exists only when something must
 * be rendered per request, and builds that request's options from `opts`. A request without
 * templates gets exactly transport.ts's dispatchOptions and no renderer: its send path is the
 * static one.
 */
import type { Dispatcher } from 'undici';
import type { RequestSpec, Scenario } from '../scenario/model';
import { dispatchOptions } from '../run/transport';
import { addDataColumns } from '../data/open';
import { RESERVED_NAMES } from './builtins';
import { compileString, type Compiled, type CompileOptions } from './compile';
import { hasTemplate } from './parse';
import type { TemplateScope, Var } from './scope';
import type { TemplateState } from './state';

/** The options of one request, or null when a value was missing (`s.missing` says which). */
export type RequestRenderer = (s: TemplateState) => Dispatcher.DispatchOptions | null;

export interface CompiledRequest {
  opts: Dispatcher.DispatchOptions;
  render?: RequestRenderer;
}

export function scopeOf(scenario: Pick<Scenario, 'vars'> & Partial<Pick<Scenario, 'data'>>, env?: Readonly<Record<string, string | undefined>>): TemplateScope {
  const scope: TemplateScope = { vars: new Map<string, Var>(Object.entries(scenario.vars)), env };
  // Data columns are dynamic names (opens the data files to read their columns).
  if (scenario.data?.length) scope.dynamic = addDataColumns(scenario.data, new Map(), (n) => scope.vars.has(n) || RESERVED_NAMES.includes(n));
  return scope;
}

/** Whether any request of the scenario uses a template (else the run needs no template state). */
export function usesTemplates(scenario: Pick<Scenario, 'requests'>): boolean {
  return scenario.requests.some(isTemplated);
}

function isTemplated(r: RequestSpec): boolean {
  if (hasTemplate(r.path)) return true;
  for (const k in r.headers) if (hasTemplate(r.headers[k]!)) return true;
  return typeof r.body === 'string' && hasTemplate(r.body);
}

export function compileRequest(r: RequestSpec, basePath: string, scope: TemplateScope, opts: CompileOptions): CompiledRequest {
  if (!isTemplated(r)) return { opts: dispatchOptions(r) };
  const path = compileString(r.path, scope, opts);
  const headers: [string, Compiled][] = Object.entries(r.headers).map(([k, v]) => [k, hasTemplate(v) ? compileString(v, scope, opts) : v]);
  const body = typeof r.body === 'string' && hasTemplate(r.body) ? compileString(r.body, scope, opts) : r.body;
  // The constant parts, as the static options.
  const fixed: RequestSpec = {
    ...r,
    wirePath: basePath + (typeof path === 'string' ? path : ''),
    headers: Object.fromEntries(headers.map(([k, v]) => [k, typeof v === 'string' ? v : ''])),
    body: typeof body === 'function' ? undefined : body,
  };
  const base = dispatchOptions(fixed);
  const dynHeaders = headers.filter((h): h is [string, Exclude<Compiled, string>] => typeof h[1] !== 'string');
  if (typeof path === 'string' && dynHeaders.length === 0 && typeof body !== 'function') return { opts: base };
  const staticHeaders = base.headers as Record<string, string>;
  const names = dynHeaders.map((h) => h[0]);
  const renderers = dynHeaders.map((h) => h[1]);
  const nh = names.length;
  const render: RequestRenderer = (s) => {
    let wirePath = base.path;
    if (typeof path !== 'string') {
      const p = path(s);
      if (p === undefined) return null;
      wirePath = basePath + p;
    }
    let hdrs = staticHeaders;
    if (nh > 0) {
      hdrs = { ...staticHeaders };
      for (let i = 0; i < nh; i++) {
        const v = renderers[i]!(s);
        if (v === undefined) return null;
        hdrs[names[i]!] = v;
      }
    }
    let b = base.body;
    if (typeof body === 'function') {
      const v = body(s);
      if (v === undefined) return null;
      b = Buffer.from(v, 'utf8');
    }
    return { method: base.method, path: wirePath, headers: hdrs, body: b, headersTimeout: 0, bodyTimeout: 0 };
  };
  return { opts: base, render };
}
