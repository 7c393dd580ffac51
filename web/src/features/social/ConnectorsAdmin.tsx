import { Badge, Code, CopyButton, Button, Group, PasswordInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../shared/api/client';
import type { Connector } from '../../shared/api/types';
import { FormModal } from '../../shared/ui/FormModal';
import { useLabels } from '../../shared/ui/labels';
import { useGroups } from '../people/queries';
import { AdminList } from '../admin/AdminList';
import { useAdminForm } from '../admin/useSave';

export const CONNECTORS_KEY = ['connectors'] as const;
type Kind = Connector['kind'];

interface Form {
  kind: Kind;
  name: string;
  platform: string;
  groupId: string | null;
  active: boolean;
  webhookSecret: string;
  outboundUrl: string;
  outboundToken: string;
}

const SHOWN = ['kind', 'name', 'platform', 'groupId', 'active', 'webhookSecret', 'outboundUrl', 'outboundToken'];

function ConnectorDialog({ connector, onClose }: { connector: Connector | null; onClose: () => void }) {
  const { t } = useTranslation();
  const groups = useGroups();
  const initial: Form = {
    kind: connector?.kind ?? 'telegram',
    name: connector?.name ?? '',
    platform: connector?.platform ?? '',
    groupId: connector?.group?.id ?? null,
    active: connector?.active ?? true,
    webhookSecret: '',
    outboundUrl: connector?.outboundUrl ?? '',
    outboundToken: '',
  };
  const { form, set, save, errors } = useAdminForm<Form, Connector>(initial, '/connectors', CONNECTORS_KEY, onClose);
  const telegram = form.kind === 'telegram';

  const submit = () => {
    const body: Record<string, unknown> = { name: form.name.trim(), groupId: form.groupId, active: form.active };
    if (!connector) body.kind = form.kind;
    if (form.kind === 'generic' && form.platform.trim()) body.platform = form.platform.trim().toLowerCase();
    if (form.webhookSecret) body.webhookSecret = form.webhookSecret;
    if (form.kind !== 'telephony') {
      if (form.outboundUrl.trim()) body.outboundUrl = form.outboundUrl.trim();
      else if (connector) body.outboundUrl = null;
      if (form.outboundToken) body.outboundToken = form.outboundToken;
    }
    if (connector) save.mutate({ id: connector.id, body: { ...body, version: connector.version } });
    else save.mutate({ body });
  };

  return (
    <FormModal title={connector ? t('connector.edit') : t('connector.new')} onClose={onClose} onSubmit={submit} save={save} shown={SHOWN}>
      <Select
        label={t('connector.kind')}
        data={(['telegram', 'generic', 'telephony'] as const).map((k) => ({ value: k, label: t(`connector.kinds.${k}`) }))}
        value={form.kind}
        onChange={(v) => v && set('kind', v as Kind)}
        disabled={!!connector}
        allowDeselect={false}
        error={errors.kind}
        data-testid="connector-kind"
      />
      <TextInput label={t('connector.name')} required value={form.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} data-testid="connector-name" />
      {form.kind === 'generic' && (
        <TextInput label={t('connector.platform')} description={t('connector.platformHint')} value={form.platform} onChange={(e) => set('platform', e.currentTarget.value)} error={errors.platform} classNames={{ input: 'cd-ltr' }} />
      )}
      {form.kind !== 'telephony' && (
        <Select
          label={t('connector.group')}
          data={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
          value={form.groupId}
          onChange={(v) => set('groupId', v)}
          clearable
          searchable
          error={errors.groupId}
        />
      )}
      <Switch label={t('connector.active')} checked={form.active} onChange={(e) => set('active', e.currentTarget.checked)} />
      <PasswordInput
        label={t('connector.webhookSecret')}
        description={connector ? t('connector.webhookSecretStored') : t('connector.webhookSecretHint')}
        required={!connector}
        autoComplete="new-password"
        value={form.webhookSecret}
        onChange={(e) => set('webhookSecret', e.currentTarget.value)}
        error={errors.webhookSecret}
        classNames={{ input: 'cd-ltr' }}
        visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
        data-testid="connector-secret"
      />
      {form.kind !== 'telephony' && (
        <>
          <TextInput
            label={t('connector.outboundUrl')}
            description={telegram ? t('connector.outboundUrlHintTelegram') : t('connector.outboundUrlHint')}
            required={form.kind === 'generic'}
            value={form.outboundUrl}
            onChange={(e) => set('outboundUrl', e.currentTarget.value)}
            error={errors.outboundUrl}
            classNames={{ input: 'cd-ltr' }}
            data-testid="connector-url"
          />
          <PasswordInput
            label={t('connector.outboundToken')}
            description={connector?.hasOutboundToken ? t('connector.tokenStored') : telegram ? t('connector.outboundTokenHintTelegram') : t('connector.outboundTokenHint')}
            required={telegram && !connector}
            autoComplete="new-password"
            value={form.outboundToken}
            onChange={(e) => set('outboundToken', e.currentTarget.value)}
            error={errors.outboundToken}
            classNames={{ input: 'cd-ltr' }}
            visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
            data-testid="connector-token"
          />
        </>
      )}
    </FormModal>
  );
}

export function ConnectorsAdmin() {
  const { t } = useTranslation();
  const l = useLabels();
  const connectors = useQuery({ queryKey: CONNECTORS_KEY, queryFn: () => get<{ items: Connector[] }>('/connectors'), select: (d) => d.items, refetchInterval: 30_000 });
  return (
    <AdminList<Connector>
      newLabel={t('connector.new')}
      rows={connectors.data}
      error={connectors.error}
      testId="connectors-table"
      minWidth={1000}
      empty={t('connector.empty')}
      nameOf={(c) => c.name}
      isActive={(c) => c.active}
      renderDialog={(c, onClose) => <ConnectorDialog connector={c} onClose={onClose} />}
      columns={[
        {
          key: 'name',
          header: t('connector.name'),
          cell: (c) => (
            <Stack gap={0}>
              <Text size="sm" fw={500}>
                {c.name}
              </Text>
              <Text size="xs" c="dimmed">
                {t(`connector.kinds.${c.kind}`)}
                {c.kind === 'generic' ? ` · ${c.platform}` : ''}
              </Text>
            </Stack>
          ),
        },
        {
          key: 'webhook',
          header: t('connector.webhookUrl'),
          cell: (c) => (
            <Group gap={4} wrap="nowrap">
              <Code className="cd-ltr" data-testid="connector-webhook-url" style={{ whiteSpace: 'nowrap' }}>
                {c.webhookUrl}
              </Code>
              <CopyButton value={c.webhookUrl}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="subtle" onClick={copy}>
                    {copied ? '✓' : '⧉'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          ),
        },
        { key: 'group', header: t('connector.group'), cell: (c) => c.group?.name ?? '—' },
        { key: 'last', header: t('connector.lastReceived'), cell: (c) => (c.lastReceivedAt ? <bdi>{l.dateTime(c.lastReceivedAt)}</bdi> : t('connector.never')) },
        { key: 'pending', header: t('connector.pending'), cell: (c) => (c.pending ? <Badge color="orange">{c.pending}</Badge> : '0') },
        { key: 'failed', header: t('connector.failedReplies'), cell: (c) => (c.failedReplies ? <Badge color="red">{c.failedReplies}</Badge> : '0') },
      ]}
    />
  );
}
