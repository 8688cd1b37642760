import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
const listen = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock('@tauri-apps/api/event', () => ({ listen: (...a: unknown[]) => listen(...a) }));

import { tauriBackend, type IpcRecord } from './tauri';

const win = globalThis as unknown as { window: { __studioIpcLog?: IpcRecord[] } };

describe('the real backend', () => {
  beforeEach(() => {
    win.window = {};
    invoke.mockReset();
    listen.mockReset();
  });

  it('calls each command by its Rust name with camelCase arguments, and records the answer', async () => {
    invoke.mockResolvedValueOnce({ name: 'Demo' });
    const b = tauriBackend();
    expect(await b.saveConnection({ name: 'Demo' } as never, 'draft:1')).toEqual({ name: 'Demo' });
    expect(invoke).toHaveBeenCalledWith('save_connection', { draft: { name: 'Demo' }, keyRef: 'draft:1' });
    expect(win.window.__studioIpcLog).toEqual([{ cmd: 'save_connection', ok: true, answer: { name: 'Demo' } }]);
  });

  it('sends a left-out optional argument as null', async () => {
    invoke.mockResolvedValue(null);
    const b = tauriBackend();
    await b.supportBundlePlan();
    await b.runAction('Demo', { action: 'list_templates' } as never);
    expect(invoke).toHaveBeenNthCalledWith(1, 'support_bundle_plan', { name: null });
    expect(invoke).toHaveBeenNthCalledWith(2, 'run_action', { name: 'Demo', request: { action: 'list_templates' }, policy: null });
  });

  it('rejects with the shell’s problem, every field kept', async () => {
    const problem = { code: 'invalid_name', detail: 'slash', message: 'No slashes.', fix: 'Rename it.', field: 'name' };
    invoke.mockRejectedValueOnce(problem);
    await expect(tauriBackend().getConnection('a/b')).rejects.toEqual(problem);
    expect(win.window.__studioIpcLog?.[0]).toMatchObject({ cmd: 'get_connection', ok: false });
  });

  it('listens to the shell’s events by name and records their payloads', async () => {
    let handler: ((e: { payload: unknown }) => void) | null = null;
    listen.mockImplementation(async (_name: string, h: (e: { payload: unknown }) => void) => {
      handler = h;
      return () => {};
    });
    const seen: unknown[] = [];
    await tauriBackend().onConsentRedirect((e) => seen.push(e));
    expect(listen.mock.calls[0][0]).toBe('consent-redirect');
    handler!({ payload: { outcome: 'allowed' } });
    expect(seen).toEqual([{ outcome: 'allowed' }]);
    expect(win.window.__studioIpcLog).toEqual([{ cmd: 'event:consent-redirect', ok: true, answer: { outcome: 'allowed' } }]);
  });
});
