import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type UplotAssets = Readonly<{ script: string; css: string }>;

let cached: UplotAssets | undefined;

/**
 * uPlot (MIT, one dependency-free file) as the page inlines it: its IIFE build defines `window.uPlot`.
 * Read once from the installed package, so the page stays one self-contained document with no build step
 * (see docs/decisions/0008-dashboard-fleet-view.md).
 */
export function uplotAssets(): UplotAssets {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const dist = (file: string) => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');
  cached = {
    // The banner comment names the project's URL; the page keeps no external address, so it goes.
    script: dist('uPlot.iife.min.js').replace(/^\/\*![^*]*\*\/\s*/, ''),
    css: dist('uPlot.min.css'),
  };
  return cached;
}
