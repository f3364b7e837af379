// Types for the parts of proc.mjs that TypeScript benches (bench/*.ts) use.
export function loadAverage(): string;
export function waitQuiet(o?: { ourPids?: number[]; threshold?: number; quietMs?: number; maxWaitMs?: number; stepMs?: number }): Promise<{ waitedMs: number; quiet: boolean }>;
