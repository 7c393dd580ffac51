import { Alert } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { isApiError, type ApiError } from '../api/client';

/** A readable sentence for any error the API client throws. */
export function errorMessage(e: unknown, t: TFunction): string {
  if (isApiError(e)) {
    if (e.status === 0) return t('errors.network');
    if (e.status === 429) return t('errors.tooManyRequests');
    if (e.code === 'version_conflict') return t('errors.versionConflict');
    if (e.status >= 500) return t('errors.server');
    if (e.detail) return e.detail;
    if (e.status === 404) return t('errors.notFound');
    if (e.status === 403) return t('errors.forbidden');
    return t('errors.generic');
  }
  return t('errors.generic');
}

export function notifyError(e: unknown, t: TFunction): void {
  notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(e, t) });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message });
}

/** Field path -> message, for showing server validation under inputs. */
export type FieldErrors = Record<string, string>;

export function fieldErrorsOf(e: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (isApiError(e)) for (const fe of e.errors) if (fe.field && !out[fe.field]) out[fe.field] = fe.message;
  return out;
}

/**
 * Errors that no input on the form will show: the problem detail, plus any
 * field error whose path is not in `shown`.
 */
export function unshownErrors(e: unknown, shown: string[], t: TFunction): string[] {
  if (!e) return [];
  if (!isApiError(e)) return [errorMessage(e, t)];
  const rest = e.errors.filter((fe) => !shown.includes(fe.field)).map((fe) => fe.message);
  if (e.errors.length === 0) return [errorMessage(e, t)];
  return rest.length ? rest : [];
}

export function FormErrorAlert({ error, shown }: { error: unknown; shown: string[] }) {
  const { t } = useTranslation();
  const messages = unshownErrors(error, shown, t);
  if (!messages.length) {
    if (isApiError(error) && error.errors.length) {
      return (
        <Alert color="red" role="alert" data-testid="form-error">
          {t('errors.checkFields')}
        </Alert>
      );
    }
    return null;
  }
  return (
    <Alert color="red" role="alert" data-testid="form-error" title={t('errors.title')}>
      {messages.map((m, i) => (
        <div key={i}>{m}</div>
      ))}
    </Alert>
  );
}

export function ErrorState({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" role="alert">
      {errorMessage(error, t)}
    </Alert>
  );
}

export type { ApiError };
