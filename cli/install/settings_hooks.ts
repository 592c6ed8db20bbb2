/**
 * Adding, finding and removing claude-ntfy's entries in the `hooks` of a Claude Code
 * settings.json, leaving every other hook and setting as it was. Pure: works on a parsed
 * {@linkcode JsonNode} document.
 *
 * @module
 */

import {
  fromJsonNode,
  getMember,
  type JsonArray,
  type JsonNode,
  type JsonObject,
  removeMember,
  setMember,
  stringValue,
  toJsonNode,
} from "./json_document.ts";
import { isClaudeNtfyHookCommand } from "./hook_command_line.ts";
import { hookTimeoutSecs } from "./hooked_events.ts";

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

/** A number's value, or `undefined` for anything else. */
function numberValue(node: JsonNode | undefined): number | undefined {
  if (node === undefined) return undefined;
  const value = fromJsonNode(node);
  return typeof value === "number" ? value : undefined;
}

/** The root object, or a `TypeError` naming what the file holds instead. */
function rootObject(document: JsonNode): JsonObject {
  if (document.kind !== "object") {
    throw new TypeError("Invalid settings: the file must hold a JSON object");
  }
  return document;
}

function hooksObject(root: JsonObject): JsonObject | undefined {
  const hooks = getMember(root, "hooks");
  if (hooks === undefined) return undefined;
  if (hooks.kind !== "object") {
    throw new TypeError('Invalid settings: "hooks" must be an object');
  }
  return hooks;
}

function eventArray(hooks: JsonObject, event: string): JsonArray | undefined {
  const entries = getMember(hooks, event);
  if (entries === undefined) return undefined;
  if (entries.kind !== "array") {
    throw new TypeError(`Invalid settings: "hooks.${event}" must be an array`);
  }
  return entries;
}

function isOurs(handler: JsonNode): handler is JsonObject {
  if (handler.kind !== "object") return false;
  if (stringValue(getMember(handler, "type")) !== "command") return false;
  const command = stringValue(getMember(handler, "command"));
  return command !== undefined && isClaudeNtfyHookCommand(command);
}

/** The handlers array of a matcher group, when it has one. */
function handlersOf(group: JsonNode): JsonArray | undefined {
  if (group.kind !== "object") return undefined;
  const handlers = getMember(group, "hooks");
  return handlers?.kind === "array" ? handlers : undefined;
}

/**
 * Removes claude-ntfy's handlers from one event's groups, except `keep`; drops groups
 * that this emptied. Returns whether anything was removed.
 */
function removeOurs(entries: JsonArray, keep?: JsonNode): boolean {
  let removed = false;
  entries.items = entries.items.filter((group) => {
    const handlers = handlersOf(group);
    if (handlers === undefined) return true;
    const before = handlers.items.length;
    handlers.items = handlers.items.filter((handler) => handler === keep || !isOurs(handler));
    if (handlers.items.length === before) return true;
    removed = true;
    return handlers.items.length > 0;
  });
  return removed;
}

/**
 * Registers `command` for each of `events` in a settings document, in place.
 *
 * An event without a claude-ntfy entry gets a new group
 * `{ "matcher": "", "hooks": [{ "type": "command", "command": …, "timeout": 10 }] }` at
 * the end of its array (the timeout is `timeouts[event]` when given, else the event's in
 * `HOOKED_EVENTS`: 120 s for `PermissionRequest`). An event with one keeps it where it
 * is, with its matcher and timeout: only the command is replaced (a missing timeout added,
 * one shorter than `timeouts[event]` raised); further claude-ntfy entries for the same
 * event are removed, so it never notifies twice. Entries of other tools are never touched.
 *
 * @throws {TypeError} when the document, its `hooks` or an event's value has the wrong type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseJsonDocument } from "./json_document.ts";
 * import { addHookEntries } from "./settings_hooks.ts";
 *
 * const settings = parseJsonDocument('{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "say done"}]}]}}');
 * const changes = addHookEntries(settings, { command: "claude-ntfy hook", events: ["Stop", "Notification"] });
 * assert.deepEqual(changes, { added: ["Stop", "Notification"], updated: [], unchanged: [] });
 * ```
 */
export function addHookEntries(
  document: JsonNode,
  options: {
    command: string;
    events: readonly string[];
    timeouts?: Readonly<Record<string, number>>;
  },
): HookChanges {
  const root = rootObject(document);
  const changes: HookChanges = { added: [], updated: [], unchanged: [] };
  let hooks = hooksObject(root);
  for (const event of options.events) {
    const timeout = options.timeouts?.[event] ?? hookTimeoutSecs(event);
    const entries = hooks === undefined ? undefined : eventArray(hooks, event);
    const existing = entries?.items.flatMap((group) =>
      handlersOf(group)?.items.filter(isOurs) ?? []
    ) ?? [];
    const first = existing[0];
    if (first === undefined) {
      if (hooks === undefined) {
        hooks = { kind: "object", members: [] };
        setMember(root, "hooks", hooks);
      }
      const group = toJsonNode({
        matcher: "",
        hooks: [{ type: "command", command: options.command, timeout }],
      });
      if (entries === undefined) setMember(hooks, event, { kind: "array", items: [group] });
      else entries.items.push(group);
      changes.added.push(event);
      continue;
    }
    let changed = false;
    if (stringValue(getMember(first, "command")) !== options.command) {
      setMember(first, "command", toJsonNode(options.command));
      changed = true;
    }
    const current = numberValue(getMember(first, "timeout"));
    if (
      getMember(first, "timeout") === undefined ||
      (options.timeouts?.[event] !== undefined && current !== undefined && current < timeout)
    ) {
      setMember(first, "timeout", toJsonNode(timeout));
      changed = true;
    }
    if (existing.length > 1 && removeOurs(entries!, first)) changed = true;
    (changed ? changes.updated : changes.unchanged).push(event);
  }
  return changes;
}

/**
 * Removes every claude-ntfy entry from a settings document, in place. A group, an event's
 * array or the `hooks` object is removed only when this emptied it.
 *
 * @returns the events that had a claude-ntfy entry.
 * @throws {TypeError} when the document or its `hooks` has the wrong type.
 */
export function removeHookEntries(document: JsonNode): string[] {
  const root = rootObject(document);
  const hooks = hooksObject(root);
  if (hooks === undefined) return [];
  const removed: string[] = [];
  for (const member of [...hooks.members]) {
    if (member.value.kind !== "array") continue;
    if (!removeOurs(member.value)) continue;
    removed.push(member.key);
    if (member.value.items.length === 0) {
      hooks.members = hooks.members.filter((candidate) => candidate !== member);
    }
  }
  if (removed.length > 0 && hooks.members.length === 0) removeMember(root, "hooks");
  return [...new Set(removed)];
}

/**
 * The claude-ntfy entries in a settings document, in file order.
 *
 * @throws {TypeError} when the document or its `hooks` has the wrong type.
 */
export function findHookEntries(document: JsonNode): FoundHook[] {
  const hooks = hooksObject(rootObject(document));
  if (hooks === undefined) return [];
  const found: FoundHook[] = [];
  for (const member of hooks.members) {
    if (member.value.kind !== "array") continue;
    for (const group of member.value.items) {
      const matcher = group.kind === "object" ? stringValue(getMember(group, "matcher")) : "";
      for (const handler of handlersOf(group)?.items ?? []) {
        if (!isOurs(handler)) continue;
        const timeout = numberValue(getMember(handler, "timeout"));
        found.push({
          event: member.key,
          command: stringValue(getMember(handler, "command"))!,
          matcher: matcher ?? "",
          ...(timeout === undefined ? {} : { timeout }),
        });
      }
    }
  }
  return found;
}
