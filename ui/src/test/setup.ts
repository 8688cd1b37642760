// Set-up for the component tier (`*.component.test.ts`): views rendered in jsdom over the
// FakeBackend. @testing-library/svelte's vite plugin unmounts after each test; here each test
// gets a fresh FakeBackend (tests replace it with `useFake(...)` when they need options).
import '@testing-library/jest-dom/vitest';
import { beforeEach } from 'vitest';
import { setBackend } from '../lib/ipc';
import { FakeBackend } from '../lib/ipc/fake';

// jsdom has no layout: what the views call for scrolling is a no-op here.
if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = function scrollIntoView() {};

// jsdom has no modal dialogs: open and close them as the browser does (attribute, `close` event).
if (typeof HTMLDialogElement !== 'undefined' && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    if (!this.hasAttribute('open')) return;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}

beforeEach(() => {
  setBackend(new FakeBackend());
});
