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
import type { DynamicVar, TemplateScope, Var } from './scope';
import type { TemplateState } from './state';

/** The options of one request, or null when a value was missing (`s.missing` says which). */
export type RequestRenderer = (s: TemplateState) => Dispatcher.DispatchOptions | null;

export interface CompiledRequest {
  opts: Dispatcher.DispatchOptions;
  render?: RequestRenderer;
}

/**
 * `setupVars`: what [[setup]] extracted, constants like [vars] for the VUs' requests. Data-file
 * columns take the dynamic slots after the extracted names (opens the data files to read them).
 */
export function scopeOf(scenario: Pick<Scenario, 'vars' | 'requests'> & Partial<Pick<Scenario, 'data'>>, env?: Readonly<Record<string, string | undefined>>, setupVars?: ReadonlyMap<string, Var>): TemplateScope {
  const vars = new Map<string, Var>(Object.entries(scenario.vars));
  for (const [k, v] of setupVars ?? []) vars.set(k, v);
  const dynamic = dynamicOf(scenario, vars);
  if (scenario.data?.length) addDataColumns(scenario.data, dynamic, (n) => vars.has(n) || RESERVED_NAMES.includes(n));
  return { vars, env, dynamic };
}

/**
 * The run's dynamic names and their value slots: what requests extract (secret when any
 * extraction of it is). Names that setup and teardown extract are here too until setup has
 * given them values (then they are constants in `vars`): `z6 plan` shows them as not yet known.
 */
function dynamicOf(scenario: Pick<Scenario, 'requests'> & Partial<Pick<Scenario, 'setup' | 'teardown'>>, vars: ReadonlyMap<string, Var>): Map<string, DynamicVar> {
  const out = new Map<string, DynamicVar>();
  for (const r of [...(scenario.setup ?? []), ...scenario.requests, ...(scenario.teardown ?? [])]) {
    for (const e of r.extract) {
      if (vars.has(e.name)) continue;
      const d = out.get(e.name);
      if (d === undefined) out.set(e.name, { slot: out.size, secret: e.secret, source: 'extract' });
      else if (e.secret) d.secret = true;
    }
  }
  return out;
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

/**
 * What a rendered path sends. A path that starts with a template can render to anything: an
 * absolute URL of the target (a Location header, say) is sent as its path and query, without
 * base_url's path; anything else that does not start with '/' cannot be sent.
 */
export function renderedPath(p: string, basePath: string, origin: string | undefined, s: TemplateState): string | undefined {
  if (p.charCodeAt(0) === 47 /* / */) return basePath + p;
  let u: URL | undefined;
  try {
    u = new URL(p);
  } catch {
    u = undefined;
  }
  if (u !== undefined && u.origin === origin) return u.pathname + u.search;
  s.missing = u !== undefined ? `the path renders to a URL of another origin (${u.origin})` : 'the path renders to text that does not start with / (nor is a URL of the target)';
  return undefined;
}

export function compileRequest(r: RequestSpec, basePath: string, scope: TemplateScope, opts: CompileOptions, origin?: string): CompiledRequest {
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
      // z6 plan shows a path that comes from a response as its placeholder.
      const w = opts.placeholders && p.charCodeAt(0) !== 47 ? p : renderedPath(p, basePath, origin, s);
      if (w === undefined) return null;
      wirePath = w;
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
