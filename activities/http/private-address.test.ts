import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from './private-address.js';
import { assertPublicUrl, guardedRequest } from './guarded-request.js';

describe('private addresses', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '224.0.0.1'])(
    '%s is private',
    (ip) => expect(isPrivateAddress(ip)).toBe(true),
  );
  it.each(['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) => expect(isPrivateAddress(ip)).toBe(false));

  it('looks a public host up once a minute, and a private one every time', async () => {
    let lookups = 0;
    const resolve = async (host: string) => (lookups++, [{ address: host.startsWith('public') ? '93.184.216.34' : '10.0.0.5', family: 4 }]);
    await assertPublicUrl('https://public-once.example/v1', false, resolve);
    await assertPublicUrl('https://public-once.example/v1/chat/completions', false, resolve);
    expect(lookups).toBe(1);
    await expect(assertPublicUrl('https://private-again.example/v1', false, resolve)).rejects.toThrow(/private address \(10\.0\.0\.5\)/);
    await expect(assertPublicUrl('https://private-again.example/v1', false, resolve)).rejects.toThrow(/private address/);
    expect(lookups).toBe(3);
  });

  it('refuses loopback names and literals unless private networks are allowed', async () => {
    await expect(assertPublicUrl('http://localhost:11434/v1', false)).rejects.toThrow(/private address/);
    await expect(assertPublicUrl('http://[::1]:8080/', false)).rejects.toThrow(/private address/);
    await expect(assertPublicUrl('http://localhost:11434/v1', true)).resolves.toBeUndefined();
    await expect(guardedRequest({ url: 'http://127.0.0.1:9/', method: 'GET', headers: {}, timeoutMs: 1000, allowPrivateNetworks: false })).rejects.toThrow(/private address/);
    await expect(guardedRequest({ url: 'http://localhost:9/', method: 'GET', headers: {}, timeoutMs: 1000, allowPrivateNetworks: false })).rejects.toThrow(/private address/);
    await expect(guardedRequest({ url: 'file:///etc/passwd', method: 'GET', headers: {}, timeoutMs: 1000, allowPrivateNetworks: true })).rejects.toThrow(/http and https/);
  });
});
