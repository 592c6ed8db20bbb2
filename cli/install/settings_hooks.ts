/**
 * Adding, finding and removing claude-ntfy's entries in the `hooks` of a Claude Code
 * settings.json, leaving every other hook and setting as it was, down to the bytes:
 * the edits are made in the file's text (see `jsonc_edit.ts`), so comments, indentation
 * and trailing commas stay. Pure: text in, text out.
 *
 * @module
 */

import { hookTimeoutSecs } from "./hooked_events.ts";
import { insertJsonc, parseJsonc, removeJsonc, replaceJsonc } from "./jsonc_edit.ts";
import { isClaudeNtfyHookCommand } from "./hook_command_line.ts";

/** What {@linkcode addHookEntries} did, event by event. */
export interface HookChanges {
  /** Events that had no claude-ntfy entry and now have one. */
  readonly added: string[];
  /** Events whose claude-ntfy entry was rewritten (new command, duplicates removed). */
  readonly updated: string[];
  /** Events that already had exactly this entry. */
  readonly unchanged: string[];
}

/** A claude-ntfy entry found in a settings document. */
export interface FoundHook {
  /** The event it is registered for. */
  readonly event: string;
  /** Its command line. */
  readonly command: string;
  /** Its group's matcher (`""` when it has none). */
  readonly matcher: string;
  /** Its `timeout` in seconds, when it has one. */
  readonly timeout?: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The `hooks` object, or a `TypeError` naming what the settings hold instead. */
function hooksOf(settings: unknown): Json | undefined {
  if (!isObject(settings)) {
    throw new TypeError("Invalid settings: the file must hold a JSON object");
  }
  const hooks = settings.hooks;
  if (hooks === undefined) return undefined;
  if (!isObject(hooks)) throw new TypeError('Invalid settings: "hooks" must be an object');
  return hooks;
}

function eventGroups(hooks: Json | undefined, event: string): unknown[] | undefined {
  const groups = hooks !== undefined && Object.hasOwn(hooks, event) ? hooks[event] : undefined;
  if (groups === undefined) return undefined;
  if (!Array.isArray(groups)) {
    throw new TypeError(`Invalid settings: "hooks.${event}" must be an array`);
  }
  return groups;
}

function isOurs(handler: unknown): handler is Json & { command: string } {
  return isObject(handler) && handler.type === "command" &&
    typeof handler.command === "string" && isClaudeNtfyHookCommand(handler.command);
}

/** The handlers array of a matcher group, when it has one. */
function handlersOf(group: unknown): unknown[] | undefined {
  return isObject(group) && Array.isArray(group.hooks) ? group.hooks : undefined;
}

/** Where one of our handlers is: its group and its place in the group. */
interface Place {
  readonly group: number;
  readonly handler: number;
  readonly value: Json & { command: string };
}

function ourPlaces(groups: readonly unknown[]): Place[] {
  return groups.flatMap((group, groupIndex) =>
    (handlersOf(group) ?? []).flatMap((value, handler) =>
      isOurs(value) ? [{ group: groupIndex, handler, value }] : []
    )
  );
}

/**
 * Removes our handlers at `places` from one event's groups, last first (so the earlier
 * places stay valid), and each group this emptied.
 */
function removePlaces(text: string, event: string, places: readonly Place[]): string {
  const groups = eventGroups(hooksOf(parseJsonc(text)), event) ?? [];
  for (const place of [...places].reverse()) {
    const path = ["hooks", event, place.group];
    const handlers = handlersOf(groups[place.group])!;
    const left = handlers.filter((_, index) =>
      !places.some((other) => other.group === place.group && other.handler === index)
    );
    if (left.length === 0) {
      if (place === places.findLast((other) => other.group === place.group)) {
        text = removeJsonc(text, path);
      }
    } else text = removeJsonc(text, [...path, "hooks", place.handler]);
  }
  return text;
}

/**
 * Registers `command` for each of `events` in a settings text.
 *
 * An event without a claude-ntfy entry gets a new group
 * `{ "matcher": "", "hooks": [{ "type": "command", "command": …, "timeout": 10 }] }` at
 * the end of its array (the timeout is `timeouts[event]` when given, else the event's in
 * `HOOKED_EVENTS`: 120 s for `PermissionRequest`). An event with one keeps it where it is,
 * with its matcher and timeout: only the command is replaced (a missing timeout added, one
 * shorter than `timeouts[event]` raised); further
 * claude-ntfy entries for the same event are removed, so it never notifies twice.
 * Entries of other tools, and every other byte of the text, are left as they were.
 *
 * @param text The settings.json text (JSON, comments and trailing commas allowed).
 * @param options The command line and the events to register it for.
 * @returns The new text and what changed, event by event.
 * @throws {TypeError} when the settings, their `hooks` or an event's value has the wrong type.
 * @throws {SyntaxError} when the text is not valid JSON.
 *
 * @example Another tool's hook stays as it was
 * ```ts
 * import assert from "node:assert/strict";
 * import { addHookEntries } from "./settings_hooks.ts";
 *
 * const settings = '{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "say done"}]}]}}';
 * const { text, changes } = addHookEntries(settings, { command: "claude-ntfy hook", events: ["Stop", "Notification"] });
 * assert.deepEqual(changes, { added: ["Stop", "Notification"], updated: [], unchanged: [] });
 * assert.ok(text.startsWith('{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "say done"}]}'));
 * ```
 */
export function addHookEntries(
  text: string,
  options: {
    command: string;
    events: readonly string[];
    timeouts?: Readonly<Record<string, number>>;
  },
): { text: string; changes: HookChanges } {
  const changes: HookChanges = { added: [], updated: [], unchanged: [] };
  for (const event of options.events) {
    const hooks = hooksOf(parseJsonc(text));
    const groups = eventGroups(hooks, event);
    const ours = ourPlaces(groups ?? []);
    const first = ours[0];
    const timeout = options.timeouts?.[event] ?? hookTimeoutSecs(event);
    if (first === undefined) {
      const group = {
        matcher: "",
        hooks: [{ type: "command", command: options.command, timeout }],
      };
      text = hooks === undefined
        ? insertJsonc(text, ["hooks"], { [event]: [group] })
        : groups === undefined
        ? insertJsonc(text, ["hooks", event], [group])
        : insertJsonc(text, ["hooks", event, -1], group);
      changes.added.push(event);
      continue;
    }
    const before = text;
    const path = ["hooks", event, first.group, "hooks", first.handler];
    if (first.value.command !== options.command) {
      text = replaceJsonc(text, [...path, "command"], options.command);
    }
    const current = first.value.timeout;
    if (current === undefined) {
      text = insertJsonc(text, [...path, "timeout"], timeout);
    } else if (
      options.timeouts?.[event] !== undefined && typeof current === "number" && current < timeout
    ) {
      // Too short for the wait approvals need: Claude Code would kill the hook first.
      text = replaceJsonc(text, [...path, "timeout"], timeout);
    }
    if (ours.length > 1) text = removePlaces(text, event, ours.slice(1));
    (text === before ? changes.unchanged : changes.updated).push(event);
  }
  return { text, changes };
}

/**
 * Removes every claude-ntfy entry from a settings text. A group, an event's array or the
 * `hooks` object is removed only when this emptied it; every other byte stays.
 *
 * @param text The settings.json text.
 * @returns The new text and the events that had a claude-ntfy entry.
 * @throws {TypeError} when the settings or their `hooks` have the wrong type.
 * @throws {SyntaxError} when the text is not valid JSON.
 *
 * @example Install, then uninstall: the same text
 * ```ts
 * import assert from "node:assert/strict";
 * import { addHookEntries, removeHookEntries } from "./settings_hooks.ts";
 *
 * const settings = '{\n  // mine\n  "model": "opus",\n}\n';
 * const installed = addHookEntries(settings, { command: "claude-ntfy hook", events: ["Stop"] });
 * assert.deepEqual(removeHookEntries(installed.text), { text: settings, removed: ["Stop"] });
 * ```
 */
export function removeHookEntries(text: string): { text: string; removed: string[] } {
  const removed: string[] = [];
  const hooks = hooksOf(parseJsonc(text));
  for (const [event, groups] of Object.entries(hooks ?? {})) {
    if (!Array.isArray(groups)) continue;
    const ours = ourPlaces(groups);
    if (ours.length === 0) continue;
    removed.push(event);
    text = removePlaces(text, event, ours);
    if (eventGroups(hooksOf(parseJsonc(text)), event)?.length === 0) {
      text = removeJsonc(text, ["hooks", event]);
    }
  }
  if (removed.length > 0 && Object.keys(hooksOf(parseJsonc(text)) ?? {}).length === 0) {
    text = removeJsonc(text, ["hooks"]);
  }
  return { text, removed };
}

/**
 * The claude-ntfy entries in parsed settings, in file order.
 *
 * @param settings The parsed settings.json.
 * @returns Each entry's event, command and matcher.
 * @throws {TypeError} when the settings or their `hooks` have the wrong type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findHookEntries } from "./settings_hooks.ts";
 *
 * const settings = { hooks: { Stop: [{ matcher: "", hooks: [{ type: "command", command: "claude-ntfy hook" }] }] } };
 * assert.deepEqual(findHookEntries(settings), [{ event: "Stop", command: "claude-ntfy hook", matcher: "" }]);
 * ```
 */
export function findHookEntries(settings: unknown): FoundHook[] {
  const found: FoundHook[] = [];
  for (const [event, groups] of Object.entries(hooksOf(settings) ?? {})) {
    if (!Array.isArray(groups)) continue;
    for (const group of groups) {
      const matcher = isObject(group) && typeof group.matcher === "string" ? group.matcher : "";
      for (const handler of handlersOf(group) ?? []) {
        if (isOurs(handler)) {
          const timeout = typeof handler.timeout === "number" ? handler.timeout : undefined;
          found.push({
            event,
            command: handler.command,
            matcher,
            ...(timeout === undefined ? {} : { timeout }),
          });
        }
      }
    }
  }
  return found;
}
