import assert from "node:assert/strict";
import { topicWeakness } from "../../../cli/install/topic_strength.ts";
import { generateTopic } from "../../../core/config/generate_topic.ts";

Deno.test("topicWeakness() calls short topics guessable", () => {
  assert.equal(topicWeakness("alerts"), "shorter than 12 characters");
  assert.equal(topicWeakness("x7Qp2mZ9kLw"), "shorter than 12 characters");
});

Deno.test("topicWeakness() calls topics made of common words and small numbers guessable", () => {
  for (
    const topic of [
      "claude-notifications",
      "my_claude_alerts_2024",
      "ClaudeCodeAlerts",
      "ntfy-test-topic",
    ]
  ) {
    assert.match(topicWeakness(topic) ?? "", /^made only of common words/, topic);
  }
});

Deno.test("topicWeakness() accepts generated and otherwise random topics", () => {
  for (let i = 0; i < 50; i++) assert.equal(topicWeakness(generateTopic()), undefined);
  assert.equal(topicWeakness("claude-alerts-h7x2kq9w"), undefined);
  assert.equal(topicWeakness("build-status-20240115"), undefined, "an 8-digit number is not small");
});
