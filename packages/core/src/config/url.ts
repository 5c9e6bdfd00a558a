import { ConfigError } from './errors.js';

/**
 * A configuration URL split into its parts: `scheme://user:pass@host1:port,host2:port/path?option=value`,
 * or `scheme:opaque-path?option=value` (as in `sqlite:./data/app.db`). Several hosts are allowed, which
 * WHATWG URLs refuse, so this is parsed by hand.
 */
export interface ConfigUrl {
  /** The option or environment variable it came from, for error messages. */
  readonly field: string;
  /** As given: it may hold a password, so never print it. */
  readonly text: string;
  /** The URL with its password hidden, safe to print. */
  readonly shown: string;
  /** Lower case, without the colon. */
  readonly scheme: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly hosts: readonly string[];
  /** What follows the authority, or the whole opaque part when there is no `//`. */
  readonly path: string;
  readonly params: URLSearchParams;
}

const URL_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):([^?#]*)(\?[^#]*)?$/;

export function parseConfigUrl(text: unknown, field: string): ConfigUrl {
  if (typeof text !== 'string' || text.trim() !== text || text.length === 0) {
    throw new ConfigError(
      field,
      String(text),
      'must be a URL such as memory:, sqlite:./data/app.db or nats://host:4222',
    );
  }
  const match = URL_SHAPE.exec(text);
  if (match === null) throw new ConfigError(field, text, 'is not a URL (scheme:… without a #fragment)');
  const [, scheme = '', body = '', query = ''] = match;
  const hierarchical = body.startsWith('//');
  const authorityEnd = hierarchical ? indexOrEnd(body, '/', 2) : 0;
  const authority = parseAuthority(body.slice(2, authorityEnd), field, text);
  return {
    field,
    text,
    shown: redact(text, authority.userinfo),
    scheme: scheme.toLowerCase(),
    username: authority.username,
    password: authority.password,
    hosts: authority.hosts,
    path: body.slice(hierarchical ? authorityEnd : 0),
    params: new URLSearchParams(query),
  };
}

interface Authority {
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly userinfo: string | undefined;
  readonly hosts: readonly string[];
}

function parseAuthority(authority: string, field: string, text: string): Authority {
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : authority.slice(0, at);
  const hostList = authority.slice(at + 1);
  const hosts = hostList.length === 0 ? [] : hostList.split(',');
  if (hosts.some((host) => host.length === 0)) {
    throw new ConfigError(field, redact(text, userinfo), 'has an empty host in its host list');
  }
  if (userinfo === undefined) return { username: undefined, password: undefined, userinfo, hosts };
  const colon = userinfo.indexOf(':');
  const rawUser = colon < 0 ? userinfo : userinfo.slice(0, colon);
  const rawPassword = colon < 0 ? undefined : userinfo.slice(colon + 1);
  return {
    username: decode(rawUser, field, text),
    password: rawPassword === undefined ? undefined : decode(rawPassword, field, redact(text, userinfo)),
    userinfo,
    hosts,
  };
}

function redact(text: string, userinfo: string | undefined): string {
  const colon = userinfo?.indexOf(':') ?? -1;
  if (userinfo === undefined || colon < 0) return text;
  return text.replace(`${userinfo}@`, `${userinfo.slice(0, colon)}:***@`);
}

function decode(part: string, field: string, shown: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ConfigError(field, shown, 'has a malformed %-escape in its user or password');
  }
}

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index < 0 ? text.length : index;
}

/** For `memory:`: a URL that names neither a host nor a path. */
export function requireNoLocation(url: ConfigUrl): void {
  if (url.hosts.length > 0 || url.path.length > 0) {
    throw new ConfigError(url.field, url.shown, `takes no host or path: write ${url.scheme}:`);
  }
}

/** For brokers: the hosts of the URL, which must name at least one and no path. */
export function requireHosts(url: ConfigUrl, example: string): readonly string[] {
  if (url.hosts.length === 0 || (url.path.length > 0 && url.path !== '/')) {
    throw new ConfigError(url.field, url.shown, `must be ${example}`);
  }
  return url.hosts;
}
