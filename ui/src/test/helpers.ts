// Helpers for the component tests: a FakeBackend installed as the backend, and checks every
// desktop text must pass.
import { expect } from 'vitest';
import { setBackend } from '../lib/ipc';
import { FakeBackend, type FakeOptions } from '../lib/ipc/fake';
import type { Connection } from '../lib/ipc/types';

/** A fresh FakeBackend, installed as the backend the views use. */
export function useFake(opts: FakeOptions = {}): FakeBackend {
  const fake = new FakeBackend(opts);
  setBackend(fake);
  return fake;
}

/** A saved demo connection whose account the fake knows (its health check passes). */
export function demoConnection(patch: Partial<Connection> = {}): Connection {
  return {
    name: 'My DocuSign demo',
    environment: 'demo',
    integration_key: '0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01',
    user_id: '5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c01',
    account_id: '9c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e01',
    base_uri: 'https://demo.docusign.net',
    auth_server: 'demo',
    ca_cert: null,
    redirect_uri: 'https://localhost/callback',
    key_fingerprint: 'SHA256:fake',
    created_at: '',
    updated_at: '',
    ...patch,
  };
}

/** Desktop texts never name a CLI flag or a CLI command (house rule: no CLI flags in desktop messages). */
export function expectNoCliFlags(root: HTMLElement = document.body) {
  const text = root.textContent ?? '';
  expect(text).not.toMatch(/(^|\s)--[a-z][a-z-]+/);
  expect(text).not.toMatch(/\bdsjwt\s+[a-z]/);
}
