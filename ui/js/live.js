// Live updates: one EventSource on GET /api/v1/events (server-sent events). Pages subscribe to
// ticket changes; the browser reconnects by itself after a network drop ("retry" from the server).
let source = null;
const listeners = new Set();
const statusListeners = new Set();

function ensure() {
  if (source) return;
  source = new EventSource('/api/v1/events', { withCredentials: true });
  source.addEventListener('ticket', (e) => {
    let data = null;
    try { data = JSON.parse(e.data); } catch { return; }
    for (const fn of listeners) fn(data);
  });
  source.addEventListener('resync', () => { for (const fn of listeners) fn({ resync: true }); });
  // The session ended (logout elsewhere, expiry, a deactivated account): stop reconnecting; the
  // next request the page makes meets the 401 and shows the login.
  source.addEventListener('logout', () => {
    if (source) source.close();
    source = null;
    for (const fn of statusListeners) fn(false);
  });
  source.addEventListener('open', () => { for (const fn of statusListeners) fn(true); });
  source.addEventListener('error', () => { for (const fn of statusListeners) fn(false); });
}

// Calls fn({number, what}) on each change the caller may see; returns the unsubscribe function.
export function onTicketChange(fn, onStatus) {
  ensure();
  listeners.add(fn);
  if (onStatus) {
    statusListeners.add(onStatus);
    if (source.readyState === EventSource.OPEN) onStatus(true);
  }
  return () => { listeners.delete(fn); if (onStatus) statusListeners.delete(onStatus); };
}

export function stopLive() {
  if (source) source.close();
  source = null;
  listeners.clear();
  statusListeners.clear();
}
