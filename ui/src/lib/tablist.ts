// The ARIA tabs pattern's keyboard (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/): arrow keys
// move to the next or previous tab (wrapping), Home and End to the first and last; the tab
// moved to is selected at once (automatic activation) and takes the focus.

/** The tab a key moves to from `current`, or null when the key is not one of the pattern's. */
export function nextTab<T>(key: string, ids: readonly T[], current: T): T | null {
  const i = ids.indexOf(current);
  if (i < 0 || !ids.length) return null;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return ids[(i + 1) % ids.length];
    case 'ArrowLeft':
    case 'ArrowUp':
      return ids[(i - 1 + ids.length) % ids.length];
    case 'Home':
      return ids[0];
    case 'End':
      return ids[ids.length - 1];
    default:
      return null;
  }
}

/** Handles a keydown on a tab: selects the tab the key moves to, then focuses its element. */
export function onTabKey<T>(e: KeyboardEvent, ids: readonly T[], current: T, select: (id: T) => void, elementId: (id: T) => string) {
  const n = nextTab(e.key, ids, current);
  if (n === null) return;
  e.preventDefault();
  select(n);
  // After the tab bar re-renders with the new selection.
  setTimeout(() => document.getElementById(elementId(n))?.focus(), 0);
}
