import type { Progress } from './bench-result.js';

/**
 * Progress on stderr with the time since the run began. On a terminal the line is rewritten in place and
 * updates are throttled; otherwise (CI, redirected output) every message is its own line.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress & { done: () => void } {
  const start = performance.now();
  let last = 0;
  let open = false;
  const progress = (message: string): void => {
    const now = performance.now();
    const line = `[${((now - start) / 1000).toFixed(1).padStart(6)} s] ${message}`;
    if (!stream.isTTY) {
      stream.write(`${line}\n`);
      return;
    }
    if (now - last < 100) return;
    last = now;
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
    open = true;
  };
  return Object.assign(progress, {
    done: () => {
      if (open) stream.write('\r\x1b[2K');
      open = false;
    },
  });
}
