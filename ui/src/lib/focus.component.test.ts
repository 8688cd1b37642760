// The focus helpers: a lost focus is noticed, and a heading is made focusable by script only.
import { describe, expect, it } from 'vitest';
import { firstShown, focusLost, focusOn } from './focus';

describe('focus helpers', () => {
  it('notices the focus fell to the page when its element is removed', () => {
    document.body.innerHTML = '<button id="b">Send</button>';
    const b = document.getElementById('b') as HTMLButtonElement;
    b.focus();
    expect(focusLost()).toBe(false);
    b.remove();
    expect(focusLost()).toBe(true);
  });

  it('focuses a heading with tabindex -1 (out of the Tab order), a button as it is', () => {
    document.body.innerHTML = '<h2 id="h">Sent</h2><button id="b">Next</button>';
    expect(focusOn(document.getElementById('h'))).toBe(true);
    expect(document.getElementById('h')).toHaveAttribute('tabindex', '-1');
    expect(focusOn(document.getElementById('b'))).toBe(true);
    expect(document.getElementById('b')).not.toHaveAttribute('tabindex');
    expect(focusOn(null)).toBe(false);
  });

  it('finds the first shown element of a list of ids', () => {
    document.body.innerHTML = '<div hidden><p id="a">a</p></div><p id="b">b</p>';
    expect(firstShown('x', 'a', 'b')?.id).toBe('b');
    expect(firstShown('x')).toBeNull();
  });
});
