import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Paper, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorMessage, fieldErrorsOf } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { EMPTY_SHIPMENT, SHIPMENT_ERROR_FIELDS, ShipmentFields, shipmentPayload, type ShipmentForm } from '../tickets/ShipmentFields';
import { portalGet, portalPost, type PortalCategory, type PortalTicket, type Uploaded } from './api';
import { AttachmentPicker } from './Attachments';

const SHOWN = ['subject', 'description', 'categoryId', 'attachmentIds', ...SHIPMENT_ERROR_FIELDS];

/** The category's form: a shipment category asks for the same shipment details agents must record. */
export default function PortalNewTicketPage() {
  const { t } = useTranslation();
  const l = useLabels();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const categories = useQuery({ queryKey: ['portal', 'categories'], queryFn: () => portalGet<{ items: PortalCategory[] }>('/categories') });
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [shipment, setShipment] = useState<ShipmentForm>(EMPTY_SHIPMENT);
  const [files, setFiles] = useState<Uploaded[]>([]);
  const category = categories.data?.items.find((c) => c.id === categoryId);

  const create = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = { subject: subject.trim(), description: description.trim(), categoryId };
      if (category?.shipmentRelated) body.shipment = shipmentPayload(shipment);
      if (files.length) body.attachmentIds = files.map((f) => f.id);
      return portalPost<PortalTicket>('/tickets', body);
    },
    onSuccess: (tk) => {
      void qc.invalidateQueries({ queryKey: ['portal', 'tickets'] });
      qc.setQueryData(['portal', 'ticket', String(tk.number)], tk);
      navigate(`/tickets/${tk.number}`, { replace: true });
    },
  });
  const errors = fieldErrorsOf(create.error);
  // The server names a missing category "categoryId": required when nothing was chosen.
  const missingCategory = !categoryId && create.isError ? t('portal.newTicket.chooseCategory') : undefined;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const hidden = create.error ? Object.keys(errors).filter((f) => !SHOWN.includes(f)) : [];

  return (
    <Stack gap="md">
      <Title order={2}>{t('portal.newTicket.title')}</Title>
      <Paper withBorder p="md" radius="md" component="form" onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Select
            label={t('portal.newTicket.category')}
            placeholder={t('portal.newTicket.categoryPlaceholder')}
            required
            data={(categories.data?.items ?? []).map((c) => ({ value: c.id, label: l.name(c) }))}
            value={categoryId}
            onChange={setCategoryId}
            error={errors.categoryId ?? missingCategory}
            comboboxProps={{ withinPortal: true }}
            data-testid="portal-category"
          />
          <TextInput label={t('portal.newTicket.subject')} required value={subject} onChange={(e) => setSubject(e.currentTarget.value)} error={errors.subject} data-testid="portal-subject" />
          <Textarea
            label={t('portal.newTicket.description')}
            required
            autosize
            minRows={4}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
            data-testid="portal-description"
          />
          {category?.shipmentRelated && <ShipmentFields value={shipment} onChange={(f, v) => setShipment((s) => ({ ...s, [f]: v }))} errors={errors} narrow />}
          <AttachmentPicker files={files} onChange={setFiles} />
          {create.error && (!Object.keys(errors).length || hidden.length > 0) ? (
            <Alert color="red" role="alert" data-testid="portal-error">
              {hidden.length ? hidden.map((f) => errors[f]).join(' ') : errorMessage(create.error, t)}
            </Alert>
          ) : null}
          {create.error && Object.keys(errors).length > 0 && !hidden.length ? (
            <Alert color="red" role="alert" data-testid="portal-error">
              {t('errors.checkFields')}
            </Alert>
          ) : null}
          <Group justify="space-between">
            <Button variant="default" component={Link} to="/">
              {t('portal.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="portal-submit-ticket">
              {t('portal.newTicket.submit')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
