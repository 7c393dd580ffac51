import { useId, useState } from 'react';
import { Badge, Box, Button, Collapse, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MessageEmail } from '../../shared/api/types';
import { DeliveryBadge } from './EmailBadges';

/** An envelope, for messages that came or went by email. */
export function EmailIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true" style={{ verticalAlign: '-1px' }}>
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <path d="m3 7 9 6 9-6" />
    </svg>
  );
}

const PASSING = new Set(['pass', 'none', 'neutral']);

/** Why an incoming message is flagged: its authentication results, or that it claims to be one of our agents. */
function unverifiedReason(email: MessageEmail, t: (k: string, o?: Record<string, unknown>) => string): string {
  const a = email.authResults;
  const checks = a
    ? (['spf', 'dkim', 'dmarc'] as const).filter((k) => a[k] && !PASSING.has(a[k]!.toLowerCase())).map((k) => `${k.toUpperCase()}: ${a[k]}`)
    : [];
  return checks.length ? t('email.unverifiedAuth', { results: checks.join(' · ') }) : t('email.unverifiedAgent');
}

/** Badges for the email side of a message: delivery of outgoing mail, an unverified sender for incoming mail. */
export function EmailBadges({ email }: { email: MessageEmail }) {
  const { t } = useTranslation();
  if (email.direction === 'out') return <DeliveryBadge status={email.status} error={email.status === 'failed' || email.status === 'bounced' ? email.lastError : null} />;
  if (!email.senderUnverified) return null;
  return (
    <Tooltip label={unverifiedReason(email, t)} withArrow multiline maw={360} events={{ hover: true, focus: true, touch: true }}>
      <Badge size="xs" color="orange" variant="filled" className="cd-badge-full" data-testid="sender-unverified" tabIndex={0}>
        ⚠ {t('email.unverified')}
      </Badge>
    </Tooltip>
  );
}

const addresses = (list: string[]) => list.join(', ');

/** From, to, cc and subject on one compact line (wrapping on narrow screens). */
export function EmailHeader({ email }: { email: MessageEmail }) {
  const { t } = useTranslation();
  const from = email.fromName ? `${email.fromName} <${email.from}>` : email.from;
  const part = (label: string, value: string) => (
    <Text span size="xs" c="dimmed" me="sm" style={{ display: 'inline-block' }}>
      {label}{' '}
      <Text span size="xs" c="dark.4" className="cd-ltr" style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </Text>
  );
  return (
    <Box mb={6} data-testid="email-header" style={{ lineHeight: 1.5 }}>
      {part(t('email.headerFrom'), from)}
      {email.to.length > 0 && part(t('email.headerTo'), addresses(email.to))}
      {email.cc.length > 0 && part(t('email.headerCc'), addresses(email.cc))}
      <Text span size="xs" c="dimmed" style={{ display: 'inline-block' }}>
        {t('email.headerSubject')}{' '}
        <Text span size="xs" c="dark.4" fw={500}>
          <bdi>{email.subject}</bdi>
        </Text>
      </Text>
    </Box>
  );
}

/** The quoted history of an email (what the customer's mail program repeated), collapsed until asked for. */
export function QuotedHistory({ email }: { email: MessageEmail }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!email.quotedHtml && !email.quotedText) return null;
  return (
    <Box mt="xs">
      <Button
        variant="subtle"
        size="compact-xs"
        color="gray"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-controls={id}
        data-testid="quoted-toggle"
      >
        {open ? t('email.hideQuoted') : t('email.showQuoted')}
      </Button>
      <Collapse expanded={open} id={id}>
        {email.quotedHtml ? (
          // Sanitised by the server like the message body.
          <div className="cd-message-body cd-quoted" data-testid="quoted-text" dangerouslySetInnerHTML={{ __html: email.quotedHtml }} />
        ) : (
          <Text className="cd-message-body cd-quoted" size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="quoted-text">
            {email.quotedText}
          </Text>
        )}
      </Collapse>
    </Box>
  );
}
