// The screens of a selected connection, in the order the navigation shows them.

import type { Environment } from '../../lib/ipc/types';

export type Tab = 'health' | 'golive' | 'actions' | 'triggers' | 'sandbox' | 'production';

export interface TabDef {
  id: Tab;
  title: string;
  hint: string;
  /** An SVG path (24×24) for the tab's picture. */
  icon: string;
}

const ALL: TabDef[] = [
  { id: 'health', title: 'Health', hint: 'Check that the connection works', icon: 'M12 21s-7.5-4.6-9.6-9.2C1 8.6 3 5 6.5 5c2 0 3.5 1.1 4.5 2.6h2C14 6.1 15.5 5 17.5 5 21 5 23 8.6 21.6 11.8 19.5 16.4 12 21 12 21z' },
  { id: 'actions', title: 'Actions', hint: 'Try the nine actions on this account', icon: 'M4 4h16v4H4zM4 10h10v4H4zM4 16h13v4H4z' },
  { id: 'triggers', title: 'Triggers', hint: 'Watch envelopes and recipients change', icon: 'M12 2a7 7 0 0 0-7 7v4l-2 3v1h18v-1l-2-3V9a7 7 0 0 0-7-7zm-2 18a2 2 0 0 0 4 0z' },
  { id: 'sandbox', title: 'Sandbox controls', hint: 'Sign or decline sandbox envelopes yourself', icon: 'M3 17l6-6 4 4 8-8M15 7h6v6' },
  { id: 'golive', title: 'Go-Live', hint: 'The 20-call streak, checklist and review answers', icon: 'M12 2l3 6 6 .9-4.5 4.3 1 6.3L12 16.6 6.5 19.5l1-6.3L3 8.9 9 8z' },
  { id: 'production', title: 'Production', hint: 'After approval: move to your production account', icon: 'M4 20V10l8-6 8 6v10h-5v-6H9v6z' },
];

/** The tabs a connection has: sandbox controls only for the sandbox, production only for demo. */
export function tabsFor(environment: Environment): TabDef[] {
  return ALL.filter((t) => (t.id === 'sandbox' ? environment === 'sandbox' : t.id === 'production' ? environment === 'demo' : true));
}
