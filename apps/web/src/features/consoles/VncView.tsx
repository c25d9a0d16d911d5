/**
 * A VM's screen with noVNC (bundled, loaded with this chunk only). The websocket is ours
 * (`/api/v1/console/ws`): the server already logged in to Proxmox with its VNC ticket, so noVNC
 * sees RFB security type None and never learns a Proxmox secret. noVNC sends layout-aware
 * keysyms (the browser's `key`), so the guest receives what the user's keyboard layout typed.
 */
import RFB from '@novnc/novnc';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Dialog, Menu } from '../../components/index.ts';
import { COMBOS, comboEvents, textEvents } from './keys.ts';
import { ConsoleFrame, FullscreenButton, StatusLine } from './parts.tsx';
import { type Attach, useConsoleConnection } from './useConsoleConnection.ts';

export default function VncView({ instanceId }: { instanceId: string }) {
  const frameRef = useRef<HTMLDivElement>(null);
  const screenRef = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | null>(null);
  const [scale, setScale] = useState(true);
  const [typing, setTyping] = useState(false);
  const [clipboardOpen, setClipboardOpen] = useState(false);
  const [guestClipboard, setGuestClipboard] = useState('');

  const attach = useCallback<Attach>((url, events) => {
    const target = screenRef.current;
    if (!target) return () => undefined;
    const ws = new WebSocket(url, ['binary']);
    ws.addEventListener('close', (e) => events.closed(e.code, e.reason));
    const rfb = new RFB(target, ws);
    rfb.scaleViewport = scaleRef.current;
    rfb.focusOnClick = true;
    rfb.background = '#101014';
    rfb.addEventListener('connect', () => {
      events.opened();
      rfb.focus();
    });
    rfb.addEventListener('clipboard', (e) => {
      const text = (e as CustomEvent<{ text: string }>).detail.text;
      setGuestClipboard(text);
      navigator.clipboard?.writeText(text).catch(() => undefined);
    });
    rfbRef.current = rfb;
    return () => {
      rfbRef.current = null;
      try {
        rfb.disconnect();
      } catch {
        ws.close();
      }
    };
  }, []);
  const scaleRef = useRef(scale);
  scaleRef.current = scale;
  useEffect(() => {
    if (rfbRef.current) rfbRef.current.scaleViewport = scale;
  }, [scale]);

  const { status, reconnect } = useConsoleConnection(instanceId, 'vnc', attach);
  const connected = status.state === 'connected';
  const send = (events: [number, boolean][]) => {
    const rfb = rfbRef.current;
    if (!rfb) return;
    for (const [keysym, down] of events) rfb.sendKey(keysym, null, down);
    rfb.focus();
  };

  return (
    <>
      <ConsoleFrame
        frameRef={frameRef}
        toolbar={
          <>
            <StatusLine status={status} onReconnect={reconnect} />
            <div className="ml-auto flex flex-wrap items-center gap-2">
              <Button size="sm" disabled={!connected} onClick={() => rfbRef.current?.sendCtrlAltDel()}>
                Ctrl+Alt+Del
              </Button>
              <Menu
                label="Send keys"
                trigger="Keys"
                actions={COMBOS.map((c) => ({ label: c.label, onSelect: () => send(comboEvents(c.keys)) }))}
              />
              <Button size="sm" disabled={!connected} onClick={() => setTyping(true)}>
                Type text
              </Button>
              <Button size="sm" onClick={() => setClipboardOpen(true)}>
                Clipboard
              </Button>
              <Button size="sm" aria-pressed={scale} onClick={() => setScale((s) => !s)}>
                {scale ? 'Actual size' : 'Fit to window'}
              </Button>
              <FullscreenButton target={frameRef} />
            </div>
          </>
        }
      >
        <div
          ref={screenRef}
          className="absolute inset-0"
          data-testid="vnc-screen"
          role="application"
          aria-label="Instance screen (keyboard input goes to the instance)"
        />
      </ConsoleFrame>
      <TypeTextDialog
        open={typing}
        onClose={() => setTyping(false)}
        onType={(text) => {
          send(textEvents(text));
          setTyping(false);
        }}
      />
      <ClipboardDialog
        open={clipboardOpen}
        guestText={guestClipboard}
        onClose={() => setClipboardOpen(false)}
        onSend={(text) => {
          rfbRef.current?.clipboardPasteFrom(text);
          setClipboardOpen(false);
        }}
      />
    </>
  );
}

/** Types text into the guest key by key: for guests without a clipboard agent (login prompts, BIOS). */
function TypeTextDialog({
  open,
  onClose,
  onType,
}: {
  open: boolean;
  onClose: () => void;
  onType: (text: string) => void;
}) {
  const [text, setText] = useState('');
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Type text into the instance"
      description="Each character is sent as a key press, so this works at login prompts and in guests without clipboard support. Newlines press Enter."
      onSubmit={() => onType(text)}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={!text}>
            Type it
          </Button>
        </>
      }
    >
      <label className="flex flex-col gap-1.5 text-sm font-medium">
        Text
        <textarea
          className="min-h-28 rounded-md border border-line-strong bg-panel p-2 font-mono text-sm"
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={10_000}
        />
      </label>
    </Dialog>
  );
}

/** The guest's clipboard (what it last copied) and a text to put into it. */
function ClipboardDialog({
  open,
  guestText,
  onClose,
  onSend,
}: {
  open: boolean;
  guestText: string;
  onClose: () => void;
  onSend: (text: string) => void;
}) {
  const [text, setText] = useState('');
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Clipboard"
      description="Needs a clipboard agent in the guest (spice-vdagent); otherwise use “Type text”."
      onSubmit={() => onSend(text)}
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          <Button type="submit" variant="primary" disabled={!text}>
            Send to the instance
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-3 text-sm">
        <label className="flex flex-col gap-1.5 font-medium">
          From the instance
          <textarea
            readOnly
            data-testid="guest-clipboard"
            className="min-h-16 rounded-md border border-line bg-surface p-2 font-mono text-sm"
            value={guestText}
            placeholder="Nothing copied in the instance yet"
          />
        </label>
        <label className="flex flex-col gap-1.5 font-medium">
          To the instance
          <textarea
            className="min-h-16 rounded-md border border-line-strong bg-panel p-2 font-mono text-sm"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
      </div>
    </Dialog>
  );
}
