import { useEffect, useState } from 'react';
import { ActionIcon, Button, Group, Loader, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, get } from '../../shared/api/client';
import { ErrorState, FormErrorAlert, fieldErrorsOf, notifySuccess } from '../../shared/ui/errors';

interface Rates {
  baseCurrency: string;
  items: { currency: string; rate: number; updatedAt: string }[];
}
interface Row {
  currency: string;
  rate: number | string;
}

const KEY = ['currency-rates'];

export function CurrencyRatesAdmin() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rates = useQuery({ queryKey: KEY, queryFn: () => get<Rates>('/currency-rates') });
  const [rows, setRows] = useState<Row[]>([]);
  useEffect(() => {
    if (rates.data) setRows(rates.data.items.map((r) => ({ currency: r.currency, rate: r.rate })));
  }, [rates.data]);
  const save = useMutation({
    mutationFn: () =>
      api<Rates>('/currency-rates', {
        method: 'PUT',
        body: { items: rows.map((r) => ({ currency: r.currency.trim().toUpperCase(), rate: typeof r.rate === 'number' ? r.rate : Number(r.rate) })) },
      }),
    onSuccess: () => {
      notifySuccess(t('ratesAdmin.saved'));
      void qc.invalidateQueries({ queryKey: KEY });
    },
  });
  if (rates.isPending) return <Loader size="sm" />;
  if (rates.error) return <ErrorState error={rates.error} />;
  const fe = fieldErrorsOf(save.error);
  const setRow = (i: number, r: Partial<Row>) => setRows((all) => all.map((x, j) => (j === i ? { ...x, ...r } : x)));
  return (
    <Stack maw={520} data-testid="currency-rates">
      <Text c="dimmed">{t('ratesAdmin.help', { base: rates.data.baseCurrency })}</Text>
      {rows.map((r, i) => (
        <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
          <TextInput w={110} label={t('ratesAdmin.currency')} value={r.currency} onChange={(e) => setRow(i, { currency: e.currentTarget.value })} error={fe[`items.${i}.currency`]} className="cd-ltr" />
          <NumberInput style={{ flex: 1 }} label={t('ratesAdmin.rate')} decimalScale={6} min={0} value={r.rate} onChange={(v) => setRow(i, { rate: v })} error={fe[`items.${i}.rate`]} className="cd-ltr" />
          <ActionIcon mt={26} variant="subtle" color="red" aria-label={t('ratesAdmin.remove')} onClick={() => setRows((all) => all.filter((_, j) => j !== i))}>
            ×
          </ActionIcon>
        </Group>
      ))}
      <FormErrorAlert error={save.error} shown={rows.flatMap((_, i) => [`items.${i}.currency`, `items.${i}.rate`])} />
      <Group>
        <Button variant="subtle" onClick={() => setRows((all) => [...all, { currency: '', rate: 1 }])}>
          {t('ratesAdmin.add')}
        </Button>
        <Button onClick={() => save.mutate()} loading={save.isPending}>
          {t('ratesAdmin.save')}
        </Button>
      </Group>
    </Stack>
  );
}
