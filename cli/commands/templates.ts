/**
 * `claude-ntfy templates`: lists the notification templates or shows one.
 *
 * @module
 */

import { type CliIo, type Command, ExitCode } from "../io.ts";
import { projectDirOf } from "../project_dir.ts";
import { readCommandLine } from "../command_line.ts";
import type { Config } from "../../core/config/config.ts";
import { ConfigError } from "../../core/config/config_error.ts";
import { loadConfig } from "../../core/config/load_config.ts";
import {
  BUILTIN_TEMPLATES,
  builtinTemplate,
  GENERIC_TEMPLATE,
} from "../../core/templates/builtin_templates.ts";
import { COMPUTED_VARIABLES } from "../../core/templates/template_variables.ts";
import { KNOWN_HOOK_EVENTS } from "../../core/events/hook_event.ts";

const HELP = `Usage: claude-ntfy templates [--show EVENT] [--project DIR]

Lists every event with its template (built-in or custom) and whether it notifies, or
shows one event's title and body templates, tags and the variables they can use.
Use "generic" for the template of events without their own.

Options:
  --show EVENT    show one event's template
  --project DIR   the project whose config applies (default: $CLAUDE_PROJECT_DIR, else
                  the current folder)
  -h, --help      show this help

Templates: {{var}}, {{nested.path}}, {{#if x}}..{{else if y}}..{{else}}..{{/if}},
{{#unless x}}..{{/unless}}, helpers eq ne gt gte lt lte not and or len truncate substr
default upper lower, e.g. {{#if (eq tool_name "Bash")}}$ {{command}}{{/if}}.

Session variables (what the daemon knows of the event's Claude Code session):
session_label (the start of its first prompt, else session_short), session_state
(working, waiting_permission, waiting_input, done), last_message (Claude's last reply),
pending_tool (the tool call it started last), background_running and
background_summary (for Stop). Stop is sent as Markdown. Titles and bodies have secrets
masked ([redact]) and are cut to ntfy's limits after rendering.
`;

function customOf(config: Config, map: Record<string, string>, event: string): string | undefined {
  if (!config.templates.use_custom) return undefined;
  if (Object.hasOwn(map, event)) return map[event];
  if (event !== "generic" && !Object.hasOwn(BUILTIN_TEMPLATES, event)) {
    return Object.hasOwn(map, "generic") ? map.generic : undefined;
  }
  return undefined;
}

function enabled(config: Config, event: string): boolean {
  const events = config.hooks.events;
  return Object.hasOwn(events, event) ? events[event] : events["*"] === true;
}

function indent(text: string): string {
  return text.split("\n").map((line) => `    ${line}`).join("\n");
}

/** `templates [--show EVENT] [--project DIR]`. */
export const templatesCommand: Command = {
  name: "templates",
  summary: "list the notification templates, or show one",
  run(args: string[], io: CliIo): Promise<number> {
    return Promise.resolve(runTemplates(args, io));
  },
};

function runTemplates(args: string[], io: CliIo): number {
  const parsed = readCommandLine(args, io, {
    command: "templates",
    help: HELP,
    flags: { show: { type: "string" }, project: { type: "string" } },
  });
  if (typeof parsed === "number") return parsed;
  const values = parsed.flags;
  let config: Config;
  try {
    const loaded = loadConfig({
      projectDir: projectDirOf(io, values.project),
      homeDir: io.env("HOME") ?? "",
      env: io.env,
    });
    config = loaded.config;
    for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`claude-ntfy templates: ${error.message}\n`);
    return ExitCode.Error;
  }

  if (values.show === undefined) {
    const events = [...KNOWN_HOOK_EVENTS];
    for (const map of [config.templates.custom_templates, config.hooks.events]) {
      for (const name of Object.keys(map)) {
        if (!events.includes(name) && name !== "*" && name !== "generic") events.push(name);
      }
    }
    const width = Math.max(...events.map((event) => event.length), "generic".length);
    const rows = [...events, "generic"].map((event) => {
      const custom = customOf(config, config.templates.custom_templates, event) !== undefined ||
        customOf(config, config.templates.custom_titles, event) !== undefined;
      const state = event === "generic" ? "" : enabled(config, event) ? "on " : "off";
      const tags = builtinTemplate(event).tags.join(",");
      return `  ${event.padEnd(width)}  ${state.padEnd(3)}  ${
        custom ? "custom  " : "built-in"
      }  ${tags}`;
    });
    io.stdout(
      `Events (on/off from hooks.events; "generic" is for events without a template):\n` +
        `${rows.join("\n")}\n\n` +
        `Custom templates are ${
          config.templates.use_custom ? "on" : "off"
        } (templates.use_custom). ` +
        `Run "claude-ntfy templates --show EVENT" for one template and its variables.\n`,
    );
    return ExitCode.Ok;
  }

  const event = values.show;
  const builtin = event === "generic" ? GENERIC_TEMPLATE : builtinTemplate(event);
  const customTitle = customOf(config, config.templates.custom_titles, event);
  const customBody = customOf(config, config.templates.custom_templates, event);
  const known = event === "generic" || Object.hasOwn(BUILTIN_TEMPLATES, event);
  const lines = [
    `${event}${known ? "" : " (no built-in template: the generic one applies)"}`,
    "",
    `Title (${customTitle === undefined ? "built-in" : "custom"}):`,
    indent(customTitle ?? builtin.title),
    "",
    `Body (${customBody === undefined ? "built-in" : "custom"}):`,
    indent(customBody ?? builtin.body),
  ];
  if (customTitle !== undefined || customBody !== undefined) {
    lines.push(
      "",
      "Built-in title:",
      indent(builtin.title),
      "",
      "Built-in body:",
      indent(builtin.body),
    );
  }
  lines.push(
    "",
    `Tags: ${builtin.tags.join(", ")}${
      event === "Notification"
        ? " (by notification_type: permission_prompt warning, idle_prompt hourglass_flowing_sand, elicitation_dialog question, auth_success key)"
        : ""
    }`,
    "",
    "Variables: every field of the event's JSON (e.g. tool_input.command, message), plus:",
    ...COMPUTED_VARIABLES.map((variable) =>
      `  ${variable.name.padEnd(15)} ${variable.description}`
    ),
  );
  const custom = Object.keys(config.templates.variables);
  if (custom.length > 0) lines.push(`  and from templates.variables: ${custom.join(", ")}`);
  io.stdout(`${lines.join("\n")}\n`);
  return ExitCode.Ok;
}
