// The one allow-list both outbound destinations use: Bot Connector services (ports must match) and the hosts files
// are downloaded from (an entry without a port matches any port, for this machine in local mode).
import assert from 'node:assert/strict';
import { onAllowList } from '../../src/domain';

describe('onAllowList', () => {
  const list = ['https://*.sharepoint.com', 'http://127.0.0.1', 'https://files.example:8443'];

  it('matches origins and subdomain wildcards, never a look-alike or a URL with credentials', () => {
    assert.ok(onAllowList('https://contoso.sharepoint.com/doc.pdf', list));
    assert.ok(onAllowList('https://files.example:8443/a', list));
    for (const url of [
      'https://sharepoint.com/doc.pdf',
      'https://contoso.sharepoint.com.evil.example/doc.pdf',
      'https://evilsharepoint.com/doc.pdf',
      'http://contoso.sharepoint.com/doc.pdf',
      'https://user:pw@contoso.sharepoint.com/doc.pdf',
      'ftp://127.0.0.1/doc.pdf',
      'https://files.example/a',
      'not a url',
    ])
      assert.ok(!onAllowList(url, list), url);
  });

  it('requires the port to match unless anyPort is set, and then only for an entry without a port', () => {
    assert.ok(!onAllowList('http://127.0.0.1:3978/f', list));
    assert.ok(onAllowList('http://127.0.0.1:3978/f', list, { anyPort: true }));
    assert.ok(!onAllowList('https://contoso.sharepoint.com:8443/f', list));
    assert.ok(onAllowList('https://contoso.sharepoint.com:8443/f', list, { anyPort: true }));
    assert.ok(!onAllowList('https://files.example:9443/a', list, { anyPort: true }));
  });
});
