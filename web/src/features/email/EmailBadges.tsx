import { Badge, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const DELIVERY_COLORS: Record<string, string> = {
  queued: 'gray',
  sending: 'blue',
  sent: 'teal',
  no_relay: 'orange',
  failed: 'red',
  bounced: 'red',
};

/** Where an outgoing email is: queued, sending, sent, waiting for a relay, failed or bounced (with the error on hover). */
export function DeliveryBadge({ status, error }: { status: string; error?: string | null }) {
  const { t } = useTranslation();
  const badge = (
    <Badge
      size="xs"
      variant={status === 'sent' ? 'light' : 'filled'}
      color={DELIVERY_COLORS[status] ?? 'gray'}
      className="cd-badge-full"
      data-testid="delivery-status"
      data-status={status}
      tabIndex={error ? 0 : undefined}
    >
      {t(`email.delivery.${status}`, { defaultValue: status })}
    </Badge>
  );
  if (!error) return badge;
  return (
    <Tooltip label={<Text size="xs" className="cd-ltr">{error}</Text>} withArrow multiline maw={360} events={{ hover: true, focus: true, touch: true }}>
      {badge}
    </Tooltip>
  );
}

const INBOUND_COLORS: Record<string, string> = {
  quarantined: 'red',
  received: 'blue',
  processed: 'teal',
  duplicate: 'gray',
  ignored: 'gray',
};

export function InboundStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant="light" color={INBOUND_COLORS[status] ?? 'gray'} className="cd-badge-full" data-status={status}>
      {t(`email.inboundStatus.${status}`, { defaultValue: status })}
    </Badge>
  );
}
