/**
 * The floor for delivery: plain `fetch` POSTs of the daemon's JSON body from a separate Deno
 * process (as the daemon is), `concurrency` at a time. Prints the elapsed ms as JSON.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 bench/_fetch_client.ts http://127.0.0.1:8080 5000 8
 * ```
 *
 * @module
 */

if (import.meta.main) {
  const [serverUrl, totalText, concurrencyText] = Deno.args;
  const total = Number(totalText);
  const concurrency = Number(concurrencyText ?? "8");
  if (!serverUrl || !(total > 0) || !(concurrency > 0)) {
    console.error("Usage: _fetch_client.ts SERVER_URL TOTAL [CONCURRENCY]");
    Deno.exit(64);
  }
  const body = JSON.stringify({
    topic: "bench",
    message: "Claude finished and is waiting for your next message.\nwebapp · session 2b6f0c1e",
    title: "webapp: Claude finished",
    priority: 3,
    tags: ["white_check_mark"],
  });
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      const response = await fetch(`${serverUrl}/`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
      });
      await response.text();
      if (!response.ok) errors++;
    }
  }));
  console.log(JSON.stringify({ ms: performance.now() - started, errors }));
}
