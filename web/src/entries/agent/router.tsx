import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { Center, Loader } from '@mantine/core';
import { RequireAuth } from '../../features/auth/RequireAuth';
import { AppLayout } from '../../shared/ui/AppLayout';
import { RouteError } from '../../shared/ui/RouteError';

const SignInPage = lazy(() => import('../../features/auth/SignInPage'));
const QueuePage = lazy(() => import('../../features/tickets/QueuePage'));
const TicketPage = lazy(() => import('../../features/tickets/TicketPage'));
const NewTicketPage = lazy(() => import('../../features/tickets/NewTicketPage'));
const SearchPage = lazy(() => import('../../features/search/SearchPage'));
const ContactsPage = lazy(() => import('../../features/customers/ContactsPage'));
const ContactPage = lazy(() => import('../../features/customers/ContactPage'));
const AccountsPage = lazy(() => import('../../features/customers/AccountsPage'));
const AccountPage = lazy(() => import('../../features/customers/AccountPage'));
const AdminPage = lazy(() => import('../../features/admin/AdminPage'));
const KeyAccountsPage = lazy(() => import('../../features/keyaccounts/KeyAccountsPage'));
const RevenueImportPage = lazy(() => import('../../features/keyaccounts/RevenueImportPage'));
const ChatConsolePage = lazy(() => import('../../features/chat/ChatConsolePage'));
const ReportsDashboardPage = lazy(() => import('../../features/reports/DashboardPage'));
const ReportsPage = lazy(() => import('../../features/reports/ReportsPage'));
const ReportArchivePage = lazy(() => import('../../features/reports/archive/ArchivePage'));
const ArchivedReportPage = lazy(() => import('../../features/reports/archive/ArchivedReportPage'));

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

export function createAgentRouter() {
  return createBrowserRouter([
    {
      path: '/sign-in',
      element: (
        <Page>
          <SignInPage />
        </Page>
      ),
      errorElement: <RouteError />,
    },
    {
      element: (
        <RequireAuth>
          <AppLayout />
        </RequireAuth>
      ),
      errorElement: <RouteError />,
      children: [
        { index: true, element: <Navigate to="/queues/mine" replace /> },
        { path: 'queues/:queue', element: <Page><QueuePage /></Page> },
        { path: 'tickets', element: <Navigate to="/queues/mine" replace /> },
        { path: 'tickets/new', element: <Page><NewTicketPage /></Page> },
        { path: 'tickets/:number', element: <Page><TicketPage /></Page> },
        { path: 'search', element: <Page><SearchPage /></Page> },
        { path: 'chat', element: <Page><ChatConsolePage /></Page> },
        { path: 'contacts', element: <Page><ContactsPage /></Page> },
        { path: 'contacts/:id', element: <Page><ContactPage /></Page> },
        { path: 'accounts', element: <Page><AccountsPage /></Page> },
        { path: 'accounts/:id', element: <Page><AccountPage /></Page> },
        { path: 'key-accounts', element: <Page><KeyAccountsPage /></Page> },
        { path: 'key-accounts/revenue', element: <Page><RevenueImportPage /></Page> },
        { path: 'reports', element: <Page><ReportsDashboardPage /></Page> },
        { path: 'reports/archive', element: <Page><ReportArchivePage /></Page> },
        { path: 'reports/archive/:id', element: <Page><ArchivedReportPage /></Page> },
        { path: 'reports/:metric', element: <Page><ReportsPage /></Page> },
        { path: 'admin', element: <Navigate to="/admin/users" replace /> },
        { path: 'admin/:section', element: <Page><AdminPage /></Page> },
        { path: '*', element: <Navigate to="/queues/mine" replace /> },
      ],
    },
  ]);
}
