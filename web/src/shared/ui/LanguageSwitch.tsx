import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AppLanguage } from '../i18n';

/** A button that offers the other language, written in that language. */
export function LanguageSwitch({
  onChange,
  loading,
}: {
  onChange: (lng: AppLanguage) => void;
  loading?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const next: AppLanguage = i18n.language === 'ar' ? 'en' : 'ar';
  return (
    <Button
      variant="subtle"
      size="compact-sm"
      onClick={() => onChange(next)}
      loading={loading}
      lang={next}
      aria-label={t('header.switchLanguage', { language: next === 'ar' ? 'العربية' : 'English' })}
      data-testid="language-switch"
    >
      {next === 'ar' ? 'العربية' : 'English'}
    </Button>
  );
}
