// Where the keyboard focus goes when what had it goes away (a button that folds away with its
// form, a field emptied once its value is accepted): somewhere meaningful, never the page.

/** Whether the focus has fallen to the page: nothing focused, the body, or an element that was
 * removed from the page. */
export function focusLost(): boolean {
  const a = document.activeElement;
  return !a || a === document.body || !a.isConnected;
}

/** Moves the focus to `target`, making a heading, notice or box focusable by script
 * (`tabindex="-1"`, so it joins no Tab order) when it is not. Returns whether it moved. */
export function focusOn(target: HTMLElement | null | undefined): boolean {
  if (!target) return false;
  const focusable = target.matches('a[href], button, input, select, textarea, [tabindex]');
  if (!focusable) target.setAttribute('tabindex', '-1');
  target.focus();
  return document.activeElement === target;
}

/** The first of `ids` that is on the page and shown, or null. */
export function firstShown(...ids: string[]): HTMLElement | null {
  for (const id of ids) {
    const e = document.getElementById(id);
    if (e && !e.closest('[hidden]')) return e;
  }
  return null;
}
