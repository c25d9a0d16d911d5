import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';

/** A mutation that invalidates the given query keys once it succeeded (the usual delete/update hook). */
export function useInvalidatingMutation<V, R>(mutationFn: (v: V) => Promise<R>, invalidate: QueryKey[]) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => Promise.all(invalidate.map((queryKey) => qc.invalidateQueries({ queryKey }))),
  });
}
