/**
 * Security defaults of the shell (STYLE §11, never relaxed): CSP, permission and navigation policy.
 * The `tile:` scheme of STYLE's CSP is our `calciquant-res:` resource scheme.
 */
import type { App, Event, Session, WebContents } from 'electron';
import { RESOURCE_SCHEME } from '../common/channels.js';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' data: blob: ${RESOURCE_SCHEME}:`,
  `connect-src 'self' ${RESOURCE_SCHEME}:`,
  "worker-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Headers of every response of our schemes. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
};

/** The only permission a page of ours may use (navigator.clipboard.writeText). */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => ALLOWED_PERMISSIONS.has(permission));
  ses.on('will-download', (e: Event) => e.preventDefault());
}

const prevent = (e: { preventDefault(): void }): void => e.preventDefault();

/** No navigation, no new windows, no <webview>, for one web contents. */
export function lockDownWebContents(wc: WebContents): void {
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-navigate', prevent);
  wc.on('will-redirect', prevent);
  wc.on('will-attach-webview', prevent);
}

/** The same for every web contents the app will ever create (devtools included). */
export function lockDownAllWebContents(app: App): void {
  app.on('web-contents-created', (_e, wc) => lockDownWebContents(wc));
}
