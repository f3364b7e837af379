/** How a figure's change reads, the same in the terminal table and the report's comparison. */
import type { FigureDelta } from './compare';

/** Relative when there is a base ("+12.3 %", "-40 %"), "from 0" when there is none, "" when a side is missing. */
export function changeText(f: Pick<FigureDelta, 'a' | 'b' | 'relative'>): string {
  if (f.a === null || f.b === null) return '';
  if (f.relative !== null) {
    const p = f.relative * 100;
    return p === 0 ? '0' : `${p > 0 ? '+' : ''}${Math.abs(p) >= 100 ? p.toFixed(0) : p.toFixed(1)} %`;
  }
  return f.b === 0 ? '0' : 'from 0';
}
