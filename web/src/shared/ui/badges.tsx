import { Badge } from '@mantine/core';
import type { Priority, TicketStatus } from '../api/types';
import { useLabels } from './labels';

const STATUS_COLORS: Record<TicketStatus, string> = {
  new: 'yellow',
  open: 'red',
  pending: 'blue',
  'on-hold': 'gray',
  solved: 'teal',
  closed: 'dark',
};

const PRIORITY_COLORS: Record<Priority, string> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

export function StatusBadge({ status }: { status: TicketStatus }) {
  const l = useLabels();
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="filled" data-status={status} className="cd-badge-full">
      {l.status(status)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  const l = useLabels();
  return (
    <Badge color={PRIORITY_COLORS[priority] ?? 'gray'} variant="light" className="cd-badge-full">
      {l.priority(priority)}
    </Badge>
  );
}
