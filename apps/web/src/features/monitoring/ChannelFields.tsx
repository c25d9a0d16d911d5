// The fields of a new notification channel that the alarms page and the backup policy editor share:
// the type choices, the target (recipients or URL) with the optional secret, and the config they make.
import { Input } from '../../components/index.ts';
import type { ChannelInput } from './api.ts';

export const CHANNEL_TYPES = [
  { value: 'email', label: 'E-mail' },
  { value: 'webhook', label: 'Webhook (signed JSON POST)' },
  { value: 'push', label: 'Push (ntfy / Gotify)' },
];

/** The channel's config: e-mail recipients (comma or space separated), or a URL and its secret. */
export function channelConfig(
  type: ChannelInput['type'],
  target: string,
  secret: string,
): ChannelInput['config'] {
  return type === 'email'
    ? { to: target.split(/[,\s]+/).filter(Boolean) }
    : { url: target, ...(secret ? { [type === 'webhook' ? 'secret' : 'token']: secret } : {}) };
}

/** Recipients or URL, and for webhook and push the optional signing secret or access token. */
export function ChannelTargetFields({
  type,
  target,
  onTarget,
  secret,
  onSecret,
  required,
}: {
  type: ChannelInput['type'];
  target: string;
  onTarget: (v: string) => void;
  secret: string;
  onSecret: (v: string) => void;
  required?: boolean;
}) {
  return (
    <>
      <Input
        label={type === 'email' ? 'Recipients' : 'URL'}
        hint={type === 'email' ? 'Comma-separated addresses; the SMTP server is set by an admin.' : undefined}
        value={target}
        onChange={(e) => onTarget(e.target.value)}
        required={required}
      />
      {type !== 'email' ? (
        <Input
          label={
            type === 'webhook' ? 'Signing secret (optional, ≥ 16 characters)' : 'Access token (optional)'
          }
          hint={type === 'webhook' ? 'Left empty, one is generated and shown once.' : undefined}
          type="password"
          autoComplete="new-password"
          value={secret}
          onChange={(e) => onSecret(e.target.value)}
        />
      ) : null}
    </>
  );
}
