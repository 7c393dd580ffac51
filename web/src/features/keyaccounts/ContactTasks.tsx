import { useState } from 'react';
import { Anchor, Badge, Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ContactTaskT } from '@caredesk/contracts';
import { post } from '../../shared/api/client';
import { notifyError } from '../../shared/ui/errors';
import { formatDay } from '../../shared/ui/labels';

function TaskCard({ task, showOfficer }: { task: ContactTaskT; showOfficer?: boolean }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState('');
  const done = useMutation({
    mutationFn: () => post<ContactTaskT>(`/contact-tasks/${task.id}/complete`, { outcome }),
    onSuccess: () => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: ['contact-tasks'] });
      void qc.invalidateQueries({ queryKey: ['account', task.accountId] });
    },
    onError: (e) => notifyError(e, t),
  });
  return (
    <Paper withBorder p="sm" radius="md" data-testid="contact-task">
      <Group justify="space-between" wrap="wrap">
        <Stack gap={2}>
          <Text fw={600}>
            {t(`care.kind.${task.kind}`)} ·{' '}
            <Anchor component={Link} to={`/accounts/${task.accountId}`}>
              {task.accountName}
            </Anchor>
          </Text>
          <Text size="sm" c="dimmed">
            {t('care.due', { date: formatDay(task.dueOn, i18n.language) })}
            {showOfficer && task.officer ? ` · ${task.officer.name}` : ''}
          </Text>
        </Stack>
        <Group gap="xs">
          {task.status === 'done' && <Badge color="green">{t('care.done')}</Badge>}
          {task.overdue && <Badge color="red">{t('care.overdue')}</Badge>}
          {task.dueToday && <Badge color="orange">{t('care.dueToday')}</Badge>}
          {task.status === 'open' && !showOfficer && (
            <Button size="xs" variant="light" onClick={() => setOpen((o) => !o)}>
              {t('care.logOutcome')}
            </Button>
          )}
        </Group>
      </Group>
      {task.outcome && (
        <Text size="sm" mt={4}>
          {task.outcome}
        </Text>
      )}
      {open && (
        <Stack mt="sm" gap="xs">
          <Textarea label={t('care.outcome')} value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)} autosize minRows={2} data-testid="task-outcome" />
          <Group>
            <Button size="xs" onClick={() => done.mutate()} loading={done.isPending} disabled={!outcome.trim()}>
              {t('care.markDone')}
            </Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}

export function ContactTaskList({ tasks, showOfficer }: { tasks: ContactTaskT[]; showOfficer?: boolean }) {
  const { t } = useTranslation();
  if (!tasks.length) return <Text c="dimmed">{t('care.noTasks')}</Text>;
  return (
    <Stack gap="xs">
      {tasks.map((task) => (
        <TaskCard key={task.id} task={task} showOfficer={showOfficer} />
      ))}
    </Stack>
  );
}
