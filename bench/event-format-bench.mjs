/**
 * Which encoding for the event log (docs/event-log.md, "Why this format"): the same synthetic run
 * — 100 VUs in a closed loop, ~2 ms lognormal latencies, two requests, 1 % 503s — encoded as
 *   - tab lines, times as deltas, a 4-hex check per record (what z6 writes),
 *   - tab lines with absolute times and no check,
 *   - NDJSON (one JSON object per record),
 *   - fixed-size binary records,
 * each compressed with gzip level 1 and 6 and brotli quality 4. Bytes per request after
 * compression, and CPU per request to encode and to compress (synchronously here; z6 compresses
 * in zlib's thread pool, off the event loop, but on the same CPU budget).
 *
 *   node bench/event-format-bench.mjs
 */
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';

const VUS = 100;
const REQUESTS = 200_000;

/** A seeded uniform [0, 1) (mulberry32). */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Issue and outcome records in time order, as a closed-loop run would log them. */
function synthetic() {
  const r = rng(1);
  const events = [];
  const k = new Int32Array(VUS);
  const free = Array.from({ length: VUS }, (_, v) => [0, v]);
  for (let n = 0; n < REQUESTS; n++) {
    free.sort((a, b) => a[0] - b[0]);
    const [ready, vu] = free.shift();
    const start = ready + Math.round(r() * 30);
    const lat = Math.round(Math.exp(Math.log(2000) + 0.5 * (r() * 2 - 1)));
    const req = r() < 0.7 ? 0 : 1;
    events.push({ type: 'I', t: start, vu, req, k: k[vu]++, lag: start - ready });
    events.push({ type: 'O', t: start + lat, vu, status: r() < 0.01 ? 503 : 200, lat, bytes: req === 0 ? 5 : 123 });
    free.push([start + lat, vu]);
  }
  return events.sort((a, b) => a.t - b.t);
}

const mix = (h, v) => Math.imul(Math.imul(h ^ (v >>> 0), 0x01000193) ^ ((v / 4294967296) | 0), 0x01000193);
function fmix(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return ((h ^ (h >>> 16)) & 0xffff).toString(16).padStart(4, '0');
}

const ENCODERS = {
  'tab, Δt, check (z6)': () => {
    let last = 0;
    let seq = 0;
    return (e) => {
      const dt = e.t - last;
      last = e.t;
      let h = mix(mix(0x811c9dc5, seq++), e.type === 'I' ? 3 : 4);
      if (e.type === 'I') {
        for (const v of [dt, e.vu, e.req, e.k, e.lag, 0]) h = mix(h, v);
        return `I\t${dt}\t${e.vu}\t${e.req}\t${e.k}\t${e.lag}\t-\t${fmix(h)}\n`;
      }
      for (const v of [dt, e.vu, e.status, e.lat, -1, e.bytes, 0, 0, -1]) h = mix(h, v);
      return `O\t${dt}\t${e.vu}\t${e.status}\t${e.lat}\t-\t${e.bytes}\t0\t-\t-\t${fmix(h)}\n`;
    };
  },
  'tab, absolute t': () => (e) => (e.type === 'I' ? `I\t${e.t}\t${e.vu}\t${e.req}\t${e.k}\t${e.lag}\t-\n` : `O\t${e.t}\t${e.vu}\t${e.status}\t${e.lat}\t-\t${e.bytes}\t0\t-\t-\n`),
  NDJSON: () => (e) => JSON.stringify(e) + '\n',
};

function binary(events) {
  const b = Buffer.alloc(events.length * 24);
  let o = 0;
  for (const e of events) {
    b[o] = e.type === 'I' ? 1 : 2;
    b.writeUInt32LE(e.t >>> 0, o + 1);
    b.writeUInt32LE(e.vu, o + 5);
    if (e.type === 'I') {
      b.writeUInt16LE(e.req, o + 9);
      b.writeUInt32LE(e.k, o + 11);
      b.writeInt32LE(e.lag, o + 15);
      o += 19;
    } else {
      b.writeUInt16LE(e.status, o + 9);
      b.writeUInt32LE(e.lat, o + 11);
      b.writeUInt32LE(e.bytes, o + 15);
      o += 19;
    }
  }
  return b.subarray(0, o);
}

const COMPRESSORS = {
  'gzip 1': (b) => zlib.gzipSync(b, { level: 1 }),
  'gzip 6': (b) => zlib.gzipSync(b, { level: 6 }),
  'brotli 4': (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }),
};

function encodeText(events, make) {
  const enc = make();
  const parts = [];
  let s = '';
  for (const e of events) {
    s += enc(e);
    if (s.length > 65536) {
      parts.push(Buffer.from(s, 'latin1'));
      s = '';
    }
  }
  parts.push(Buffer.from(s, 'latin1'));
  return Buffer.concat(parts);
}

/** Best of 3 (warm): ns per request. */
function timed(fn) {
  let best = Infinity;
  let out;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    out = fn();
    best = Math.min(best, performance.now() - t);
  }
  return { out, ns: (best * 1e6) / REQUESTS };
}

export function runEventFormatBench(log = console.log) {
  const events = synthetic();
  const rows = [];
  const formats = [...Object.entries(ENCODERS).map(([name, make]) => [name, () => encodeText(events, make)]), ['binary, fixed records', () => binary(events)]];
  for (const [name, encode] of formats) {
    const { out: raw, ns: encodeNs } = timed(encode);
    for (const [cname, compress] of Object.entries(COMPRESSORS)) {
      const { out: z, ns: compressNs } = timed(() => compress(raw));
      rows.push({ format: name, compression: cname, rawBytes: raw.length / REQUESTS, bytes: z.length / REQUESTS, encodeNs, compressNs });
    }
  }
  log('| format | compression | raw bytes/req | compressed bytes/req | encode ns/req | compress ns/req |');
  log('|---|---|---|---|---|---|');
  for (const r of rows) log(`| ${r.format} | ${r.compression} | ${r.rawBytes.toFixed(1)} | ${r.bytes.toFixed(1)} | ${r.encodeNs.toFixed(0)} | ${r.compressNs.toFixed(0)} |`);
  return rows;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) runEventFormatBench();
