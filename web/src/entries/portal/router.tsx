import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { Center, Loader } from '@mantine/core';
import { RouteError } from '../../shared/ui/RouteError';
import { PortalLayout, RequireCustomer } from '../../features/portal/PortalLayout';

const SignInPage = lazy(() => import('../../features/portal/SignInPage'));
const LinkPage = lazy(() => import('../../features/portal/LinkPage'));
const TicketsPage = lazy(() => import('../../features/portal/TicketsPage'));
const NewTicketPage = lazy(() => import('../../features/portal/NewTicketPage'));
const TicketPage = lazy(() => import('../../features/portal/TicketPage'));

function Page({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <Center py="xl">
          <Loader />
        </Center>
      }
    >
      {children}
    </Suspense>
  );
}

/** The customer portal, served by the server at /portal. */
export function createPortalRouter() {
  return createBrowserRouter(
    [
      {
        element: <PortalLayout />,
        errorElement: <RouteError />,
        children: [
          { path: 'sign-in', element: <Page><SignInPage /></Page> },
          { path: 'link', element: <Page><LinkPage /></Page> },
          {
            element: <RequireCustomer />,
            children: [
              { index: true, element: <Page><TicketsPage /></Page> },
              { path: 'new', element: <Page><NewTicketPage /></Page> },
              { path: 'tickets/:number', element: <Page><TicketPage /></Page> },
            ],
          },
          { path: '*', element: <Navigate to="/" replace /> },
        ],
      },
    ],
    { basename: '/portal' },
  );
}
