import { readFile, rename, writeFile } from 'node:fs/promises';
import { RolloutRecorder } from '../dashboard/rollout-recorder.js';

/** The file in the local control plane's state directory. */
export const DASHBOARD_HISTORY = 'dashboard-history.json';

export type DashboardHistoryFile = Readonly<{
  /** The recorder to hand the dashboard: the stored one, or a new one when there is none (or it is unreadable). */
  recorder: RolloutRecorder;
  /** Writes the history now if it changed since the last write. */
  save: () => Promise<void>;
  /** Stops the periodic writes and writes once more. */
  stop: () => Promise<void>;
}>;

/**
 * Keeps the dashboard's rollout history (charts, last rollouts, its feed events) in a file, so a restarted local
 * control plane carries on with it: read at start, written every `intervalMs` when it changed and at stop (to a
 * temporary file renamed over the old one, so a crash mid-write leaves the previous history). An unreadable file
 * is told to `log` and set aside: the dashboard starts a new history rather than not starting.
 */
export async function openDashboardHistoryFile(
  path: string,
  log: (message: string) => void,
  intervalMs = 5_000,
): Promise<DashboardHistoryFile> {
  const recorder = await readHistory(path, log);
  let written = recorder.revision;
  let writing = Promise.resolve();
  const save = (): Promise<void> => {
    writing = writing.then(async () => {
      const revision = recorder.revision;
      if (revision === written) return;
      const temporary = `${path}.tmp`;
      await writeFile(temporary, JSON.stringify(recorder.history()), { mode: 0o600 });
      await rename(temporary, path);
      written = revision;
    });
    return writing.catch((error: unknown) => log(`dashboard history: not written: ${String(error)}`));
  };
  const timer = setInterval(() => void save(), intervalMs);
  timer.unref();
  return {
    recorder,
    save,
    stop: async () => {
      clearInterval(timer);
      await save();
    },
  };
}

async function readHistory(path: string, log: (message: string) => void): Promise<RolloutRecorder> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log(`dashboard history: not read: ${String(error)}`);
    return new RolloutRecorder();
  }
  try {
    return RolloutRecorder.restore(JSON.parse(text));
  } catch (error) {
    const aside = `${path}.unreadable`;
    await rename(path, aside).catch(() => undefined);
    log(`dashboard history: ${path} set aside as ${aside}, starting a new one: ${String(error)}`);
    return new RolloutRecorder();
  }
}
