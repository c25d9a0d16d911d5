/**
 * A container's shell or a VM's serial port with xterm.js (loaded with this chunk only), speaking
 * PVE's termproxy protocol through our websocket: input `0:LEN:DATA` (LEN in UTF-8 bytes),
 * resize `1:COLS:ROWS:`, ping `2`. The server logged in to Proxmox already.
 */
import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Input } from '../../components/index.ts';
import type { ConsoleType } from './api.ts';
import { ConsoleFrame, FullscreenButton, StatusLine } from './parts.tsx';
import { type Attach, useConsoleConnection } from './useConsoleConnection.ts';

const encoder = new TextEncoder();
const PING_MS = 30_000;

export default function TermView({ instanceId, type }: { instanceId: string; type: ConsoleType }) {
  const frameRef = useRef<HTMLDivElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const wsRef = useRef<WebSocket | null>(null);
  const [ready, setReady] = useState(false);
  const [query, setQuery] = useState('');

  // the terminal lives as long as the page; connections come and go
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const term = new Terminal({
      cursorBlink: true,
      scrollback: 5000,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 14,
      theme: { background: '#101014' },
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.loadAddon(new WebLinksAddon());
    term.open(host);
    fit.fit();
    const send = (frame: string) => {
      const ws = wsRef.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(frame);
    };
    const input = term.onData((d) => send(`0:${encoder.encode(d).length}:${d}`));
    const resize = term.onResize(({ cols, rows }) => send(`1:${cols}:${rows}:`));
    // copy on select, like a desktop terminal (needs a secure context; silently skipped otherwise)
    const select = term.onSelectionChange(() => {
      const text = term.getSelection();
      if (text) navigator.clipboard?.writeText(text).catch(() => undefined);
    });
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(host);
    termRef.current = term;
    fitRef.current = fit;
    searchRef.current = search;
    setReady(true);
    return () => {
      observer.disconnect();
      for (const d of [input, resize, select]) d.dispose();
      term.dispose();
      termRef.current = null;
    };
  }, []);

  const attach = useCallback<Attach>((url, events) => {
    const term = termRef.current;
    if (!term) return () => undefined;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    wsRef.current = ws;
    let ping: ReturnType<typeof setInterval> | undefined;
    ws.onopen = () => {
      fitRef.current?.fit();
      ws.send(`1:${term.cols}:${term.rows}:`);
      ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('2'), PING_MS);
      events.opened();
      term.focus();
    };
    ws.onmessage = (e) =>
      term.write(typeof e.data === 'string' ? e.data : new Uint8Array(e.data as ArrayBuffer));
    ws.onclose = (e) => {
      clearInterval(ping);
      if (wsRef.current === ws) wsRef.current = null;
      term.write('\r\n\x1b[2m[disconnected]\x1b[0m\r\n');
      events.closed(e.code, e.reason);
    };
    return () => {
      clearInterval(ping);
      ws.onclose = null;
      ws.close();
      if (wsRef.current === ws) wsRef.current = null;
    };
  }, []);

  const { status, reconnect } = useConsoleConnection(instanceId, type, ready ? attach : null);

  return (
    <ConsoleFrame
      frameRef={frameRef}
      toolbar={
        <>
          <StatusLine status={status} onReconnect={reconnect} />
          <div className="ml-auto flex flex-wrap items-center gap-2">
            <form
              className="flex items-center gap-1"
              onSubmit={(e) => {
                e.preventDefault();
                searchRef.current?.findNext(query);
              }}
            >
              <Input
                label="Search the output"
                hideLabel
                placeholder="Search output"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
                inputClassName="h-8 w-36"
              />
              <Button size="sm" type="submit" disabled={!query}>
                Find
              </Button>
            </form>
            <Button
              size="sm"
              disabled={status.state !== 'connected'}
              onClick={async () => {
                const text = await navigator.clipboard?.readText().catch(() => '');
                if (text) termRef.current?.paste(text);
                termRef.current?.focus();
              }}
            >
              Paste
            </Button>
            <Button size="sm" onClick={() => termRef.current?.clear()}>
              Clear
            </Button>
            <FullscreenButton target={frameRef} />
          </div>
        </>
      }
    >
      <div ref={hostRef} className="absolute inset-1" data-testid="terminal" />
    </ConsoleFrame>
  );
}
