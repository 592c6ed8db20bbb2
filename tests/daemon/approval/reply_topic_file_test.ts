// The reply topic made on first use: random, kept 0600, the same on every later call.
import { equal, match, throws } from "node:assert/strict";
import { REPLY_TOPIC_FILE, storedReplyTopic } from "../../../daemon/approval/mod.ts";
import { tempDir } from "../../support/temp_dir.ts";

Deno.test("storedReplyTopic() makes a topic once, keeps it 0600 and returns it again", async () => {
  await using dir = await tempDir();
  const topic = storedReplyTopic(dir.path);
  match(topic, /^claude-reply-[a-z2-7]{26}$/);
  equal(storedReplyTopic(dir.path), topic);
  equal((Deno.statSync(`${dir.path}/${REPLY_TOPIC_FILE}`).mode ?? 0) & 0o777, 0o600);
});

Deno.test("storedReplyTopic() refuses a file that holds no topic", async () => {
  await using dir = await tempDir();
  Deno.writeTextFileSync(`${dir.path}/${REPLY_TOPIC_FILE}`, "not a topic!\n");
  throws(() => storedReplyTopic(dir.path), /Invalid reply topic/);
});
