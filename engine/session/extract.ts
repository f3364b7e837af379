/**
 * Extractions ([requests.extract]) compiled once per run: each reads one source of a response
 * and gives the text the VU's variable takes, or undefined when the source is not there (the
 * variable is then cleared: a later request that needs it fails as kind 'template', never
 * sending a stale or empty value).
 */
import { compile as compileJsonPath } from 'json-p3';
import type { ExtractSpec } from '../scenario/model';
import { compileRegex } from '../scenario/patterns';
import { parseSetCookie } from './cookies';
import { NOT_JSON, type ResponseView } from './response-view';

export type Extractor = (r: ResponseView) => string | undefined;

export interface CompiledExtract {
  name: string;
  /** TemplateState.values slot. */
  slot: number;
  run: Extractor;
}

/** A JSON value as a template uses it: strings as they are, anything else as its JSON text. */
export function jsonText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The first match of a compiled JSONPath, or NOT_FOUND. */
export const NOT_FOUND: unique symbol = Symbol('not found');

export function jsonPathReader(path: string): (doc: unknown) => unknown {
  const q = compileJsonPath(path);
  return (doc) => {
    if (doc === NOT_JSON) return NOT_FOUND;
    const node = q.query(doc as never).nodes[0];
    return node === undefined ? NOT_FOUND : node.value;
  };
}

export function compileExtract(spec: ExtractSpec, slot: number): CompiledExtract {
  const s = spec.source;
  let run: Extractor;
  switch (s.type) {
    case 'json': {
      const read = jsonPathReader(s.path);
      run = (r) => {
        const v = read(r.json());
        return v === NOT_FOUND ? undefined : jsonText(v);
      };
      break;
    }
    case 'header': {
      const name = s.name;
      run = (r) => r.header(name);
      break;
    }
    case 'cookie': {
      const name = s.name;
      run = (r) => {
        const now = Date.now();
        let found: string | undefined;
        // The last Set-Cookie of that name wins, as in a jar.
        for (const h of r.headers('set-cookie')) {
          const c = parseSetCookie(h, now);
          if (c?.name === name) found = c.expired ? undefined : c.value;
        }
        return found;
      };
      break;
    }
    case 'regex': {
      const re = compileRegex(s.pattern);
      const group = s.group ?? (new RegExp(`${re.source}|`, 'u').exec('')!.length > 1 ? 1 : 0);
      run = (r) => {
        const m = re.exec(r.text());
        return m === null ? undefined : m[group];
      };
      break;
    }
    case 'status':
      run = (r) => String(r.status);
      break;
  }
  return { name: spec.name, slot, run };
}
