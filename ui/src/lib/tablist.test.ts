import { describe, expect, it } from 'vitest';
import { nextTab } from './tablist';

describe('tab bar keys (ARIA tabs pattern)', () => {
  const ids = ['health', 'actions', 'golive'];
  it('moves with the arrow keys, wrapping, and to the ends with Home and End', () => {
    expect(nextTab('ArrowRight', ids, 'health')).toBe('actions');
    expect(nextTab('ArrowRight', ids, 'golive')).toBe('health');
    expect(nextTab('ArrowLeft', ids, 'health')).toBe('golive');
    expect(nextTab('ArrowDown', ids, 'actions')).toBe('golive');
    expect(nextTab('Home', ids, 'golive')).toBe('health');
    expect(nextTab('End', ids, 'health')).toBe('golive');
  });
  it('ignores other keys and unknown tabs', () => {
    expect(nextTab('a', ids, 'health')).toBeNull();
    expect(nextTab('Enter', ids, 'health')).toBeNull();
    expect(nextTab('ArrowRight', ids, 'nope')).toBeNull();
  });
});
