import { maskToken, normalizeBackendUrl } from '../../src/settings.js';

describe('maskToken', () => {
  it('shows only the last 4 characters', () => {
    expect(maskToken('0123456789abcdef')).toBe('************cdef');
  });

  it('hides a short token whole, and does not tell a long one’s length', () => {
    expect(maskToken('12345678')).toBe('********');
    expect(maskToken('x'.repeat(60) + 'wxyz')).toBe(`${'*'.repeat(20)}wxyz`);
  });
});

describe('normalizeBackendUrl', () => {
  it('keeps http(s) base URLs without a trailing slash', () => {
    expect(normalizeBackendUrl('https://closeloop.example.com/')).toBe('https://closeloop.example.com');
    expect(normalizeBackendUrl('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
  });

  it.each(['closeloop.example.com', 'ftp://closeloop.example.com', 'not a url'])('refuses %s', (raw) => {
    expect(() => normalizeBackendUrl(raw)).toThrow(/is not an http or https URL/);
  });
});
