import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Center, Loader } from '@mantine/core';
import { useMe } from './session';
import { ErrorState } from '../../shared/ui/errors';
import i18n, { setLanguage, storeLanguage } from '../../shared/i18n';

/** Renders its children for a signed-in user, else sends them to sign in. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data: me, isPending, error } = useMe();
  const location = useLocation();

  // The interface speaks the signed-in user's language.
  useEffect(() => {
    if (!me) return;
    storeLanguage(me.language);
    if (me.language !== i18n.language) void setLanguage(me.language);
  }, [me]);

  if (isPending)
    return (
      <Center h="100vh">
        <Loader aria-label={i18n.t('common.loading')} />
      </Center>
    );
  if (error)
    return (
      <Center h="100vh" p="md">
        <ErrorState error={error} />
      </Center>
    );
  if (!me) {
    const next = location.pathname + location.search;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}
