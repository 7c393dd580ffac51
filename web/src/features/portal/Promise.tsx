import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../../shared/ui/labels';
import type { PortalTicketSummary } from './api';

/** What we promised: the first answer's due time until it comes, then the target to solve it. */
export function PromiseLine({ ticket }: { ticket: PortalTicketSummary }) {
  const { t } = useTranslation();
  const l = useLabels();
  const p = ticket.promise;
  if (ticket.status === 'solved' || ticket.status === 'closed') return null;
  let text: string | null = null;
  if (!p.respondedAt && p.firstResponseDueAt) text = t('portal.promise.firstResponse', { when: l.dateTime(p.firstResponseDueAt), relative: l.relative(p.firstResponseDueAt) });
  else if (p.resolutionDueAt) text = t('portal.promise.resolution', { when: l.dateTime(p.resolutionDueAt), relative: l.relative(p.resolutionDueAt) });
  if (!text) return null;
  return (
    <Text size="sm" c="indigo.8" data-testid="portal-promise">
      {text}
    </Text>
  );
}
