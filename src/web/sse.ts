/**
 * Server-Sent Events for the web host: every CoreEvents topic is forwarded to each connected
 * client as `event: <topic>\ndata: <json>\n\n`, with a comment heartbeat. Each client subscribes
 * on connect and unsubscribes when its connection closes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORE_EVENTS, type CoreApi } from '../common/api.js';

/** A client that lets this much pile up unread is dropped (it can reconnect and re-fetch state). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Browsers' EventSource waits this long before reconnecting. */
const RECONNECT_DELAY_MS = 2000;

export interface SseHub {
  /** Takes over the response: headers, subscriptions, heartbeat, clean-up on close. */
  open(req: IncomingMessage, res: ServerResponse): void;
  /** Ends every stream (server shutdown). */
  closeAll(): void;
  readonly clientCount: number;
}

export function formatSseEvent(topic: string, json: string): string {
  return `event: ${topic}\ndata: ${json}\n\n`;
}

export function createSseHub(
  core: Pick<CoreApi, 'on'>,
  o: { readonly heartbeatMs: number; readonly log: (line: string) => void },
): SseHub {
  const clients = new Set<ServerResponse>();

  function write(res: ServerResponse, chunk: string): void {
    if (res.destroyed || res.writableEnded) return;
    res.write(chunk);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      o.log('events: a client stopped reading; dropping it');
      res.destroy();
    }
  }

  function subscribe(res: ServerResponse): (() => void)[] {
    return CORE_EVENTS.map((topic) =>
      core.on(topic, (payload) => {
        let json: string;
        try {
          json = JSON.stringify(payload);
        } catch (e) {
          o.log(`events: could not serialize ${topic}: ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
        write(res, formatSseEvent(topic, json));
      }),
    );
  }

  function open(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: ${RECONNECT_DELAY_MS}\n: connected\n\n`);
    clients.add(res);
    const unsubscribes = subscribe(res);
    const heartbeat = setInterval(() => write(res, ': heartbeat\n\n'), o.heartbeatMs);
    heartbeat.unref();
    let cleanedUp = false;
    const cleanUp = () => {
      if (cleanedUp) return;
      cleanedUp = true;
      clearInterval(heartbeat);
      clients.delete(res);
      for (const unsubscribe of unsubscribes) {
        try {
          unsubscribe();
        } catch (e) {
          o.log(`events: unsubscribe failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    };
    // Not req's 'close': since Node 16 it fires as soon as the (empty) request body is read.
    res.on('close', cleanUp);
    req.resume();
  }

  return {
    open,
    closeAll: () => {
      for (const res of [...clients]) res.end();
    },
    get clientCount() {
      return clients.size;
    },
  };
}
