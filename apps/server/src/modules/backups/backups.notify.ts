/**
 * What the backups module needs from notifications: deliver one event to the owner's chosen
 * channels (e-mail, webhook, push). The notifications module (monitoring issue) provides the real
 * implementation (its NotificationsPort, adapted in index.ts).
 */
export type BackupEvent = 'backup.failed' | 'backup.succeeded' | 'backup.missed';

export interface BackupNotification {
  ownerId: string;
  /** The policy's channels; empty = the owner's default channels. */
  channelIds: string[];
  event: BackupEvent;
  subject: string;
  body: string;
  data: Record<string, unknown>;
}

export interface BackupNotifier {
  notify(n: BackupNotification): Promise<void>;
}
