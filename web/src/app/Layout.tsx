import { Link, NavLink, Outlet } from 'react-router';
import { confirmedUser, isSignedOut, useMe } from '../features/auth';

function Header() {
  const me = useMe();
  const user = confirmedUser(me);
  const onboarded = user?.onboarding === 'done';
  // Public leagues are readable signed out, so visitors get a way to them and to sign in.
  const signedOut = isSignedOut(me.error);
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="brand">
          <img className="brand__mark" src="/favicon.svg" alt="" width="28" height="28" />
          <span className="brand__name">Rally Connect</span>
        </Link>
        {user?.profile ? (
          <p className="site-header__user">
            <span className="visually-hidden">Signed in as </span>
            {user.profile.displayName}
          </p>
        ) : null}
      </div>
      {onboarded ? (
        <nav className="site-nav" aria-label="Main">
          <ul className="site-nav__list">
            <li>
              <NavLink to="/" end className="site-nav__link">
                Dashboard
              </NavLink>
            </li>
            <li>
              <NavLink to="/leagues" className="site-nav__link">
                Leagues
              </NavLink>
            </li>
            <li>
              <NavLink to="/leaderboards" className="site-nav__link">
                Leaderboards
              </NavLink>
            </li>
            <li>
              <NavLink to="/profile" className="site-nav__link">
                Profile
              </NavLink>
            </li>
          </ul>
        </nav>
      ) : signedOut ? (
        <nav className="site-nav" aria-label="Main">
          <ul className="site-nav__list">
            <li>
              <NavLink to="/leagues" className="site-nav__link">
                Leagues
              </NavLink>
            </li>
            <li>
              <NavLink to="/leaderboards" className="site-nav__link">
                Leaderboards
              </NavLink>
            </li>
            <li>
              <NavLink to="/sign-in" className="site-nav__link">
                Sign in
              </NavLink>
            </li>
          </ul>
        </nav>
      ) : null}
    </header>
  );
}

export function Layout() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <Header />
      <main id="main" className="site-main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
