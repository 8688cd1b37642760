import { describe, expect, it } from 'vitest';
import { toConnection, toDraft, type Connection } from './types';

describe('the wizard draft of a connection', () => {
  it('sends an empty redirect URI as none, and edits none as empty', () => {
    const c: Connection = { name: 'n', environment: 'demo', integration_key: '', user_id: '', account_id: '', base_uri: '', auth_server: 'demo', ca_cert: null, redirect_uri: null, key_fingerprint: null, created_at: '', updated_at: '' };
    expect(toDraft(c).redirect_uri).toBe('');
    expect(toConnection({ ...toDraft(c), redirect_uri: '  ' }).redirect_uri).toBeNull();
    expect(toConnection({ ...toDraft(c), redirect_uri: 'https://x/cb' }).redirect_uri).toBe('https://x/cb');
  });
});
