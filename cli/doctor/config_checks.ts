/**
 * `doctor`'s checks of the configuration: it loads, a topic is set and is not guessable,
 * and files holding a token are private.
 *
 * @module
 */

import type { CliContext } from "../context.ts";
import { parseConfigText } from "../../core/config/load_config.ts";
import { splitTopicUrl } from "../../core/config/topic_url.ts";
import { check, type DoctorCheck } from "../install/doctor_check.ts";
import { topicWeakness } from "../install/topic_strength.ts";
import { maskTopic, modeOf, octal } from "./_files.ts";

/** The config loads (which files), its warnings, and whether notifications are on. */
export function configChecks(context: CliContext): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  checks.push(
    context.configFiles.length === 0
      ? check("config", "ok", "Config loads: built-in defaults only (no config file)", {
        details: [`looked for ${[...new Set(context.candidateConfigFiles)].join(" and ")}`],
      })
      : check("config", "ok", `Config loads: ${context.configFiles.join(", ")}`),
  );
  if (context.warnings.length > 0) {
    checks.push(
      check("config-warnings", "warn", `Config has ${context.warnings.length} warning(s)`, {
        details: [...context.warnings],
        fix: 'edit the key each warning names; "claude-ntfy config show" shows the result',
      }),
    );
  }
  if (!context.config.hooks.enabled) {
    checks.push(
      check("enabled", "warn", "Notifications are off (hooks.enabled = false)", {
        fix: '"claude-ntfy config set hooks.enabled true" (and check CLAUDE_NTFY_ENABLED)',
      }),
    );
  }
  return checks;
}

/** A topic is set, and neither it nor a per-event topic is guessable. */
export function topicChecks(context: CliContext): DoctorCheck[] {
  const { ntfy, hooks } = context.config;
  const located = [ntfy.default_topic, ...Object.values(hooks.topics)]
    .filter((topic) => topic !== "")
    .map((topic) => splitTopicUrl(topic) ?? { serverUrl: ntfy.server_url, topic });
  if (ntfy.default_topic === "") {
    return [
      check("topic", "fail", "No topic set (ntfy.default_topic is empty)", {
        fix: 'run "claude-ntfy init" (or set CLAUDE_NTFY_TOPIC)',
      }),
    ];
  }
  const checks = [
    check(
      "topic",
      "ok",
      `Topic set: ${located.map((at) => `${at.serverUrl}/${maskTopic(at.topic)}`)[0]}`,
      {
        details: Object.keys(hooks.topics).length === 0
          ? []
          : [`per-event topics for ${Object.keys(hooks.topics).join(", ")}`],
      },
    ),
  ];
  const weak = [...new Set(located.map((at) => at.topic))]
    .map((topic) => ({ topic, why: topicWeakness(topic) }))
    .filter((entry) => entry.why !== undefined);
  checks.push(
    weak.length === 0 ? check("topic-strength", "ok", "Topic is not guessable") : check(
      "topic-strength",
      "warn",
      "Topic looks guessable: anyone who guesses it reads your notifications",
      {
        details: weak.map((entry) => `"${entry.topic}": ${entry.why}`),
        fix: '"claude-ntfy init --force" writes a new random topic (then subscribe to it again)',
      },
    ),
  );
  return checks;
}

/** Config files that hold a token or a password are readable by the user alone. */
export function secretFileChecks(context: CliContext): DoctorCheck[] {
  const exposed: string[] = [];
  let holding = 0;
  for (const file of context.configFiles) {
    let text: string;
    try {
      text = Deno.readTextFileSync(file);
    } catch {
      continue;
    }
    const { ntfy, approval } = parseConfigText(text, file).layer;
    if (!ntfy?.auth_token && !ntfy?.password && !approval?.reply_token) continue;
    holding++;
    const mode = modeOf(file);
    if (mode !== undefined && (mode & 0o077) !== 0) exposed.push(`${file} (mode ${octal(mode)})`);
  }
  if (exposed.length > 0) {
    return [
      check("secrets", "warn", "A config file with a token or password is readable by others", {
        details: exposed,
        fix: exposed.map((entry) => `chmod 600 "${entry.replace(/ \(mode \d+\)$/, "")}"`)
          .join("; "),
      }),
    ];
  }
  return [
    check(
      "secrets",
      "ok",
      holding === 0
        ? "No token or password in config files"
        : "Config files holding a token or password are private",
    ),
  ];
}
