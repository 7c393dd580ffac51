import { DirectionProvider, MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { isApiError, setUnauthorizedHandler } from '../../shared/api/client';
import i18n, { dirOf } from '../../shared/i18n';
import { ME_KEY } from '../../features/auth/session';
import { createAgentRouter } from './router';

const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'md',
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (count, e) => !(isApiError(e) && e.status >= 400 && e.status < 500) && count < 2,
    },
    mutations: { retry: false },
  },
});

const router = createAgentRouter();

setUnauthorizedHandler(() => {
  queryClient.setQueryData(ME_KEY, null);
  const here = window.location.pathname + window.location.search;
  if (!window.location.pathname.startsWith('/sign-in')) {
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
