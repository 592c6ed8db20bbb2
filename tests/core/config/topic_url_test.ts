import assert from "node:assert/strict";
import { splitTopicUrl } from "../../../core/config/mod.ts";

Deno.test("splitTopicUrl() splits a topic URL into server and topic", () => {
  assert.deepEqual(splitTopicUrl("https://ntfy.example.com/mytopic"), {
    serverUrl: "https://ntfy.example.com",
    topic: "mytopic",
  });
  assert.deepEqual(splitTopicUrl("http://127.0.0.1:8080/alerts/"), {
    serverUrl: "http://127.0.0.1:8080",
    topic: "alerts",
  });
  assert.deepEqual(splitTopicUrl("https://example.com/ntfy/alerts"), {
    serverUrl: "https://example.com/ntfy",
    topic: "alerts",
  });
  assert.deepEqual(splitTopicUrl("ntfy.example.com/mytopic"), {
    serverUrl: "https://ntfy.example.com",
    topic: "mytopic",
  });
});

Deno.test("splitTopicUrl() leaves plain topic names and non-http URLs alone", () => {
  assert.equal(splitTopicUrl("mytopic"), undefined);
  assert.equal(splitTopicUrl("ftp://example.com/x"), undefined);
  assert.equal(splitTopicUrl("https://ntfy.example.com"), undefined);
});
