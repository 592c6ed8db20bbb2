// The one host:port function: the CLI's --allow-net flag and the daemon's host check use
// it, so they cannot disagree about a server.
import { equal, throws } from "node:assert/strict";
import { hostPort } from "../../../core/ntfy/host_port.ts";

Deno.test("hostPort() makes the scheme's default port explicit", () => {
  equal(hostPort("https://ntfy.sh"), "ntfy.sh:443");
  equal(hostPort("http://ntfy.example/topic"), "ntfy.example:80");
  equal(hostPort("https://ntfy.example:8443/a?b"), "ntfy.example:8443");
});

Deno.test("hostPort() keeps an IPv6 address in brackets and drops credentials", () => {
  equal(hostPort("http://[::1]:8080"), "[::1]:8080");
  equal(hostPort("https://user:pass@[2001:db8::1]"), "[2001:db8::1]:443");
  equal(hostPort("http://user:pass@127.0.0.1:9"), "127.0.0.1:9");
});

Deno.test("hostPort() throws a TypeError for a string that is not a URL", () => {
  throws(() => hostPort("ntfy.sh"), TypeError);
});
