import { useState } from 'react';
import { Alert, Checkbox, List, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../shared/api/client';
import { CALL_OUTCOMES, type Call, type CallOutcome, type Contact, type Ticket } from '../../shared/api/types';
import { FormModal } from '../../shared/ui/FormModal';
import { fieldErrorsOf, notifySuccess } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { useCategories, useReasonCodes } from '../tickets/reference';
import { useCallScripts, useLogCall } from './queries';

const SHOWN = ['direction', 'number', 'contactName', 'subject', 'categoryId', 'reasonCodeId', 'outcome', 'durationSeconds', 'notes', 'checklist'];

/**
 * The call an agent just had, with the category's script beside it: on a ticket the call is added
 * to it; on a contact it opens a ticket for them.
 */
export function LogCallDialog({ contact, ticket, onClose, onLogged }: { contact?: Contact | null; ticket?: Ticket | null; onClose: () => void; onLogged?: (call: Call) => void }) {
  const { t } = useTranslation();
  const l = useLabels();
  const categories = useCategories();
  const reasons = useReasonCodes();
  const scripts = useCallScripts();
  // On a ticket, the requester's number is the likely one.
  const requester = useQuery({
    queryKey: ['contact', ticket?.requester?.id],
    queryFn: () => get<Contact>(`/contacts/${ticket!.requester!.id}`),
    enabled: !contact && !!ticket?.requester?.id,
  });
  const person = contact ?? requester.data ?? null;
  const knownNumber = person?.identities.find((i) => i.kind === 'phone')?.value ?? '';

  const [direction, setDirection] = useState<'inbound' | 'outbound'>('inbound');
  const [number, setNumber] = useState<string | null>(null);
  const [contactName, setContactName] = useState('');
  const [subject, setSubject] = useState('');
  const [categoryId, setCategoryId] = useState<string | null>(ticket?.category?.id ?? null);
  const [reasonCodeId, setReasonCodeId] = useState<string | null>(ticket?.reasonCode?.id ?? null);
  const [outcome, setOutcome] = useState<CallOutcome | null>(null);
  const [minutes, setMinutes] = useState<number | string>('');
  const [seconds, setSeconds] = useState<number | string>('');
  const [notes, setNotes] = useState('');
  const [checked, setChecked] = useState<Record<string, boolean>>({});

  const save = useLogCall((call) => {
    notifySuccess(t('phone.logged'));
    onLogged?.(call);
    onClose();
  });
  const errors = fieldErrorsOf(save.error);
  const script = categoryId ? (scripts.data ?? []).find((s) => s.categoryId === categoryId) : undefined;
  const shownNumber = number ?? knownNumber;

  const submit = () => {
    const duration = (Number(minutes) || 0) * 60 + (Number(seconds) || 0);
    save.mutate({
      direction,
      number: shownNumber.trim(),
      ...(person ? { contactId: person.id } : contactName.trim() ? { contactName: contactName.trim() } : {}),
      ...(ticket ? { ticketId: ticket.id } : subject.trim() ? { subject: subject.trim() } : {}),
      ...(categoryId ? { categoryId } : {}),
      ...(reasonCodeId ? { reasonCodeId } : {}),
      ...(outcome ? { outcome } : {}),
      durationSeconds: Math.round(duration),
      notes,
      ...(script ? { checklist: script.checklist.map((c) => ({ key: c.key, checked: !!checked[c.key] })) } : {}),
    });
  };

  return (
    <FormModal title={t('phone.logCallTitle')} onClose={onClose} onSubmit={submit} save={save} shown={[...SHOWN, ...(script?.checklist ?? []).map((c) => `checklist.${c.key}`)]}>
      <div data-testid="log-call-dialog" style={{ display: 'contents' }}>
        {ticket && <Text size="sm" c="dimmed">{t('phone.addsToTicket', { number: ticket.number })}</Text>}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('phone.direction')}
            </Text>
            <SegmentedControl
              data-testid="call-direction"
              value={direction}
              onChange={(v) => setDirection(v as 'inbound' | 'outbound')}
              data={[
                { value: 'inbound', label: t('phone.inbound') },
                { value: 'outbound', label: t('phone.outbound') },
              ]}
            />
          </Stack>
          <TextInput
            label={t('phone.number')}
            required
            type="tel"
            value={shownNumber}
            onChange={(e) => setNumber(e.currentTarget.value)}
            error={errors.number}
            classNames={{ input: 'cd-ltr' }}
            data-testid="call-number"
          />
        </SimpleGrid>
        {!person && (
          <TextInput label={t('phone.contactName')} description={t('phone.contactNameHint')} value={contactName} onChange={(e) => setContactName(e.currentTarget.value)} error={errors.contactName} />
        )}
        {!ticket && <TextInput label={t('phone.subject')} description={t('phone.subjectHint')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} error={errors.subject} data-testid="call-subject" />}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('phone.category')}
            data={(categories.data ?? []).map((c) => ({ value: c.id, label: l.name(c) }))}
            value={categoryId}
            onChange={setCategoryId}
            clearable
            searchable
            error={errors.categoryId}
            data-testid="call-category"
          />
          <Select
            label={t('phone.reasonCode')}
            data={(reasons.data ?? []).map((r) => ({ value: r.id, label: l.name(r) }))}
            value={reasonCodeId}
            onChange={setReasonCodeId}
            clearable
            searchable
            error={errors.reasonCodeId}
            data-testid="call-reason"
          />
        </SimpleGrid>

        <Stack gap="xs" p="sm" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }} data-testid="call-script">
          <Title order={5}>{t('phone.script')}</Title>
          {!categoryId ? (
            <Text size="sm" c="dimmed">{t('phone.pickCategory')}</Text>
          ) : !script ? (
            <Text size="sm" c="dimmed">{t('phone.noScript')}</Text>
          ) : (
            <>
              {script.steps.length > 0 && (
                <List type="ordered" size="sm" spacing={2}>
                  {script.steps.map((s, i) => (
                    <List.Item key={i}>{s}</List.Item>
                  ))}
                </List>
              )}
              {script.checklist.length > 0 && (
                <Stack gap={6}>
                  <Text size="sm" fw={500}>
                    {t('phone.checklist')}
                  </Text>
                  {script.checklist.map((c) => (
                    <Checkbox
                      key={c.key}
                      data-testid={`checklist-${c.key}`}
                      label={c.required ? `${c.label} (${t('phone.required')})` : c.label}
                      checked={!!checked[c.key]}
                      onChange={(e) => {
                        const on = e.currentTarget.checked;
                        setChecked((x) => ({ ...x, [c.key]: on }));
                      }}
                      error={errors[`checklist.${c.key}`]}
                    />
                  ))}
                </Stack>
              )}
            </>
          )}
          {errors.checklist && <Alert color="red">{errors.checklist}</Alert>}
        </Stack>

        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('phone.outcome')}
            required
            data={CALL_OUTCOMES.map((o) => ({ value: o, label: t(`phone.outcomes.${o}`) }))}
            value={outcome}
            onChange={(v) => setOutcome(v as CallOutcome | null)}
            error={errors.outcome}
            data-testid="call-outcome"
          />
          <NumberInput label={t('phone.minutes')} min={0} max={1440} allowDecimal={false} allowNegative={false} value={minutes} onChange={setMinutes} error={errors.durationSeconds} classNames={{ input: 'cd-ltr' }} data-testid="call-minutes" />
          <NumberInput label={t('phone.seconds')} min={0} max={59} allowDecimal={false} allowNegative={false} value={seconds} onChange={setSeconds} classNames={{ input: 'cd-ltr' }} />
        </SimpleGrid>
        <Textarea label={t('phone.notes')} autosize minRows={3} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} error={errors.notes} data-testid="call-notes" />
      </div>
    </FormModal>
  );
}
