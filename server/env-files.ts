/**
 * The workspace `.env` files, as the language server needs them: which names each sets (never
 * the values: they are secrets and are dropped as soon as the file is parsed) and on which line,
 * for completion, hover, go-to-definition and the env-unknown warning.
 *
 * Latency: features ask for a scenario's env on every keystroke, so a file is read only when it
 * is new or its modification time or size changed (one stat per candidate path per call, no
 * read); a deleted file is forgotten. See docs/performance-language-server.md.
 */
import { statSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { envFileCandidates, folderOf } from '../engine/templates/env-file';

export interface EnvFileNames {
  /** Absolute path of the file. */
  file: string;
  /** Each name the file sets to a non-empty value, with the 0-based line that sets it (the last one). */
  names: ReadonlyMap<string, number>;
}

interface Cached {
  mtimeMs: number;
  size: number;
  names: Map<string, number>;
}

/** Larger files are ignored by the server (a run still reads them: the engine has no such limit). */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;

const NAME_LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=/;

/** The names a dotenv text sets (as node's parseEnv reads it, like `z6 run --env-file`), with lines. */
export function envFileNames(text: string): Map<string, number> {
  const parsed = parseEnv(text) as Record<string, string>;
  const lines = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, i) => {
    const m = NAME_LINE.exec(line);
    if (m) lines.set(m[1]!, i);
  });
  const out = new Map<string, number>();
  // Values are looked at only to leave out empty ones (the engine treats empty as unset).
  for (const name of Object.keys(parsed).sort()) if (parsed[name] !== '') out.set(name, lines.get(name) ?? 0);
  return out;
}

export class EnvFiles {
  private readonly cache = new Map<string, Cached>();
  /** Workspace folders, absolute paths. */
  folders: string[] = [];
  /** The z6.envFile setting; undefined means the default (`.env`). */
  setting: string | undefined;

  /** The .env that applies to the scenario at `scenarioFile`, or undefined when there is none. */
  forScenario(scenarioFile: string): EnvFileNames | undefined {
    for (const file of envFileCandidates(this.setting, scenarioFile, folderOf(scenarioFile, this.folders))) {
      const names = this.read(file);
      if (names) return { file, names };
    }
    return undefined;
  }

  private read(file: string): Map<string, number> | undefined {
    let st;
    try {
      st = statSync(file);
    } catch {
      this.cache.delete(file);
      return undefined;
    }
    // Never open a FIFO or a device; a dotenv file of megabytes is not one (and would stall typing).
    if (!st.isFile() || st.size > MAX_ENV_FILE_BYTES) return undefined;
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.names;
    let names: Map<string, number>;
    try {
      names = envFileNames(readFileSync(file, 'utf8'));
    } catch {
      return undefined;
    }
    this.cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, names });
    return names;
  }
}

/** Names the server's own environment sets to a non-empty value (what the editor passes on to a run). */
export function processEnvNames(env: NodeJS.ProcessEnv = process.env): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(env)) if (v) out.add(k);
  return out;
}
