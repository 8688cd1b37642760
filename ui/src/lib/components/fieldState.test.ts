import { describe, expect, it } from 'vitest';
import type { FieldCheck } from '../ipc/types';
import { fieldState, shortId } from './fieldState';

const c = (level: FieldCheck['level'], extra: Partial<FieldCheck> = {}): FieldCheck => ({
  field: 'user_id', ok: level !== 'error', level, code: 'empty', detail: null, message: `msg-${level}`, fix: `fix-${level}`, normalized: null, notes: [], ...extra,
});

describe('field state', () => {
  it('is neutral while empty', () => {
    expect(fieldState('', null, false).tone).toBe('neutral');
    expect(fieldState('  ', c('error', { code: 'empty' }), false).tone).toBe('neutral');
  });
  it('is pending while a check runs or none came back', () => {
    expect(fieldState('x', c('ok'), true).tone).toBe('pending');
    expect(fieldState('x', null, false).tone).toBe('pending');
  });
  it('maps ok → green without a fix, warning → amber and error → red with the fix', () => {
    expect(fieldState('x', c('ok'), false)).toMatchObject({ tone: 'ok', icon: '✓', message: 'msg-ok', fix: null });
    expect(fieldState('x', c('warning'), false)).toMatchObject({ tone: 'warning', message: 'msg-warning', fix: 'fix-warning' });
    expect(fieldState('x', c('error'), false)).toMatchObject({ tone: 'error', icon: '✕', message: 'msg-error', fix: 'fix-error' });
  });
  it('adds the desktop’s own words for the move a key’s fix asks for (no command to type)', () => {
    const encrypted = fieldState('x', c('error', { field: 'private_key', code: 'key_load_failed', detail: 'encrypted', fix: 'Use a copy of the key without its password, or make a new pair.', hint: 'remove_key_password' }), false);
    expect(encrypted.fix).toBe('Use a copy of the key without its password, or make a new pair. Or let this app make a new pair: “Generate a key pair here” on the key step, then upload its public key to DocuSign.');
    const ec = fieldState('x', c('error', { field: 'private_key', code: 'key_load_failed', detail: 'ec_key', fix: 'Make a new RSA pair.', hint: 'make_rsa_key_pair' }), false);
    expect(ec.fix).toMatch(/^Make a new RSA pair\. This app can make one: “Generate a key pair here”/);
    // An OpenSSH key file and a PKCS#12 bundle: the core's words (docusign_api's KeyError::fix), then the desktop's.
    const newPair = 'In DocuSign Admin go to Settings → Integrations → Apps and Keys → your app → Service Integration → Add RSA Keypair, keep the private key DocuSign shows, and use that new private key.';
    const generate = 'Or let this app make a new pair: “Generate a key pair here” on the key step, then upload its public key to DocuSign.';
    const ssh = fieldState('x', c('error', { field: 'private_key', code: 'key_load_failed', detail: 'unsupported_key_type', fix: `DocuSign needs an RSA key in PEM form: if this is an RSA key, use a copy of it converted to PEM, without a passphrase. Otherwise make a new RSA pair. ${newPair}`, hint: 'convert_ssh_key' }), false);
    expect(ssh.fix).toBe(`DocuSign needs an RSA key in PEM form: if this is an RSA key, use a copy of it converted to PEM, without a passphrase. Otherwise make a new RSA pair. ${newPair} ${generate}`);
    const pfx = fieldState('x', c('error', { field: 'private_key', code: 'key_load_failed', detail: 'unsupported_key_type', fix: `DocuSign needs the private key alone, in PEM form: use the private key taken out of the bundle (that needs the bundle's password), or make a new pair. ${newPair}`, hint: 'extract_pkcs12_key' }), false);
    expect(pfx.fix).toBe(`DocuSign needs the private key alone, in PEM form: use the private key taken out of the bundle (that needs the bundle's password), or make a new pair. ${newPair} ${generate}`);
    for (const s of [encrypted, ec, ssh, pfx]) expect(s.fix).not.toMatch(/openssl|ssh-keygen|`|--/);
  });
  it('passes the notes through', () => {
    expect(fieldState('x', c('ok', { notes: ['trimmed spaces'] }), false).notes).toEqual(['trimmed spaces']);
  });
  it('shortens GUIDs', () => {
    expect(shortId('0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01')).toBe('0f8e3c52…1a01');
    expect(shortId('abc')).toBe('abc');
  });
});
