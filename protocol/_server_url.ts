// The check of a task's server URL, shared by task validation and the submit decoder.

/**
 * Server URLs that passed the check lately: a burst of tasks names the same few servers,
 * and parsing a URL costs more than the rest of a task's checks. Bounded: cleared when full.
 */
const checkedServerUrls = new Set<string>();
const MAX_CHECKED_SERVER_URLS = 64;

/** Whether `serverUrl` is an http(s) URL a task may name. */
export function isServerUrl(serverUrl: string): boolean {
  if (checkedServerUrls.has(serverUrl)) return true;
  if (!/^https?:\/\/[^\s/]+/.test(serverUrl) || !URL.canParse(serverUrl)) return false;
  if (checkedServerUrls.size >= MAX_CHECKED_SERVER_URLS) checkedServerUrls.clear();
  checkedServerUrls.add(serverUrl);
  return true;
}
