import { PlusIcon } from '../../../components/icons.tsx';
import { Button, Skeleton } from '../../../components/index.ts';
import { useSession } from '../../auth/session.tsx';
import { Section } from '../Section.tsx';
import type { LaunchForm } from '../useLaunchForm.ts';

/** `onCreateKey` opens the create dialog, which the page renders outside the form (no nested forms). */
export function KeysStep({ f, onCreateKey }: { f: LaunchForm; onCreateKey: () => void }) {
  const { can } = useSession();
  const { keys, setKeys } = f;
  return (
    <Section n={5} title="Key pairs" hint="Public keys put in the instance so you can log in with SSH.">
      {f.myKeys.length ? (
        <fieldset className="min-w-0">
          <legend className="sr-only">Key pairs</legend>
          <ul className="flex flex-col gap-2">
            {f.myKeys.map((k) => (
              <li key={k.id}>
                <label className="flex min-w-0 items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={keys.includes(k.id)}
                    onChange={(e) =>
                      setKeys(e.target.checked ? [...keys, k.id] : keys.filter((x) => x !== k.id))
                    }
                  />
                  <span className="font-medium">{k.name}</span>
                  <span className="min-w-0 truncate font-mono text-xs text-muted">{k.fingerprint}</span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : f.keyList.isPending ? (
        <Skeleton className="h-6 w-48" />
      ) : (
        <p className="text-sm text-muted">
          You have no key pairs yet. Without one you cannot log in with SSH.
        </p>
      )}
      {can('key_pairs:create') ? (
        <div>
          <Button size="sm" icon={<PlusIcon />} onClick={onCreateKey}>
            Create key pair
          </Button>
        </div>
      ) : null}
    </Section>
  );
}
