// Writes docs/scenario-format.md from the key table (`npm run docs`).
import { writeFileSync } from 'node:fs';
import { renderFormatReference } from '../engine/scenario/format-reference';

writeFileSync('docs/scenario-format.md', renderFormatReference());
console.log('wrote docs/scenario-format.md');
