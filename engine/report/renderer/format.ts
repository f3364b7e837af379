/** Number formatting for people: fixed, locale-free (the report must read the same everywhere). */

function group(n: number): string {
  const [int, frac] = String(n).split('.');
  const g = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${g}.${frac}` : g;
}

export function count(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return group(Math.round(n));
}

/** Milliseconds with precision that fits the size: 0.42 ms, 12.3 ms, 1,204 ms. */
export function ms(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  // Below 0.01 ms two decimals would read 0.00 (an assertion of 0.001 ms is not "<= 0.00 ms").
  if (n > 0 && n < 0.01) return `${Number(n.toPrecision(2))} ms`;
  if (n < 10) return `${n.toFixed(2)} ms`;
  if (n < 100) return `${n.toFixed(1)} ms`;
  return `${group(Math.round(n))} ms`;
}

export function rate(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n < 100 ? n.toFixed(1) : group(Math.round(n));
}

/** A fraction 0..1 as a percentage; tiny non-zero values stay visible (0.01 %, not 0.0 %). */
export function percent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  const p = fraction * 100;
  if (p === 0) return '0 %';
  if (p < 0.1) return `${p.toFixed(2)} %`;
  return `${p.toFixed(1)} %`;
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

export function seconds(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (n < 60) return `${n < 10 ? n.toFixed(1) : Math.round(n)} s`;
  const m = Math.floor(n / 60);
  const s = Math.round(n % 60);
  return s ? `${m} min ${s} s` : `${m} min`;
}

/** An assertion value, formatted for its key's unit (schema.ts [assertions]: *_ms, rps_*, *rate*). */
export function assertionValue(key: string, v: number | null): string {
  if (v === null) return 'not measured';
  if (key.endsWith('_ms')) return ms(v);
  if (key.startsWith('rps')) return `${rate(v)} req/s`;
  // error_rate_max, success_rate_min, status_5xx_max_rate: fractions 0..1.
  if (key.includes('rate')) return percent(v);
  return String(v);
}

/** ISO time as "2026-11-25 00:48:31 UTC" — unambiguous and independent of the viewer's locale. */
export function isoTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
