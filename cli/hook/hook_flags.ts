/**
 * The flags of `claude-ntfy hook`, shared by the command and its slow paths.
 *
 * @module
 */

/** The hook's flags, as parsed. */
export interface HookFlags {
  /** `--hook-name`: the event name when the payload has none. */
  readonly "hook-name"?: string;
  /** `--project`: the project directory. */
  readonly project?: string;
  /** `--state-dir`: the daemon's state folder. */
  readonly "state-dir"?: string;
  /** `--dry-run`: print what would be sent. */
  readonly "dry-run"?: boolean;
  /** `--no-daemon`: publish from this process. */
  readonly "no-daemon"?: boolean;
  /** `-v`: say what became of the event. */
  readonly verbose?: boolean;
  /** `-h`: show the help. */
  readonly help?: boolean;
}
