import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { reportError, startErrorTracking } from './lib/errorTracking';
import './styles/index.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// Not awaited: the app does not wait for the error tracker (loaded only where one is configured).
void startErrorTracking();

// An error no error boundary caught unmounts the whole app: report it (the router's error page
// reports those of a page).
createRoot(root, { onUncaughtError: (error) => reportError(error) }).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
