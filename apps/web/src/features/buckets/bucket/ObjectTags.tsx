import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Alert, Button, Input, useToast } from '../../../components/index.ts';
import { describeError } from '../../../lib/api/errors.ts';
import { objectTagsQuery, parseTagsText, tagsText, useSetObjectTags } from '../access.ts';

/** The object's tags (lifecycle rules and bucket policies can use them), editable in place. */
export function ObjectTags({
  bucket,
  objectKey,
  canWrite,
}: {
  bucket: string;
  objectKey: string;
  canWrite: boolean;
}) {
  const tags = useQuery(objectTagsQuery(bucket, objectKey));
  const set = useSetObjectTags(bucket, objectKey);
  const toast = useToast();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (tags.data) setText(tagsText(tags.data.tags));
  }, [tags.data]);
  return (
    <div>
      <h3 className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">Tags</h3>
      {tags.error ? <Alert tone="error">{describeError(tags.error)}</Alert> : null}
      {canWrite ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const parsed = parseTagsText(text);
            if (typeof parsed === 'string') return setProblem(parsed);
            set.mutate(parsed, {
              onSuccess: () => toast.success('Tags saved'),
              onError: (err) => setProblem(describeError(err)),
            });
          }}
        >
          <div className="min-w-64 flex-1">
            <Input
              label="Object tags"
              hideLabel
              hint="key=value, separated by commas (up to 10)"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setProblem(null);
              }}
            />
          </div>
          <Button size="sm" type="submit" disabled={set.isPending || tags.isPending}>
            Save tags
          </Button>
        </form>
      ) : (
        <p className="text-sm">{tags.data?.tags.length ? tagsText(tags.data.tags) : 'None.'}</p>
      )}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
    </div>
  );
}
