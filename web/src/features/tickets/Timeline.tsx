import { Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AuditChange, AuditEvent, Category, Group as TGroup, Message, ReasonCode, TimelineItem, User } from '../../shared/api/types';
import { useLabels, type Labels } from '../../shared/ui/labels';
import { EmailBadges, EmailHeader, EmailIcon, QuotedHistory } from '../email/MessageEmail';
import { MessageCallDetails, MessageSocialBadge } from '../phone/MessageCallDetails';
import { AttachmentIcon } from '../../shared/ui/AttachmentIcon';

export interface Lookups {
  users: User[];
  groups: TGroup[];
  categories: Category[];
  reasonCodes: ReasonCode[];
}

const KIND_STYLE: Record<Message['kind'], { bg: string; border: string; badge: string }> = {
  reply: { bg: 'var(--mantine-color-body)', border: 'var(--mantine-color-indigo-3)', badge: 'indigo' },
  note: { bg: 'var(--mantine-color-yellow-0)', border: 'var(--mantine-color-yellow-5)', badge: 'yellow' },
  customer: { bg: 'var(--mantine-color-gray-0)', border: 'var(--mantine-color-gray-4)', badge: 'gray' },
};

function MessageCard({ message }: { message: Message }) {
  const { t } = useTranslation();
  const l = useLabels();
  const style = KIND_STYLE[message.kind] ?? KIND_STYLE.customer;
  const email = message.email ?? null;
  // A reply written here goes out by email when the ticket is an email conversation.
  const channel = email ? 'email' : message.channel;
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      data-testid={`message-${message.kind}`}
      data-kind={message.kind}
      data-channel={channel}
      style={{ background: style.bg, borderColor: style.border, borderInlineStartWidth: 4 }}
    >
      <Group justify="space-between" gap="xs" mb={6} wrap="wrap">
        <Group gap="xs">
          <Text fw={600} size="sm">
            {message.author?.name ?? '—'}
          </Text>
          <Badge size="xs" color={style.badge} variant={message.kind === 'note' ? 'filled' : 'light'}>
            {t(`message.kind.${message.kind}`)}
          </Badge>
          {/* A note made through a channel (a call the agent placed) still shows how it happened. */}
          {(message.kind !== 'note' || (channel && channel !== 'web')) && channel && (
            <Text size="xs" c="dimmed" data-testid="message-channel">
              {channel === 'email' && <EmailIcon />} {l.channel(channel)}
            </Text>
          )}
          {email && <EmailBadges email={email} />}
          {message.social && <MessageSocialBadge social={message.social} />}
        </Group>
        <Text size="xs" c="dimmed">
          {l.dateTime(message.createdAt)}
        </Text>
      </Group>
      {email && <EmailHeader email={email} />}
      {message.call && <MessageCallDetails call={message.call} />}
      {message.bodyHtml ? (
        // bodyHtml is sanitised by the server before it is stored.
        <div className="cd-message-body" dangerouslySetInnerHTML={{ __html: message.bodyHtml }} />
      ) : (
        <Text className="cd-message-body" style={{ whiteSpace: 'pre-wrap' }}>
          {message.bodyText}
        </Text>
      )}
      {email && <QuotedHistory email={email} />}
      {message.attachments?.length > 0 && (
        <Stack gap={2} mt="xs">
          {message.attachments.map((a) =>
            a.scan?.status === 'infected' ? (
              // The server refuses the download; say why instead of offering a link that fails.
              <Group key={a.id} gap="xs" data-testid="attachment-infected">
                <Text span size="sm" td="line-through" c="dimmed">
                  <AttachmentIcon /> <bdi>{a.filename}</bdi>
                </Text>
                <Badge color="red" variant="light" size="sm">
                  {t('ticket.attachmentInfected', { signature: a.scan.signature ?? '' })}
                </Badge>
              </Group>
            ) : (
              <Anchor key={a.id} href={a.url || `/api/v1/attachments/${a.id}/download`} download={a.filename} size="sm">
                <AttachmentIcon /> <bdi>{a.filename}</bdi> <Text span size="xs" c="dimmed">({l.size(a.size)})</Text>
              </Anchor>
            ),
          )}
        </Stack>
      )}
    </Paper>
  );
}

const FIELD_KEYS: Record<string, string> = {
  status: 'ticket.status',
  priority: 'ticket.priority',
  groupId: 'ticket.group',
  group: 'ticket.group',
  assigneeId: 'ticket.assignee',
  assignee: 'ticket.assignee',
  categoryId: 'ticket.category',
  category: 'ticket.category',
  subject: 'ticket.subject',
  description: 'ticket.description',
  tags: 'ticket.tags',
  reasonCodeId: 'ticket.reasonCode',
  reasonCode: 'ticket.reasonCode',
  resolution: 'ticket.resolution',
  requesterId: 'ticket.requester',
  requester: 'ticket.requester',
  shipment: 'shipment.title',
  onBehalf: 'ticket.onBehalf',
  channel: 'ticket.channel',
  'resolution.rootCause': 'resolution.rootCause',
  'resolution.solution': 'resolution.solution',
  'resolution.actionTaken': 'resolution.actionTaken',
};

function fieldLabel(field: string, t: TFunction): string {
  const key = FIELD_KEYS[field] ?? (field.startsWith('shipment.') ? field : undefined);
  return key ? t(key, { defaultValue: field }) : field;
}

function valueLabel(field: string, v: unknown, l: Labels, look: Lookups, t: TFunction): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map((x) => valueLabel(field, x, l, look, t)).join(', ') : '—';
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.nameEn === 'string' && typeof o.nameAr === 'string') return l.name(o as { nameEn: string; nameAr: string });
    if (typeof o.name === 'string') return o.name;
    if (typeof o.code === 'string') return o.code;
    return Object.values(o)
      .filter((x) => typeof x === 'string' && x)
      .join(', ');
  }
  const s = String(v);
  switch (field) {
    case 'status':
      return l.status(s);
    case 'channel':
      return l.channel(s);
    case 'priority':
      return l.priority(s);
    case 'groupId':
    case 'group':
      return look.groups.find((g) => g.id === s)?.name ?? s;
    case 'assigneeId':
    case 'assignee':
      return look.users.find((u) => u.id === s)?.name ?? s;
    case 'categoryId':
    case 'category': {
      const c = look.categories.find((x) => x.id === s || x.key === s);
      return c ? l.name(c) : s;
    }
    case 'reasonCodeId':
    case 'reasonCode': {
      const r = look.reasonCodes.find((x) => x.id === s || x.code === s);
      return r ? l.name(r) : s;
    }
    default:
      return s;
  }
}

/** Unicode first-strong isolate, so Latin and Arabic names do not reorder the line around them. */
const iso = (s: string) => `\u2068${s}\u2069`;

function EventLine({ event, look }: { event: AuditEvent; look: Lookups }) {
  const { t } = useTranslation();
  const l = useLabels();
  const by = event.actor?.name ? t('timeline.by', { name: iso(event.actor.name) }) : '';
  const changes: AuditChange[] = Array.isArray(event.changes) ? event.changes : [];
  const lines = changes.length
    ? changes.map((c) =>
        (c.after && typeof c.after === 'object' && !Array.isArray(c.after)) ||
        (c.before && typeof c.before === 'object' && !Array.isArray(c.before))
          ? t('timeline.fieldUpdated', { field: fieldLabel(c.field, t) })
          : t('timeline.change', {
              field: fieldLabel(c.field, t),
              before: iso(valueLabel(c.field, c.before, l, look, t)),
              after: iso(valueLabel(c.field, c.after, l, look, t)),
            }),
      )
    : [t(`event.${event.action.replace(/\./g, '_')}`, { defaultValue: event.action })];
  return (
    <Stack gap={0} px="sm" data-testid="timeline-event" data-action={event.action}>
      {lines.map((line, i) => (
        <Text key={i} size="xs" c="dimmed">
          <Text span size="xs" c="dark.3" fw={500}>
            {line}
          </Text>
          {by && ` ${by}`}
          {' · '}
          <bdi>{l.dateTime(event.createdAt)}</bdi>
        </Text>
      ))}
    </Stack>
  );
}

export function Timeline({ items, look }: { items: TimelineItem[]; look: Lookups }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="timeline">
      {items.length === 0 && (
        <Text c="dimmed" size="sm">
          {t('timeline.empty')}
        </Text>
      )}
      {items.map((it, i) =>
        it.type === 'message' ? (
          <MessageCard key={`m-${it.message.id}`} message={it.message} />
        ) : (
          <EventLine key={`e-${it.event?.id ?? i}`} event={it.event} look={look} />
        ),
      )}
    </Stack>
  );
}
