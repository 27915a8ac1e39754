// Addresses the bot will talk to, from a list in its configuration: the Bot Connector services it answers, and the
// hosts it downloads files people send from. Both come in activity data, so someone else chose them.

/**
 * Whether a URL is on an allow-list of http(s) origins ("https://contoso.sharepoint.com") or wildcards for any
 * subdomain ("https://*.sharepoint.com"). A URL with a user name or password never is. Ports must match (the
 * scheme's default included) unless `anyPort` is set, when an entry without a port matches its host on any port (this
 * machine in local mode).
 */
export function onAllowList(raw: string, allowed: readonly string[], { anyPort = false } = {}): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password || !['https:', 'http:'].includes(url.protocol)) return false;
  return allowed.some((pattern) => {
    const wild = /^(https?:)\/\/\*\.([^/:]+)$/i.exec(pattern);
    if (wild)
      return (
        url.protocol === wild[1]!.toLowerCase() &&
        (anyPort || url.port === '') &&
        url.hostname.endsWith(`.${wild[2]!.toLowerCase()}`)
      );
    if (!URL.canParse(pattern)) return false;
    const p = new URL(pattern);
    return (
      p.protocol === url.protocol &&
      p.hostname === url.hostname &&
      (p.port === url.port || (anyPort && !p.port))
    );
  });
}
