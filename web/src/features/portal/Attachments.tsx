import { useRef, useState } from 'react';
import { Badge, Button, CloseButton, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../shared/ui/errors';
import { useLabels } from '../../shared/ui/labels';
import { uploadFile, type Uploaded } from './api';

/** Files uploaded one by one as they are picked; the message then names them by id. */
export function AttachmentPicker({ files, onChange }: { files: Uploaded[]; onChange: (f: Uploaded[]) => void }) {
  const { t } = useTranslation();
  const l = useLabels();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pick = async (list: FileList | null) => {
    if (!list?.length) return;
    setBusy(true);
    setError(null);
    const added: Uploaded[] = [];
    try {
      for (const f of Array.from(list)) added.push(await uploadFile(f));
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
      onChange([...files, ...added]);
      if (input.current) input.current.value = '';
    }
  };
  return (
    <div>
      <input ref={input} type="file" multiple hidden onChange={(e) => void pick(e.currentTarget.files)} data-testid="portal-file-input" />
      <Group gap="xs">
        <Button variant="default" size="compact-sm" onClick={() => input.current?.click()} loading={busy}>
          {t('portal.attach')}
        </Button>
        {files.map((f) => (
          <Badge key={f.id} variant="light" rightSection={<CloseButton size="xs" aria-label={t('portal.removeFile', { name: f.filename })} onClick={() => onChange(files.filter((x) => x.id !== f.id))} />}>
            <span className="cd-ltr">{f.filename}</span> ({l.size(f.size)})
          </Badge>
        ))}
      </Group>
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
    </div>
  );
}
