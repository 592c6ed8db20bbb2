import assert from "node:assert/strict";
import { defaultConfig, maskSecrets } from "../../../core/config/mod.ts";
import { SECRET_MASK } from "../../../core/secret_mask.ts";

Deno.test("maskSecrets() hides the token and the password and leaves the original alone", () => {
  const config = defaultConfig();
  config.ntfy.auth_token = "tk_verysecret";
  config.ntfy.username = "alice";
  config.ntfy.password = "hunter2";
  const masked = maskSecrets(config);
  assert.equal(masked.ntfy.auth_token, SECRET_MASK);
  assert.equal(masked.ntfy.password, SECRET_MASK);
  assert.equal(masked.ntfy.username, "alice");
  assert.doesNotMatch(JSON.stringify(masked), /verysecret|hunter2/);
  assert.equal(config.ntfy.auth_token, "tk_verysecret");
});

Deno.test("maskSecrets() leaves unset secrets unset", () => {
  const masked = maskSecrets(defaultConfig());
  assert.equal(masked.ntfy.auth_token, undefined);
  assert.equal(masked.ntfy.password, undefined);
});
