import type { ReactNode } from 'react';
import { Anchor, Badge, Button, Checkbox, Divider, Group, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Language, Mailbox } from '../../shared/api/types';
import { FormModal } from '../../shared/ui/FormModal';
import { useLabels } from '../../shared/ui/labels';
import { useGroups } from '../people/queries';
import { AdminList } from '../admin/AdminList';
import { changed, useAdminForm } from '../admin/useSave';
import { MAILBOXES_KEY, useEmailAction, useMailboxes } from './queries';

interface Form {
  address: string;
  name: string;
  groupId: string | null;
  language: Language;
  active: boolean;
  smtpReceive: boolean;
  ackEnabled: boolean;
  imapHost: string;
  imapPort: number | string;
  imapTls: boolean;
  imapUser: string;
  imapPassword: string;
  imapFolder: string;
  relayHost: string;
  relayPort: number | string;
  relayTls: boolean;
  relayUser: string;
  relayPassword: string;
  /** Remove the stored password (sent as null). */
  clearImapPassword: boolean;
  clearRelayPassword: boolean;
}

const SHOWN = [
  'address',
  'name',
  'groupId',
  'language',
  'active',
  'smtpReceive',
  'ackEnabled',
  'imapHost',
  'imapPort',
  'imapTls',
  'imapUser',
  'imapPassword',
  'imapFolder',
  'relayHost',
  'relayPort',
  'relayTls',
  'relayUser',
  'relayPassword',
];

const BLANK: Form = {
  address: '',
  name: '',
  groupId: null,
  language: 'en',
  active: true,
  smtpReceive: true,
  ackEnabled: true,
  imapHost: '',
  imapPort: '',
  imapTls: true,
  imapUser: '',
  imapPassword: '',
  imapFolder: 'INBOX',
  relayHost: '',
  relayPort: '',
  relayTls: false,
  relayUser: '',
  relayPassword: '',
  clearImapPassword: false,
  clearRelayPassword: false,
};

const formOf = (m: Mailbox): Form => ({
  ...BLANK,
  address: m.address,
  name: m.name,
  groupId: m.groupId,
  language: m.language,
  active: m.active,
  smtpReceive: m.smtpReceive,
  ackEnabled: m.ackEnabled,
  imapHost: m.imapHost ?? '',
  imapPort: m.imapPort ?? '',
  imapTls: m.imapTls,
  imapUser: m.imapUser ?? '',
  imapFolder: m.imapFolder,
  relayHost: m.relayHost ?? '',
  relayPort: m.relayPort ?? '',
  relayTls: m.relayTls,
  relayUser: m.relayUser ?? '',
});

const text = (v: string) => v.trim() || null;
const port = (v: number | string) => (v === '' || v === null ? null : Number(v));

/** The settings as the API takes them (without the write-only passwords). */
function settingsOf(f: Form): Record<string, unknown> {
  return {
    address: f.address.trim(),
    name: f.name.trim(),
    groupId: f.groupId || null,
    language: f.language,
    active: f.active,
    smtpReceive: f.smtpReceive,
    ackEnabled: f.ackEnabled,
    imapHost: text(f.imapHost),
    imapPort: port(f.imapPort),
    imapTls: f.imapTls,
    imapUser: text(f.imapUser),
    imapFolder: f.imapFolder.trim() || 'INBOX',
    relayHost: text(f.relayHost),
    relayPort: port(f.relayPort),
    relayTls: f.relayTls,
    relayUser: text(f.relayUser),
  };
}

/** A write-only password input: says when one is stored, and offers to remove it. */
function SecretInput(props: {
  label: string;
  stored: boolean;
  value: string;
  clear: boolean;
  error?: string;
  onChange: (v: string) => void;
  onClear: (v: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <PasswordInput
        visibilityToggleButtonProps={{ 'aria-label': t('common.togglePassword') }}
        label={props.label}
        description={props.stored ? t('mailbox.passwordStored') : undefined}
        autoComplete="new-password"
        value={props.value}
        disabled={props.clear}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        error={props.error}
        classNames={{ input: 'cd-ltr' }}
      />
      {props.stored && (
        <Checkbox size="xs" label={t('mailbox.removePassword')} checked={props.clear} onChange={(e) => props.onClear(e.currentTarget.checked)} />
      )}
    </Stack>
  );
}

function Section({ title, hint, children }: { title: string; hint: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Divider label={title} labelPosition="left" mt="xs" />
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
      {children}
    </Stack>
  );
}

function MailboxDialog({ mailbox, onClose }: { mailbox: Mailbox | null; onClose: () => void }) {
  const { t } = useTranslation();
  const l = useLabels();
  const groups = useGroups();
  const initial = mailbox ? formOf(mailbox) : BLANK;
  const { form, set, save, errors } = useAdminForm<Form, Mailbox>(initial, '/mailboxes', MAILBOXES_KEY, onClose);

  const submit = () => {
    const next = settingsOf(form);
    const body: Record<string, unknown> = mailbox ? changed(settingsOf(initial), next) : Object.fromEntries(Object.entries(next).filter(([, v]) => v !== null));
    if (form.clearImapPassword) body.imapPassword = null;
    else if (form.imapPassword) body.imapPassword = form.imapPassword;
    if (form.clearRelayPassword) body.relayPassword = null;
    else if (form.relayPassword) body.relayPassword = form.relayPassword;
    if (mailbox) save.mutate({ id: mailbox.id, body: { ...body, version: mailbox.version } });
    else save.mutate({ body });
  };

  const input = (name: 'address' | 'name' | 'imapHost' | 'imapUser' | 'imapFolder' | 'relayHost' | 'relayUser', label: string, opts: { required?: boolean; ltr?: boolean; placeholder?: string; description?: string; type?: string } = {}) => (
    <TextInput
      label={label}
      required={opts.required}
      type={opts.type}
      placeholder={opts.placeholder}
      description={opts.description}
      value={form[name]}
      onChange={(e) => set(name, e.currentTarget.value)}
      error={errors[name]}
      classNames={opts.ltr ? { input: 'cd-ltr' } : undefined}
    />
  );
  const portInput = (name: 'imapPort' | 'relayPort', placeholder: string) => (
    <NumberInput
      label={t('mailbox.port')}
      placeholder={placeholder}
      min={1}
      max={65535}
      allowDecimal={false}
      allowNegative={false}
      hideControls
      value={form[name]}
      onChange={(v) => set(name, v)}
      error={errors[name]}
      classNames={{ input: 'cd-ltr' }}
    />
  );

  return (
    <FormModal title={mailbox ? t('mailbox.edit') : t('mailbox.new')} onClose={onClose} onSubmit={submit} save={save} shown={SHOWN}>
      {input('address', t('mailbox.address'), { required: true, ltr: true, type: 'email', placeholder: 'support@example.com' })}
      {input('name', t('mailbox.name'), { required: true, description: t('mailbox.nameHint') })}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('mailbox.group')}
          description={t('mailbox.groupHint')}
          data={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
          value={form.groupId}
          onChange={(v) => set('groupId', v)}
          clearable
          searchable
          error={errors.groupId}
        />
        <Select
          label={t('mailbox.language')}
          description={t('mailbox.languageHint')}
          data={(['en', 'ar'] as const).map((x) => ({ value: x, label: l.language(x) }))}
          value={form.language}
          onChange={(v) => v && set('language', v as Language)}
          allowDeselect={false}
          error={errors.language}
        />
      </SimpleGrid>
      <Switch label={t('mailbox.active')} description={t('mailbox.activeHint')} checked={form.active} onChange={(e) => set('active', e.currentTarget.checked)} />
      <Switch label={t('mailbox.ackEnabled')} description={t('mailbox.ackEnabledHint')} checked={form.ackEnabled} onChange={(e) => set('ackEnabled', e.currentTarget.checked)} />

      <Section title={t('mailbox.incoming')} hint={t('mailbox.incomingHint')}>
        <Switch
          label={t('mailbox.smtpReceive')}
          description={t('mailbox.smtpReceiveHint')}
          checked={form.smtpReceive}
          onChange={(e) => set('smtpReceive', e.currentTarget.checked)}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {input('imapHost', t('mailbox.imapHost'), { ltr: true, placeholder: 'imap.example.com' })}
          {portInput('imapPort', form.imapTls ? '993' : '143')}
          {input('imapUser', t('mailbox.user'), { ltr: true })}
          <SecretInput
            label={t('mailbox.password')}
            stored={!!mailbox?.hasImapPassword}
            value={form.imapPassword}
            clear={form.clearImapPassword}
            error={errors.imapPassword}
            onChange={(v) => set('imapPassword', v)}
            onClear={(v) => set('clearImapPassword', v)}
          />
          {input('imapFolder', t('mailbox.imapFolder'), { ltr: true })}
        </SimpleGrid>
        <Switch label={t('mailbox.tls')} checked={form.imapTls} onChange={(e) => set('imapTls', e.currentTarget.checked)} />
        {mailbox?.imapLastError && (
          <Text size="sm" c="red" data-testid="imap-last-error">
            {t('mailbox.imapLastError', { error: mailbox.imapLastError })}
          </Text>
        )}
      </Section>

      <Section title={t('mailbox.outgoing')} hint={t('mailbox.outgoingHint')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {input('relayHost', t('mailbox.relayHost'), { ltr: true, placeholder: 'smtp.example.com' })}
          {portInput('relayPort', form.relayTls ? '465' : '587')}
          {input('relayUser', t('mailbox.user'), { ltr: true })}
          <SecretInput
            label={t('mailbox.password')}
            stored={!!mailbox?.hasRelayPassword}
            value={form.relayPassword}
            clear={form.clearRelayPassword}
            error={errors.relayPassword}
            onChange={(v) => set('relayPassword', v)}
            onClear={(v) => set('clearRelayPassword', v)}
          />
        </SimpleGrid>
        <Switch label={t('mailbox.relayTls')} checked={form.relayTls} onChange={(e) => set('relayTls', e.currentTarget.checked)} />
      </Section>
    </FormModal>
  );
}

/** A count that links to the email screen when it is not zero. */
function Count({ n, color, to }: { n: number; color: string; to?: string }) {
  if (!n) return <Text size="sm" c="dimmed">0</Text>;
  const badge = (
    <Badge color={color} variant="light" className="cd-badge-full">
      {n}
    </Badge>
  );
  return to ? (
    <Anchor component={Link} to={to} underline="never">
      {badge}
    </Anchor>
  ) : (
    badge
  );
}

function PollButton({ mailbox }: { mailbox: Mailbox }) {
  const { t } = useTranslation();
  const poll = useEmailAction<{ queued: boolean }>((id) => `/mailboxes/${id}/poll`, t('mailbox.pollQueued', { address: mailbox.address }));
  return (
    <Button
      size="compact-sm"
      variant="light"
      loading={poll.isPending}
      onClick={() => poll.mutate(mailbox.id)}
      aria-label={t('mailbox.pollNamed', { address: mailbox.address })}
    >
      {t('mailbox.poll')}
    </Button>
  );
}

export function MailboxesAdmin() {
  const { t } = useTranslation();
  const l = useLabels();
  const mailboxes = useMailboxes();

  return (
    <AdminList<Mailbox>
      newLabel={t('mailbox.new')}
      rows={mailboxes.data}
      error={mailboxes.error}
      testId="mailboxes-table"
      minWidth={1100}
      empty={t('mailbox.empty')}
      columns={[
        {
          key: 'address',
          header: t('mailbox.mailbox'),
          cell: (m) => (
            <Stack gap={0}>
              <Text size="sm" fw={500} className="cd-ltr">
                {m.address}
              </Text>
              <Text size="xs" c="dimmed">
                {m.name}
              </Text>
            </Stack>
          ),
        },
        { key: 'group', header: t('mailbox.group'), cell: (m) => m.group?.name ?? '—' },
        { key: 'language', header: t('mailbox.language'), cell: (m) => l.language(m.language) },
        {
          key: 'arrives',
          header: t('mailbox.arrives'),
          cell: (m) => (
            <Group gap={4}>
              {m.smtpReceive && (
                <Badge size="sm" variant="light" className="cd-badge-full">
                  {t('mailbox.viaSmtp')}
                </Badge>
              )}
              {m.imapHost && (
                <Tooltip label={m.imapLastError ?? m.imapHost} withArrow multiline maw={320}>
                  <Badge size="sm" variant="light" color={m.imapLastError ? 'red' : m.imapEnabled ? 'indigo' : 'gray'} className="cd-badge-full">
                    {t('mailbox.viaImap')}
                  </Badge>
                </Tooltip>
              )}
              {!m.smtpReceive && !m.imapHost && (
                <Text size="sm" c="orange">
                  {t('mailbox.noIncoming')}
                </Text>
              )}
            </Group>
          ),
        },
        {
          key: 'relay',
          header: t('mailbox.relay'),
          cell: (m) =>
            m.hasRelay ? (
              <Text size="sm" className="cd-ltr">
                {m.relayHost}
                {m.relayPort ? `:${m.relayPort}` : ''}
              </Text>
            ) : (
              <Badge size="sm" color="orange" variant="light" className="cd-badge-full">
                {t('mailbox.noRelay')}
              </Badge>
            ),
        },
        {
          key: 'lastReceived',
          header: t('mailbox.lastReceived'),
          cell: (m) =>
            m.lastReceivedAt ? (
              <Tooltip label={l.dateTime(m.lastReceivedAt)} withArrow>
                <Text size="sm" span>
                  {l.relative(m.lastReceivedAt)}
                </Text>
              </Tooltip>
            ) : (
              <Text size="sm" c="dimmed">
                {t('mailbox.never')}
              </Text>
            ),
        },
        {
          key: 'lag',
          header: t('mailbox.lag'),
          cell: (m) => (
            <Text size="sm" c={m.lagSeconds > 300 ? 'red' : m.lagSeconds > 0 ? undefined : 'dimmed'}>
              {m.lagSeconds > 0 ? l.duration(m.lagSeconds) : '—'}
            </Text>
          ),
        },
        { key: 'pending', header: t('mailbox.pending'), cell: (m) => <Count n={m.pending} color="blue" /> },
        { key: 'quarantined', header: t('mailbox.quarantined'), cell: (m) => <Count n={m.quarantined} color="red" to="/admin/email" /> },
        { key: 'outboxWaiting', header: t('mailbox.outboxWaiting'), cell: (m) => <Count n={m.outboxWaiting} color="yellow" to="/admin/email" /> },
        { key: 'outboxFailed', header: t('mailbox.outboxFailed'), cell: (m) => <Count n={m.outboxFailed} color="red" to="/admin/email" /> },
      ]}
      nameOf={(m) => m.address}
      isActive={(m) => m.active}
      rowActions={(m) => (m.imapEnabled ? <PollButton mailbox={m} /> : null)}
      renderDialog={(m, onClose) => <MailboxDialog mailbox={m} onClose={onClose} />}
    />
  );
}
