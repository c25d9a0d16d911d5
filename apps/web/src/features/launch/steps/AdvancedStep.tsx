import { cx } from '../../../components/index.ts';
import { SecretEnvPicker } from '../../secrets/SecretEnvPicker.tsx';
import { Section, textareaClass } from '../Section.tsx';
import type { LaunchForm } from '../useLaunchForm.ts';

export function AdvancedStep({ f }: { f: LaunchForm }) {
  const { errors, type } = f;
  return (
    <Section n={7} title="Advanced (optional)">
      <div className="flex flex-col gap-1.5">
        <label htmlFor="user-data" className="text-sm font-medium">
          Cloud-init user-data
        </label>
        <textarea
          id="user-data"
          rows={4}
          value={f.userData}
          onChange={(e) => f.setUserData(e.target.value)}
          aria-describedby="user-data-help"
          className={textareaClass}
          placeholder="#cloud-config"
          disabled={type === 'lxc'}
        />
        <p
          id="user-data-help"
          className={cx(
            'text-xs',
            errors.userData || f.userDataApiError ? 'text-red-700 dark:text-red-400' : 'text-muted',
          )}
        >
          {type === 'lxc'
            ? 'Containers do not run cloud-init.'
            : (errors.userData ??
              f.userDataApiError ??
              'VMs only. Starts with #cloud-config, #!, #cloud-boothook or #include (at most 64 KiB); merged with the login user, your key pairs and the hostname.')}
        </p>
      </div>
      <SecretEnvPicker value={f.secretEnv} onChange={f.setSecretEnv} />
      <div className="flex flex-col gap-1.5">
        <label htmlFor="tags" className="text-sm font-medium">
          Tags
        </label>
        <textarea
          id="tags"
          rows={3}
          value={f.tagText}
          onChange={(e) => f.setTagText(e.target.value)}
          aria-describedby="tags-help"
          className={textareaClass}
          placeholder={'env=dev\nowner=me'}
        />
        <p
          id="tags-help"
          className={cx('text-xs', errors.tags ? 'text-red-700 dark:text-red-400' : 'text-muted')}
        >
          {errors.tags ?? 'One key=value per line (at most 20).'}
        </p>
      </div>
    </Section>
  );
}
