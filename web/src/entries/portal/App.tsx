import { DirectionProvider, MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { isApiError } from '../../shared/api/client';
import i18n, { dirOf } from '../../shared/i18n';
import { setPortalUnauthorizedHandler } from '../../features/portal/api';
import { PORTAL_ME_KEY } from '../../features/portal/session';
import { createPortalRouter } from './router';

const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'md',
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (count, e) => !(isApiError(e) && e.status >= 400 && e.status < 500) && count < 2,
    },
    mutations: { retry: false },
  },
});

const router = createPortalRouter();

setPortalUnauthorizedHandler(() => {
  queryClient.setQueryData(PORTAL_ME_KEY, null);
  if (!window.location.pathname.startsWith('/portal/sign-in')) {
    const here = window.location.pathname.replace(/^\/portal/, '') || '/';
    void router.navigate(`/sign-in?next=${encodeURIComponent(here)}`, { replace: true });
  }
});

export function App() {
  return (
    <DirectionProvider initialDirection={dirOf(i18n.language)} detectDirection>
      <MantineProvider theme={theme} defaultColorScheme="light">
        <Notifications position="top-center" />
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}
