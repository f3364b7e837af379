/**
 * Inlay hints that say what the numbers mean: each request's share of the traffic (from the
 * weights), and the schedule's length and peak (from the same resolver the engine uses).
 */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { resolveSchedule } from '../../engine/scenario/resolve-schedule';
import { toPlain, type TableNode } from '../../engine/scenario/toml/ast';
import { topTable, typeOf, type Analysis, type RequestInfo } from '../analysis';

export function formatShare(fraction: number): string {
  const pct = fraction * 100;
  if (pct === 0) return '0%';
  if (pct < 0.1) return '<0.1%';
  if (pct < 10) return `${Number(pct.toFixed(1))}%`;
  return `${Math.round(pct)}%`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return [h ? `${h} h` : '', m ? `${m} min` : '', s ? `${s} s` : ''].filter(Boolean).join(' ');
}

export function inlayHints(a: Analysis, td: TextDocument, range: Range): InlayHint[] {
  const from = td.offsetAt(range.start);
  const to = td.offsetAt(range.end);
  const out: InlayHint[] = [];
  const at = (offset: number, label: string, tooltip: string): void => {
    if (offset < from || offset > to) return;
    out.push({ position: td.positionAt(offset), label, kind: InlayHintKind.Parameter, paddingLeft: true, tooltip });
  };

  for (const share of trafficShares(a)) {
    const r = share.request;
    const anchor = (share.bySequence ? undefined : r.weightNode?.span.end) ?? r.nameNode?.span.end ?? r.header?.span.end;
    if (anchor !== undefined) at(anchor, `≈ ${formatShare(share.fraction)}`, share.why);
  }

  const hint = scheduleHint(a);
  if (hint) at(hint.offset, hint.label, hint.tooltip);
  return out;
}

export interface Share {
  request: RequestInfo;
  fraction: number;
  /** True when a [sequence] decides the mix (weights are then unused). */
  bySequence: boolean;
  why: string;
}

/**
 * Each request's expected share of the traffic: from the weights, or, when a [sequence] is present,
 * from how many times the sequence sends it per pass (repeat counts). Nothing for a single request.
 */
export function trafficShares(a: Analysis): Share[] {
  if (a.requests.length < 2) return [];
  const sequence = topTable(a.doc, 'sequence');
  if (sequence || a.sequenceRefs.length) {
    const per = new Map<string, number>();
    let total = 0;
    for (const step of stepTables(a)) {
      const req = step.entries.get('request')?.value;
      const rep = step.entries.get('repeat')?.value;
      const n = rep?.type === 'scalar' && typeof rep.value === 'number' && rep.value >= 0 ? rep.value : 1;
      if (req?.type !== 'scalar' || typeof req.value !== 'string') continue;
      per.set(req.value, (per.get(req.value) ?? 0) + n);
      total += n;
    }
    if (total <= 0) return [];
    return a.requests.map((request) => {
      const n = per.get(request.name) ?? 0;
      return { request, fraction: n / total, bySequence: true, why: `${request.name}: ${n} of the ${total} requests of each pass through [sequence]` };
    });
  }
  const total = a.requests.reduce((sum, r) => sum + r.weight, 0);
  if (total <= 0) return [];
  return a.requests.map((request) => ({
    request, fraction: request.weight / total, bySequence: false, why: `${request.name}: weight ${request.weight} of ${total} in total`,
  }));
}

function stepTables(a: Analysis): TableNode[] {
  const steps = topTable(a.doc, 'sequence')?.entries.get('steps')?.value;
  return steps?.type === 'array' ? steps.items.filter((i): i is TableNode => i.type === 'table') : [];
}

function plainTable(t: TableNode | undefined): Record<string, unknown> | undefined {
  return t ? (toPlain(t) as Record<string, unknown>) : undefined;
}

/** "60 s · peak 50 VUs", placed after the schedule's type value (else its header, else [runtime]). */
export function scheduleHint(a: Analysis): { offset: number; label: string; tooltip: string } | undefined {
  const schedule = topTable(a.doc, 'schedule');
  const runtime = topTable(a.doc, 'runtime');
  if (!schedule && !runtime) return undefined;
  const resolved = resolveSchedule(plainTable(runtime), plainTable(schedule));
  const type = schedule ? typeOf(schedule) : 'constant';
  if (!type || resolved.peak <= 0) return undefined;
  const open = type === 'arrival_rate' || type === 'ramp_arrival_rate';
  const parts: string[] = [];
  if (resolved.durationSeconds !== undefined) parts.push(formatDuration(resolved.durationSeconds));
  else {
    const it = plainTable(runtime)?.iterations;
    if (typeof it === 'number') parts.push(`${it} iterations per VU`);
  }
  const s = resolved.schedule;
  if (open && s && (s.type === 'arrival_rate' || s.type === 'ramp_arrival_rate')) {
    const peakRate = s.type === 'arrival_rate' ? s.rate : Math.max(s.startRate, s.endRate);
    parts.push(`peak ${peakRate}/s`, `≤ ${resolved.peak} in flight`);
  } else if (!open) parts.push(`peak ${resolved.peak} VU${resolved.peak === 1 ? '' : 's'}`);
  if (!parts.length) return undefined;
  const typeNode = schedule?.entries.get('type')?.value;
  const offset = typeNode?.span.end ?? schedule?.header?.span.end ?? runtime?.header?.span.end;
  if (offset === undefined) return undefined;
  return { offset, label: parts.join(' · '), tooltip: `${schedule ? `${type} schedule` : `No [schedule]: constant at runtime.vus`}: ${parts.join(', ')}` };
}
