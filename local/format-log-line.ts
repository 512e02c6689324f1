/**
 * One line of the local control plane's output: local wall-clock time, then the event.
 *
 * @example
 * formatLogLine(new Date(2026, 0, 1, 12, 0, 1), 'node worker-2 joined'); // '12:00:01 node worker-2 joined'
 */
export function formatLogLine(time: Date, text: string): string {
  const clock = [time.getHours(), time.getMinutes(), time.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
  return `${clock} ${text}`;
}
