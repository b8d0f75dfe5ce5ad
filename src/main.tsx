// Entry: mounts the app and registers the service worker.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '@/app/app';
import { createServices } from '@/state/services';
import { registerServiceWorker } from '@/app/pwa';
import { useLocale } from '@/i18n';
import './app/styles.css';

document.documentElement.lang = useLocale.getState().locale;
const services = createServices();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App services={services} />
  </StrictMode>,
);
registerServiceWorker();
