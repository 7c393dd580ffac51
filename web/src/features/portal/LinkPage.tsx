import { useEffect, useRef } from 'react';
import { Alert, Anchor, Center, Loader, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorMessage } from '../../shared/ui/errors';
import { portalPost, type PortalMe } from './api';
import { PORTAL_ME_KEY } from './session';

/** Where emailed links land: the token is in the address's fragment, so only this page ever sees it. */
export default function PortalLinkPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const started = useRef(false);
  const consume = useMutation({
    mutationFn: (token: string) => portalPost<{ me: PortalMe }>('/auth/consume', { token }),
    onSuccess: ({ me }) => {
      qc.setQueryData(PORTAL_ME_KEY, me);
      navigate('/', { replace: true });
    },
  });
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
    // The token leaves the address bar (and the history) at once.
    window.history.replaceState(null, '', window.location.pathname);
    consume.mutate(token);
  }, [consume]);
  if (consume.error)
    return (
      <Stack mt="md">
        <Alert color="red" role="alert" data-testid="portal-error">
          {errorMessage(consume.error, t)}
        </Alert>
        <Anchor component={Link} to="/sign-in">
          {t('portal.signIn.backToSignIn')}
        </Anchor>
      </Stack>
    );
  return (
    <Center py="xl">
      <Loader aria-label={t('portal.loading')} />
    </Center>
  );
}
