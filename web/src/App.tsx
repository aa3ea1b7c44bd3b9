import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, type Me, type SetupStatus, setCsrfToken, setUnauthorizedHandler } from './api';
import { LiveStatus, Loading, ProblemMessage } from './components';
import { startLiveUpdates } from './live';
import { AlertDetailPage } from './pages/AlertDetail';
import { AlertsPage } from './pages/Alerts';
import { ApiKeysPage } from './pages/ApiKeys';
import { AuditPage } from './pages/Audit';
import { EscalationPoliciesPage } from './pages/EscalationPolicies';
import { EventRulesPage } from './pages/EventRules';
import { HeartbeatsPage } from './pages/Heartbeats';
import { IncidentDetailPage } from './pages/IncidentDetail';
import { IncidentsPage } from './pages/Incidents';
import { InhibitionRulesPage } from './pages/InhibitionRules';
import { IntegrationDetailPage } from './pages/IntegrationDetail';
import { IntegrationsPage } from './pages/Integrations';
import { MaintenanceWindowsPage } from './pages/MaintenanceWindows';
import { PagingHealthBanner, PagingHealthPage } from './pages/PagingHealth';
import { ProfilePage } from './pages/Profile';
import { RoutingPage } from './pages/Routing';
import { ScheduleDetailPage } from './pages/ScheduleDetail';
import { SchedulesPage } from './pages/Schedules';
import { SetPasswordPage } from './pages/SetPassword';
import { SetupPage } from './pages/Setup';
import { SignInPage } from './pages/SignIn';
import { SilencesPage } from './pages/Silences';
import { TeamDetailPage } from './pages/TeamDetail';
import { TeamsPage } from './pages/Teams';
import { UsersPage } from './pages/Users';
import { Link, navigate, useLocation } from './router';

interface NavItem {
  href: string;
  label: string;
  admin: boolean;
  /** Pages reached from this one that keep it marked as current. */
  also?: string[];
}

const NAV: NavItem[] = [
  { href: '/alerts', label: 'Alerts', admin: false },
  { href: '/incidents', label: 'Incidents', admin: false },
  { href: '/schedules', label: 'Schedules', admin: false },
  { href: '/escalation-policies', label: 'Escalation', admin: false },
  { href: '/heartbeats', label: 'Heartbeats', admin: false },
  { href: '/integrations', label: 'Integrations', admin: true },
  { href: '/teams', label: 'Teams', admin: false },
  { href: '/routing', label: 'Routing', admin: true },
  // Silences, maintenance windows, inhibition and event rules link to each other (noise-control-links.tsx).
  {
    href: '/silences',
    label: 'Noise control',
    admin: false,
    also: ['/maintenance', '/inhibition-rules', '/event-rules'],
  },
  { href: '/audit', label: 'Audit log', admin: true },
  { href: '/users', label: 'Users', admin: true },
  { href: '/api-keys', label: 'API keys', admin: false },
  { href: '/profile', label: 'Profile', admin: false },
];
const ADMIN_SECTIONS = ['integrations', 'routing', 'inhibition-rules', 'event-rules', 'audit', 'users', 'people'];

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [passwordSetFor, setPasswordSetFor] = useState<string | null>(null);
  // Asked only when nobody is signed in: while no user exists, the setup page replaces sign-in.
  const [setup, setSetup] = useState<SetupStatus | undefined>(undefined);
  const { path } = useLocation();
  useDocumentTitle();

  const signedIn = useCallback((user: Me) => {
    setCsrfToken(user.csrfToken);
    setMe(user);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setMe(null);
    });
    api<Me>('GET', '/api/auth/me').then(signedIn, (caught: unknown) => {
      if (caught instanceof ApiError && caught.status === 401) setMe(null);
      else setError(caught);
    });
  }, [signedIn]);

  useEffect(() => {
    if (me !== null) return;
    api<SetupStatus>('GET', '/api/setup').then(setSetup, setError);
  }, [me]);

  // Opened from an invite or reset link, by someone who may have no session (or another person's).
  if (path === '/set-password') {
    return (
      <SetPasswordPage
        onDone={(email) => {
          setPasswordSetFor(email);
          setCsrfToken(null);
          setMe(null);
          navigate('/login', { replace: true });
        }}
      />
    );
  }
  if (error !== null) {
    return (
      <main className="centered">
        <ProblemMessage error={error} />
      </main>
    );
  }
  if (me === undefined) {
    return (
      <main className="centered">
        <Loading />
      </main>
    );
  }
  if (me === null && setup === undefined) {
    return (
      <main className="centered">
        <Loading />
      </main>
    );
  }
  if (me === null && (setup?.setupNeeded || path === '/setup')) {
    return <SetupPage status={setup as SetupStatus} onSignedIn={signedIn} />;
  }
  if (me === null) return <SignInPage onSignedIn={signedIn} passwordSetFor={passwordSetFor} />;
  return <Shell me={me} onSignedOut={() => setMe(null)} />;
}

function Shell({ me, onSignedOut }: { me: Me; onSignedOut: () => void }) {
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const items = NAV.filter((item) => me.isPlatformAdmin || !item.admin);
  // The person on call starts at their incidents; an admin at everything that arrived.
  const home = me.isPlatformAdmin ? '/alerts' : '/incidents';

  useEffect(() => {
    if (path === '/' || path === '/login') navigate(home, { replace: true });
  }, [path, home]);
  useEffect(() => startLiveUpdates(), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the phone menu on every navigation
  useEffect(() => setMenuOpen(false), [path]);
  useFocusAfterNavigation(path);

  const signOut = async () => {
    try {
      await api('POST', '/api/auth/logout');
    } finally {
      setCsrfToken(null);
      navigate('/', { replace: true });
      onSignedOut();
    }
  };

  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href={home} className="brand">
          <span aria-hidden="true" className="brand-mark">
            ◉
          </span>{' '}
          Klaxon
        </Link>
        <button
          ref={menuButton}
          type="button"
          className="menu-toggle secondary small"
          aria-expanded={menuOpen}
          aria-controls="primary-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
        <nav
          id="primary-nav"
          aria-label="Primary"
          className={menuOpen ? 'open' : ''}
          onKeyDown={(event) => {
            // Escape closes the phone menu and returns to its button, as a disclosure should.
            if (event.key !== 'Escape' || !menuOpen) return;
            setMenuOpen(false);
            menuButton.current?.focus();
          }}
        >
          <ul>
            {items.map((item) => (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={
                    [item.href, ...(item.also ?? [])].some((href) => path.startsWith(href)) ? 'page' : undefined
                  }
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
          <div className="account">
            <LiveStatus />
            <span className="account-email" title={me.email}>
              {me.email}
            </span>
            {me.isPlatformAdmin && <span className="account-role">admin</span>}
            <button type="button" className="secondary small" onClick={signOut}>
              Sign out
            </button>
          </div>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <PagingHealthBanner path={path} />
        <Page path={path} me={me} />
      </main>
    </div>
  );
}

/** An element's text without its aria-hidden decorations (the brand mark). */
function spokenText(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (node instanceof Element && node.getAttribute('aria-hidden') === 'true') return '';
  return Array.from(node.childNodes).map(spokenText).join('');
}

/**
 * The browser tab and history say which page this is (WCAG 2.4.2): "<the page's h1> · Klaxon",
 * kept current as pages load their data and headings change.
 */
function useDocumentTitle(): void {
  useEffect(() => {
    const root = document.getElementById('root');
    if (root === null) return;
    const update = () => {
      const h1 = root.querySelector('h1');
      const heading = h1 === null ? '' : spokenText(h1).replace(/\s+/g, ' ').trim();
      const title = heading === '' || heading.includes('Klaxon') ? heading || 'Klaxon' : `${heading} · Klaxon`;
      if (document.title !== title) document.title = title;
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(root, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      document.title = 'Klaxon';
    };
  }, []);
}

/**
 * After moving to another page, focus must not be lost: a link followed inside the old page is
 * gone (and a phone-menu link is hidden), which leaves focus on the document, so the next Tab
 * would start over at the top. Focus then goes to the main content, as the skip link does.
 */
function useFocusAfterNavigation(path: string): void {
  // The path last seen rather than a "first run" flag: React runs effects twice on mount in
  // development (StrictMode), and a fresh page load must leave focus at the top for the skip link.
  const previous = useRef(path);
  useEffect(() => {
    if (previous.current === path) return;
    previous.current = path;
    const focused = document.activeElement as HTMLElement | null;
    const lost = focused === null || focused === document.body || focused.getClientRects().length === 0;
    if (lost) document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);
}

function Page({ path, me }: { path: string; me: Me }) {
  const [, section, id] = path.split('/');
  if (!me.isPlatformAdmin && ADMIN_SECTIONS.includes(section ?? '')) {
    return (
      <section>
        <h1>Not available</h1>
        <p>This page is for platform admins. Ask an admin if you need access.</p>
      </section>
    );
  }
  switch (section) {
    case 'incidents':
      return id ? <IncidentDetailPage id={id} me={me} /> : <IncidentsPage />;
    case 'schedules':
      return id ? <ScheduleDetailPage id={id} me={me} /> : <SchedulesPage me={me} />;
    case 'escalation-policies':
      return <EscalationPoliciesPage me={me} />;
    case 'heartbeats':
      return <HeartbeatsPage me={me} />;
    case 'profile':
      return <ProfilePage key={me.id} me={me} userId={me.id} />;
    case 'people':
      return id ? <ProfilePage key={id} me={me} userId={id} /> : <UsersPage />;
    case 'alerts':
      return id ? <AlertDetailPage id={id} me={me} /> : <AlertsPage me={me} />;
    case 'integrations':
      return id ? <IntegrationDetailPage id={id} /> : <IntegrationsPage />;
    case 'teams':
      return id ? <TeamDetailPage id={id} me={me} /> : <TeamsPage me={me} />;
    case 'routing':
      return <RoutingPage />;
    case 'silences':
      return <SilencesPage me={me} />;
    case 'maintenance':
      return <MaintenanceWindowsPage me={me} />;
    case 'inhibition-rules':
      return <InhibitionRulesPage me={me} />;
    case 'event-rules':
      return <EventRulesPage me={me} />;
    case 'paging-health':
      return <PagingHealthPage />;
    case 'audit':
      return <AuditPage />;
    case 'users':
      return <UsersPage />;
    case 'api-keys':
      return <ApiKeysPage me={me} />;
    default:
      return me.isPlatformAdmin ? <AlertsPage me={me} /> : <IncidentsPage />;
  }
}
