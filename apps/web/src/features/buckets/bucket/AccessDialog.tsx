import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Dialog, Input, Select, Spinner, useToast } from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import {
  type Acl,
  bucketAclQuery,
  bucketTagsQuery,
  type CannedAcl,
  describeAcl,
  type PublicAccessBlock,
  parsePolicyText,
  parseTagsText,
  policyQuery,
  publicAccessBlockQuery,
  publicReadTemplate,
  tagsText,
  useSetBucketAcl,
  useSetBucketTags,
  useSetOwnership,
  useSetPolicy,
  useSetPublicAccessBlock,
} from '../access.ts';

type BlockFlags = Omit<PublicAccessBlock, 'bucket' | 'configured'>;

const BLOCK_LABELS: [keyof BlockFlags, string, string][] = [
  ['blockPublicAcls', 'Block public ACLs', 'Refuse ACLs that grant everyone or every signed-in user'],
  ['ignorePublicAcls', 'Ignore public ACLs', 'Existing public grants stop working'],
  ['blockPublicPolicy', 'Block public policies', 'Refuse bucket policies that let anyone in'],
  ['restrictPublicBuckets', 'Restrict public buckets', 'A public policy only works for you (and admins)'],
];

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="flex flex-col gap-2 border-t border-line pt-4 first:border-t-0 first:pt-0">
      <h3 className="text-sm font-semibold">{title}</h3>
      {children}
    </section>
  );
}

/** Who may use the bucket: the policy (JSON editor), the Public Access Block, ACLs; and its tags. */
export function AccessDialog({
  bucket,
  open,
  onClose,
  canUpdate,
}: {
  bucket: string;
  open: boolean;
  onClose: () => void;
  canUpdate: boolean;
}) {
  const toast = useToast();
  const policy = useQuery({ ...policyQuery(bucket), enabled: open });
  const block = useQuery({ ...publicAccessBlockQuery(bucket), enabled: open });
  const acl = useQuery({ ...bucketAclQuery(bucket), enabled: open });
  const tags = useQuery({ ...bucketTagsQuery(bucket), enabled: open });
  const setPolicy = useSetPolicy(bucket);
  const setBlock = useSetPublicAccessBlock(bucket);
  const setOwnership = useSetOwnership(bucket);
  const setAcl = useSetBucketAcl(bucket);
  const setTags = useSetBucketTags(bucket);

  const [text, setText] = useState('');
  const [policyProblem, setPolicyProblem] = useState<string | null>(null);
  const [flags, setFlags] = useState<BlockFlags | null>(null);
  const [tagText, setTagText] = useState('');
  const [tagProblem, setTagProblem] = useState<string | null>(null);

  // load the stored values into the editors when they arrive
  useEffect(() => {
    if (policy.data) setText(policy.data.policy ? JSON.stringify(policy.data.policy, null, 2) : '');
  }, [policy.data]);
  useEffect(() => {
    if (block.data) {
      const { bucket: _b, configured: _c, ...f } = block.data;
      setFlags(f);
    }
  }, [block.data]);
  useEffect(() => {
    if (tags.data) setTagText(tagsText(tags.data.tags));
  }, [tags.data]);

  const savePolicy = () => {
    const doc = parsePolicyText(text);
    if (typeof doc === 'string') return setPolicyProblem(doc);
    setPolicy.mutate(doc, {
      onSuccess: () => {
        setPolicyProblem(null);
        toast.success('Policy saved', 'It applies to the next S3 request.');
      },
      onError: (e) => setPolicyProblem(describeError(e)),
    });
  };

  const loading = policy.isPending || block.isPending || acl.isPending || tags.isPending;
  const aclData: Acl | undefined = acl.data;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title={`Access to ${bucket}`}
      description="Who may use this bucket through S3 (tools, SDKs, plain HTTP). Without a policy or ACL only you and admins can; the console always works for you."
    >
      {loading ? (
        <Spinner label="Loading access settings" />
      ) : (
        <div className="flex flex-col gap-4">
          <Section title="Bucket policy">
            <p className="text-sm text-muted">
              An AWS IAM policy (JSON). An explicit Deny always wins;{' '}
              <code className="font-mono">"Principal": "*"</code> includes anonymous callers.{' '}
              {policy.data?.policy ? (
                policy.data.isPublic ? (
                  <Badge tone="red">Public</Badge>
                ) : (
                  <Badge tone="neutral">Not public</Badge>
                )
              ) : (
                'No policy yet.'
              )}
            </p>
            <label className="flex flex-col gap-1.5 text-sm font-medium">
              Policy JSON
              <textarea
                className="min-h-48 rounded-md border border-line-strong bg-panel p-2 font-mono text-xs"
                value={text}
                readOnly={!canUpdate}
                spellCheck={false}
                onChange={(e) => {
                  setText(e.target.value);
                  setPolicyProblem(null);
                }}
                placeholder={publicReadTemplate(bucket)}
              />
            </label>
            {policyProblem ? <Alert tone="error">{policyProblem}</Alert> : null}
            {canUpdate ? (
              <div className="flex flex-wrap justify-end gap-2">
                <Button
                  size="sm"
                  onClick={() => {
                    setText(publicReadTemplate(bucket));
                    setPolicyProblem(null);
                  }}
                >
                  Insert public-read example
                </Button>
                {policy.data?.policy ? (
                  <Button
                    size="sm"
                    variant="danger"
                    disabled={setPolicy.isPending}
                    onClick={() =>
                      setPolicy.mutate(null, {
                        onSuccess: () => toast.success('Policy deleted'),
                        onError: (e) => setPolicyProblem(describeError(e)),
                      })
                    }
                  >
                    Delete policy
                  </Button>
                ) : null}
                <Button
                  size="sm"
                  variant="primary"
                  disabled={setPolicy.isPending || !text.trim()}
                  onClick={savePolicy}
                >
                  Save policy
                </Button>
              </div>
            ) : null}
          </Section>

          <Section title="Public Access Block">
            {flags ? (
              <fieldset className="grid gap-2 sm:grid-cols-2" disabled={!canUpdate}>
                <legend className="sr-only">Public Access Block settings</legend>
                {BLOCK_LABELS.map(([k, label, hint]) => (
                  <label key={k} className="flex items-start gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="mt-1"
                      checked={flags[k]}
                      onChange={(e) => setFlags({ ...flags, [k]: e.target.checked })}
                    />
                    <span>
                      {label}
                      <span className="block text-xs text-muted">{hint}</span>
                    </span>
                  </label>
                ))}
              </fieldset>
            ) : null}
            {canUpdate && flags ? (
              <div className="flex flex-wrap justify-end gap-2">
                {block.data?.configured ? (
                  <Button
                    size="sm"
                    disabled={setBlock.isPending}
                    onClick={() =>
                      setBlock.mutate(null, {
                        onSuccess: () => toast.success('Public Access Block removed'),
                        onError: (e) => toast.error('Could not remove it', describeError(e)),
                      })
                    }
                  >
                    Remove block
                  </Button>
                ) : null}
                <Button
                  size="sm"
                  variant="primary"
                  disabled={setBlock.isPending}
                  onClick={() =>
                    setBlock.mutate(flags, {
                      onSuccess: () => toast.success('Public Access Block saved'),
                      onError: (e) => toast.error('Could not save it', describeError(e)),
                    })
                  }
                >
                  Save block
                </Button>
              </div>
            ) : null}
          </Section>

          <Section title="Object ownership and ACL">
            {aclData ? (
              <>
                <p className="text-sm">
                  {aclData.ownership === 'BucketOwnerEnforced'
                    ? 'ACLs are disabled (Bucket owner enforced, the S3 default): policies decide access.'
                    : `ACLs are enabled. Bucket ACL: ${describeAcl(aclData)}.`}
                </p>
                {canUpdate ? (
                  <div className="grid gap-3 sm:grid-cols-2">
                    <Select
                      label="Object ownership"
                      value={aclData.ownership}
                      options={[
                        { value: 'BucketOwnerEnforced', label: 'Bucket owner enforced (ACLs off)' },
                        { value: 'BucketOwnerPreferred', label: 'Bucket owner preferred (ACLs on)' },
                      ]}
                      onChange={(e) =>
                        setOwnership.mutate(e.target.value as Acl['ownership'], {
                          onError: (err) => toast.error('Could not change ownership', describeError(err)),
                        })
                      }
                    />
                    {aclData.ownership !== 'BucketOwnerEnforced' ? (
                      <Select
                        label="Bucket ACL"
                        hint="Listing and uploads; objects have their own ACLs"
                        value=""
                        options={[
                          { value: '', label: 'Choose a canned ACL…' },
                          { value: 'private', label: 'private' },
                          { value: 'public-read', label: 'public-read (anyone may list)' },
                          {
                            value: 'public-read-write',
                            label: 'public-read-write (anyone may list and upload)',
                          },
                          {
                            value: 'authenticated-read',
                            label: 'authenticated-read (signed-in users may list)',
                          },
                        ]}
                        onChange={(e) =>
                          e.target.value &&
                          setAcl.mutate(e.target.value as CannedAcl, {
                            onSuccess: () => toast.success('Bucket ACL set', e.target.value),
                            onError: (err) => toast.error('Could not set the ACL', describeError(err)),
                          })
                        }
                      />
                    ) : null}
                  </div>
                ) : null}
              </>
            ) : null}
          </Section>

          <Section title="Tags">
            <Input
              label="Bucket tags"
              hint="key=value, separated by commas (up to 50)"
              value={tagText}
              readOnly={!canUpdate}
              onChange={(e) => {
                setTagText(e.target.value);
                setTagProblem(null);
              }}
            />
            {tagProblem ? <Alert tone="error">{tagProblem}</Alert> : null}
            {canUpdate ? (
              <div className="flex justify-end">
                <Button
                  size="sm"
                  variant="primary"
                  disabled={setTags.isPending}
                  onClick={() => {
                    const parsed = parseTagsText(tagText);
                    if (typeof parsed === 'string') return setTagProblem(parsed);
                    setTags.mutate(parsed, {
                      onSuccess: () => toast.success('Tags saved'),
                      onError: (e) => setTagProblem(describeError(e)),
                    });
                  }}
                >
                  Save tags
                </Button>
              </div>
            ) : null}
          </Section>
        </div>
      )}
    </Dialog>
  );
}
