import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, TagsInput, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { post } from '../../shared/api/client';
import { PRIORITIES, type Contact, type Priority, type Ticket } from '../../shared/api/types';
import { FormErrorAlert, fieldErrorsOf, notifySuccess, type FieldErrors } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { COUNTS_KEY } from '../../shared/ui/AppLayout';
import { useCurrentUser } from '../auth/session';
import { useGroups } from '../people/queries';
import { useCategories } from './reference';
import { EMPTY_SHIPMENT, SHIPMENT_ERROR_FIELDS, ShipmentFields, shipmentPayload, type ShipmentForm } from './ShipmentFields';
import { RequesterPicker } from './RequesterPicker';

const SHOWN = [
  'subject',
  'description',
  'categoryId',
  'priority',
  'groupId',
  'tags',
  'requesterId',
  'requester',
  'onBehalf',
  ...SHIPMENT_ERROR_FIELDS,
];

export default function NewTicketPage() {
  const { t } = useTranslation();
  const l = useLabels();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const me = useCurrentUser();
  const categories = useCategories();
  const groups = useGroups();

  const [requester, setRequester] = useState<Contact | null>(null);
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [groupId, setGroupId] = useState<string | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [onBehalf, setOnBehalf] = useState(false);
  const [shipment, setShipment] = useState<ShipmentForm>(EMPTY_SHIPMENT);
  const [errors, setErrors] = useState<FieldErrors>({});

  const category = categories.data?.find((c) => c.id === categoryId);

  const create = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = {
        subject: subject.trim(),
        categoryId,
        priority,
        onBehalf,
      };
      if (requester) body.requesterId = requester.id;
      if (description.trim()) body.description = description.trim();
      if (groupId) body.groupId = groupId;
      if (tags.length) body.tags = tags;
      if (category?.shipmentRelated) body.shipment = shipmentPayload(shipment);
      return post<Ticket>('/tickets', body);
    },
    onSuccess: (tk) => {
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      void qc.invalidateQueries({ queryKey: COUNTS_KEY });
      qc.setQueryData(['ticket', String(tk.number)], tk);
      notifySuccess(t('newTicket.created', { number: tk.number }));
      navigate(`/tickets/${tk.number}`);
    },
    onError: (e) => setErrors(fieldErrorsOf(e)),
  });

  const clear = (field: string) =>
    setErrors((e) => {
      const { [field]: _drop, ...rest } = e;
      return rest;
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!requester) local.requesterId = t('newTicket.requesterRequired');
    if (!categoryId) local.categoryId = t('newTicket.categoryRequired');
    if (!subject.trim()) local.subject = t('newTicket.subjectRequired');
    if (Object.keys(local).length) {
      create.reset();
      setErrors(local);
      return;
    }
    create.mutate();
  };

  const myGroups = new Set(me.groupIds);
  const groupOptions = [...(groups.data ?? [])]
    .sort((a, b) => Number(myGroups.has(b.id)) - Number(myGroups.has(a.id)) || a.name.localeCompare(b.name))
    .map((g) => ({ value: g.id, label: g.name }));

  return (
    <Stack maw={900}>
      <Title order={2}>{t('newTicket.title')}</Title>
      <form onSubmit={submit} noValidate>
        <Stack>
          <RequesterPicker
            value={requester}
            onChange={(c) => {
              setRequester(c);
              clear('requesterId');
              clear('requester');
            }}
            error={errors['requesterId'] ?? errors['requester']}
          />
          <Paper withBorder p="sm" radius="md">
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
                <Select
                  label={t('ticket.category')}
                  data={(categories.data ?? []).map((c) => ({ value: c.id, label: l.name(c) }))}
                  value={categoryId}
                  onChange={(v) => {
                    setCategoryId(v);
                    clear('categoryId');
                  }}
                  searchable
                  required
                  error={errors['categoryId']}
                />
                <Select
                  label={t('ticket.priority')}
                  data={PRIORITIES.map((p) => ({ value: p, label: l.priority(p) }))}
                  value={priority}
                  onChange={(v) => v && setPriority(v as Priority)}
                  allowDeselect={false}
                  error={errors['priority']}
                />
              </SimpleGrid>
              <TextInput
                label={t('ticket.subject')}
                required
                value={subject}
                onChange={(e) => {
                  setSubject(e.currentTarget.value);
                  clear('subject');
                }}
                error={errors['subject']}
              />
              <Textarea
                label={t('ticket.description')}
                autosize
                minRows={4}
                maxRows={16}
                value={description}
                onChange={(e) => setDescription(e.currentTarget.value)}
                error={errors['description']}
              />
            </Stack>
          </Paper>
          {category?.shipmentRelated && (
            <ShipmentFields
              value={shipment}
              onChange={(f, v) => {
                setShipment((s) => ({ ...s, [f]: v }));
                clear(`shipment.${f}`);
              }}
              errors={errors}
            />
          )}
          <Paper withBorder p="sm" radius="md">
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
                <Select
                  label={t('ticket.group')}
                  placeholder={t('newTicket.groupAuto')}
                  data={groupOptions}
                  value={groupId}
                  onChange={setGroupId}
                  searchable
                  clearable
                  error={errors['groupId']}
                />
                <TagsInput label={t('ticket.tags')} value={tags} onChange={setTags} clearable error={errors['tags']} />
              </SimpleGrid>
              <Checkbox
                label={t('ticket.onBehalf')}
                checked={onBehalf}
                onChange={(e) => setOnBehalf(e.currentTarget.checked)}
                error={errors['onBehalf']}
              />
            </Stack>
          </Paper>
          <FormErrorAlert error={create.error} shown={SHOWN} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => navigate(-1)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('newTicket.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
