import { useState } from 'react';
import { Button, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Category, CallScript } from '../../shared/api/types';
import { DataTable } from '../../shared/ui/DataTable';
import { ErrorState, fieldErrorsOf, notifySuccess } from '../../shared/ui/errors';
import { FormModal } from '../../shared/ui/FormModal';
import { useLabels } from '../../shared/ui/labels';
import { useCategories } from '../tickets/reference';
import { useCallScripts, useSaveScript } from './queries';

/** Checklist lines as the API takes them; a leading * marks an item the agent must confirm. */
function parseChecklist(text: string, previous: CallScript['checklist']) {
  const used = new Set<string>();
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, i) => {
      const required = line.startsWith('*');
      const label = line.replace(/^\*\s*/, '');
      // Keys stay stable across edits of other lines, so past answers keep their meaning.
      const kept = previous.find((p) => p.label === label)?.key;
      let key = kept ?? (label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || `item-${i + 1}`);
      while (used.has(key)) key = `${key}-${i + 1}`;
      used.add(key);
      return { key, label, required };
    });
}

function ScriptDialog({ category, script, onClose }: { category: Category; script: CallScript | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const l = useLabels();
  const [steps, setSteps] = useState((script?.steps ?? []).join('\n'));
  const [checklist, setChecklist] = useState((script?.checklist ?? []).map((c) => `${c.required ? '* ' : ''}${c.label}`).join('\n'));
  const save = useSaveScript(() => {
    notifySuccess(t('common.saved'));
    onClose();
  });
  const errors = fieldErrorsOf(save.error);
  const submit = () =>
    save.mutate({
      categoryId: category.id,
      body: { steps: steps.split('\n').map((s) => s.trim()).filter(Boolean), checklist: parseChecklist(checklist, script?.checklist ?? []) },
    });
  return (
    <FormModal title={`${t('phone.scriptEditor')} · ${l.name(category)}`} onClose={onClose} onSubmit={submit} save={save} shown={['steps', 'checklist']}>
      <Text size="sm" c="dimmed">
        {t('phone.scriptEditorHint')}
      </Text>
      <Textarea label={t('phone.scriptSteps')} autosize minRows={4} value={steps} onChange={(e) => setSteps(e.currentTarget.value)} error={errors.steps} data-testid="script-steps" />
      <Textarea label={t('phone.scriptChecklist')} autosize minRows={3} value={checklist} onChange={(e) => setChecklist(e.currentTarget.value)} error={errors.checklist} data-testid="script-checklist" />
    </FormModal>
  );
}

export function CallScriptsAdmin() {
  const { t } = useTranslation();
  const l = useLabels();
  const categories = useCategories();
  const scripts = useCallScripts();
  const [editing, setEditing] = useState<Category | null>(null);
  const scriptOf = (c: Category) => scripts.data?.find((s) => s.categoryId === c.id);
  return (
    <Stack>
      {!!(categories.error || scripts.error) && <ErrorState error={categories.error ?? scripts.error} />}
      <DataTable<Category>
        rows={categories.data ?? []}
        testId="call-scripts-table"
        minWidth={600}
        columns={[
          { key: 'name', header: t('phone.category'), cell: (c) => l.name(c) },
          { key: 'steps', header: t('phone.steps'), cell: (c) => scriptOf(c)?.steps.length ?? '—' },
          { key: 'checklist', header: t('phone.checklist'), cell: (c) => scriptOf(c)?.checklist.length ?? '—' },
          {
            key: 'edit',
            cell: (c) => (
              <Button size="compact-sm" variant="subtle" onClick={() => setEditing(c)} aria-label={t('phone.editScriptNamed', { name: l.name(c) })}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      {editing && <ScriptDialog category={editing} script={scriptOf(editing)} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
