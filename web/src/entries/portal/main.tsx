import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '../../shared/ui/global.css';
import '../../shared/i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Installable as an app; the worker keeps the shell for offline starts and never caches the API.
if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => {
    void navigator.serviceWorker.register('/portal/sw.js', { scope: '/portal/' }).catch(() => {});
  });
}
