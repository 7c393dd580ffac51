import { useState } from 'react';
import { Button, CloseButton, FileButton, Group, Loader, Paper, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api/client';
import type { Attachment, Message, MessageKind } from '../../shared/api/types';
import { errorMessage, notifyError } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { AttachmentIcon } from '../../shared/ui/AttachmentIcon';

interface Upload {
  key: string;
  name: string;
  attachment?: Attachment;
  error?: string;
}

function uploadFile(file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  return api<Attachment>('/attachments', { method: 'POST', body: form });
}

export function Composer({ ticketId, disabled }: { ticketId: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const l = useLabels();
  const qc = useQueryClient();
  const [kind, setKind] = useState<Exclude<MessageKind, 'customer'>>('reply');
  const [text, setText] = useState('');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [error, setError] = useState<string | null>(null);

  const uploading = uploads.some((u) => !u.attachment && !u.error);

  const addFiles = (files: File[]) => {
    for (const file of files) {
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      setUploads((u) => [...u, { key, name: file.name }]);
      uploadFile(file).then(
        (attachment) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, attachment } : x))),
        (e: unknown) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, error: errorMessage(e, t) } : x))),
      );
    }
  };

  const send = useMutation({
    mutationFn: () =>
      api<Message>(`/tickets/${ticketId}/messages`, {
        method: 'POST',
        body: {
          kind,
          bodyText: text,
          attachmentIds: uploads.flatMap((u) => (u.attachment ? [u.attachment.id] : [])),
        },
      }),
    onSuccess: () => {
      setText('');
      setUploads([]);
      setError(null);
      void qc.invalidateQueries({ queryKey: ['ticket'] });
      void qc.invalidateQueries({ queryKey: ['tickets'] });
    },
    onError: (e) => {
      setError(errorMessage(e, t));
      notifyError(e, t);
    },
  });

  const isNote = kind === 'note';
  const canSend = text.trim().length > 0 && !uploading && !send.isPending && !disabled;

  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      data-testid="composer"
      style={isNote ? { background: 'var(--mantine-color-yellow-0)', borderColor: 'var(--mantine-color-yellow-5)' } : undefined}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (canSend) send.mutate();
        }}
      >
        <Tabs value={kind} onChange={(v) => setKind(v === 'note' ? 'note' : 'reply')} mb="sm">
          <Tabs.List>
            <Tabs.Tab value="reply">{t('composer.reply')}</Tabs.Tab>
            <Tabs.Tab value="note" color="yellow">
              {t('composer.note')}
            </Tabs.Tab>
          </Tabs.List>
        </Tabs>
        <Stack gap="xs">
          <Textarea
            label={isNote ? t('composer.noteLabel') : t('composer.replyLabel')}
            description={isNote ? t('composer.noteHint') : t('composer.replyHint')}
            autosize
            minRows={4}
            maxRows={14}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={error ?? undefined}
            disabled={disabled}
          />
          {uploads.length > 0 && (
            <Stack gap={4}>
              {uploads.map((u) => (
                <Group key={u.key} gap="xs" wrap="nowrap">
                  {!u.attachment && !u.error && <Loader size="xs" />}
                  <Text size="sm" c={u.error ? 'red' : undefined} style={{ overflowWrap: 'anywhere' }}>
                    <AttachmentIcon /> <bdi>{u.name}</bdi>
                    {u.attachment && ` (${l.size(u.attachment.size)})`}
                    {u.error && ` — ${u.error}`}
                  </Text>
                  <CloseButton
                    size="sm"
                    aria-label={t('composer.removeAttachment', { name: u.name })}
                    onClick={() => setUploads((list) => list.filter((x) => x.key !== u.key))}
                  />
                </Group>
              ))}
            </Stack>
          )}
          <Group justify="space-between">
            <FileButton onChange={addFiles} multiple disabled={disabled}>
              {(props) => (
                <Button variant="default" size="sm" {...props}>
                  {t('composer.attach')}
                </Button>
              )}
            </FileButton>
            <Button type="submit" color={isNote ? "yellow" : undefined} autoContrast loading={send.isPending} disabled={!canSend}>
              {isNote ? t('composer.addNote') : t('composer.sendReply')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
