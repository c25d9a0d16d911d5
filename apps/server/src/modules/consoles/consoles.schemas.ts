import { type Static, Type } from '@sinclair/typebox';
import { StringEnum, Timestamp } from '../../platform/http/schemas.ts';

export const CONSOLE_TYPES = ['vnc', 'terminal', 'serial'] as const;
export type ConsoleType = (typeof CONSOLE_TYPES)[number];

export const CreateConsoleBody = Type.Object(
  {
    type: Type.Union(
      CONSOLE_TYPES.map((t) => Type.Literal(t)),
      {
        description:
          "vnc: the VM's screen (RFB over the websocket; containers also have one); terminal: a " +
          "container's shell (PVE's termproxy protocol); serial: a VM's serial0 port (cloud images log in there)",
      },
    ),
  },
  { additionalProperties: false },
);
export type CreateConsoleBody = Static<typeof CreateConsoleBody>;

export const ConsoleSessionSchema = Type.Object(
  {
    sessionId: Type.String({ description: 'Public id of the session (audit entries name it)' }),
    type: StringEnum(CONSOLE_TYPES),
    instanceId: Type.String(),
    url: Type.String({
      description:
        'WebSocket URL to open as is (…/api/v1/console/ws?session=…). Single use; it must be opened ' +
        'before expiresAt. VNC sessions carry RFB (the first bytes are the RFB version line); ' +
        "terminal and serial sessions carry PVE's termproxy protocol (0:LEN:DATA input, 1:COLS:ROWS: resize, 2 ping), already logged in.",
    }),
    expiresAt: Timestamp,
  },
  { $id: 'ConsoleSession', additionalProperties: false },
);
export type ConsoleSession = Static<typeof ConsoleSessionSchema>;
