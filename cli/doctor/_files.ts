// Small helpers the checks share: a file's mode, and a topic shown without giving it away.

/** A file's permission bits, or `undefined` when it does not exist. */
export function modeOf(path: string): number | undefined {
  try {
    return (Deno.statSync(path).mode ?? 0) & 0o777;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** A mode as `chmod` writes it: `0600`. */
export function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

/** Shows enough of a topic to recognise it, not enough to subscribe to it. */
export function maskTopic(topic: string): string {
  return topic.length <= 12 ? topic : `${topic.slice(0, 8)}…(${topic.length} chars)`;
}
