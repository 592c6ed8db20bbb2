/**
 * A log file with size-based rotation: when it passes the limit it becomes `<name>.1`
 * (older ones shift to `.2`, ...), and a fresh file starts.
 *
 * @module
 */

import type { LogSink } from "./log.ts";
import { writeAllSync } from "../client/write_all.ts";

/** Rotation limits. */
export interface LogFileOptions {
  /** Bytes before rotating. @default {5242880} */
  maxBytes?: number;
  /** Rotated files kept. @default {3} */
  keep?: number;
}

const encoder = new TextEncoder();

/**
 * Opens (creating with mode 0600) a log file and returns a sink that appends to it.
 *
 * @example
 * ```ts ignore
 * const log = new Logger({ sink: openLogFile("/home/ada/.claude/ntfy-service/daemon.log") });
 * ```
 */
export function openLogFile(path: string, options: LogFileOptions = {}): LogSink {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = options.keep ?? 3;
  const open = () => Deno.openSync(path, { append: true, create: true, write: true, mode: 0o600 });
  let file = open();
  let size = file.statSync().size;
  return (line: string) => {
    const bytes = encoder.encode(line);
    if (size + bytes.byteLength > maxBytes && size > 0) {
      file.close();
      for (let index = keep - 1; index >= 1; index--) {
        try {
          Deno.renameSync(`${path}.${index}`, `${path}.${index + 1}`);
        } catch (error) {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        }
      }
      Deno.renameSync(path, `${path}.1`);
      file = open();
      size = 0;
    }
    writeAllSync(file, bytes);
    size += bytes.byteLength;
  };
}
