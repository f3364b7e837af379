/**
 * What *Run with Overrides* accepts: `vus=N duration=SECONDS seed=N` (any of them, any order), turned
 * into `z6 run` options. vscode-free, so it is tested on its own.
 */
const KEYS: Record<string, { flag: string; min: number; max: number }> = {
  vus: { flag: '--vus', min: 1, max: 100_000 },
  duration: { flag: '--duration', min: 1, max: 86_400 },
  seed: { flag: '--seed', min: 0, max: Number.MAX_SAFE_INTEGER },
};

export function parseOverrides(text: string): { args: string[]; error?: string } {
  const args: string[] = [];
  for (const part of text.replace(/\s*=\s*/g, '=').trim().split(/[\s,]+/).filter(Boolean)) {
    const m = /^([a-z]+)\s*=\s*(\d+)$/.exec(part);
    const spec = m ? KEYS[m[1]!] : undefined;
    if (!m || !spec) return { args, error: `"${part}": write vus=N, duration=SECONDS or seed=N` };
    const n = Number(m[2]);
    if (n < spec.min || n > spec.max) return { args, error: `${m[1]} must be between ${spec.min} and ${spec.max}` };
    args.push(spec.flag, String(n));
  }
  return { args };
}
