/**
 * The `host:port` a server URL connects to, as Deno's `net` permission names it. The CLI
 * builds the daemon's `--allow-net` flag from it and the daemon checks a task's server
 * against that permission with it, so the two always agree.
 *
 * @module
 */

/**
 * `host:port` of a server URL, with the scheme's default port made explicit and an IPv6
 * address in brackets.
 *
 * @throws {TypeError} when `serverUrl` is not a URL.
 *
 * @example Default ports are made explicit
 * ```ts
 * import { hostPort } from "./host_port.ts";
 *
 * console.log(hostPort("https://ntfy.sh")); // "ntfy.sh:443"
 * console.log(hostPort("http://127.0.0.1:8080/x")); // "127.0.0.1:8080"
 * console.log(hostPort("http://[::1]")); // "[::1]:80"
 * ```
 */
export function hostPort(serverUrl: string): string {
  const url = new URL(serverUrl);
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const host = url.hostname.includes(":") && !url.hostname.startsWith("[")
    ? `[${url.hostname}]`
    : url.hostname;
  return `${host}:${port}`;
}
