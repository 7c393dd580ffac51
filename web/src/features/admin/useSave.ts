import { useState } from 'react';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api/client';
import { fieldErrorsOf, notifySuccess } from '../../shared/ui/errors';

/** POST a new record or PATCH an existing one, then refresh `key`. */
export function useSave<T>(base: string, key: QueryKey, onDone: () => void) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: Record<string, unknown> }) =>
      api<T>(id ? `${base}/${id}` : base, { method: id ? 'PATCH' : 'POST', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: key });
      notifySuccess(t('common.saved'));
      onDone();
    },
  });
}

/** The fields of `next` that differ from `prev`. */
export function changed(prev: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) if (JSON.stringify(prev[k]) !== JSON.stringify(v)) out[k] = v;
  return out;
}

/** Form state for an admin dialog plus the save mutation and its per-field errors. */
export function useAdminForm<F extends object, T>(initial: F, base: string, key: QueryKey, onDone: () => void) {
  const [form, setForm] = useState<F>(initial);
  const save = useSave<T>(base, key, onDone);
  const errors = fieldErrorsOf(save.error);
  const set = <K extends keyof F>(k: K, v: F[K]) => setForm((f) => ({ ...f, [k]: v }));
  return { form, set, save, errors };
}
