import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Podman as root on a CI machine without systemd or a registry: the runc runtime, cgroupfs, no
 * default ulimits (the container may not raise them), all through a containers.conf of our own.
 */
const STAND_INS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'stand-ins');
const DEBIAN_TARBALL = '/var/cache/klaxon-standins/debian-bookworm-minbase.tar';
const DEBIAN_IMAGE = 'docker.io/library/debian:bookworm-slim';

export const podmanEnvironment = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'klaxon-podman-'));
  const conf = join(dir, 'containers.conf');
  writeFileSync(
    conf,
    ['[containers]', 'default_ulimits = []', '[engine]', 'runtime = "runc"', 'cgroup_manager = "cgroupfs"', ''].join(
      '\n',
    ),
  );
  return { ...process.env, CONTAINERS_CONF: conf };
})();

/** Runs a command, returns its stdout; a failure throws with everything it printed. */
export function run(command: string, args: string[], options: { timeoutMs?: number; input?: string } = {}): string {
  const result = spawnSync(command, args, {
    env: podmanEnvironment,
    encoding: 'utf8',
    input: options.input,
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

export const podman = (args: string[], options?: { timeoutMs?: number; input?: string }) =>
  run('podman', args, options);

export function imageExists(name: string): boolean {
  return spawnSync('podman', ['image', 'exists', name], { env: podmanEnvironment }).status === 0;
}

function imageLabel(name: string, label: string): string | undefined {
  if (!imageExists(name)) return undefined;
  return podman(['image', 'inspect', '--format', `{{index .Labels "${label}"}}`, name]).trim();
}

/** The Debian root file system every stand-in starts from: debootstrap once, cached as a tarball. */
function ensureDebian(): void {
  if (imageExists(DEBIAN_IMAGE)) return;
  if (!existsSync(DEBIAN_TARBALL)) {
    const root = mkdtempSync(join(tmpdir(), 'klaxon-debootstrap-'));
    try {
      run('debootstrap', ['--variant=minbase', 'bookworm', root, 'http://deb.debian.org/debian'], {
        timeoutMs: 900_000,
      });
      mkdirSync(dirname(DEBIAN_TARBALL), { recursive: true });
      run('tar', ['-C', root, '-cf', DEBIAN_TARBALL, '.'], { timeoutMs: 300_000 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  podman(['import', '--change', 'CMD ["bash"]', DEBIAN_TARBALL, DEBIAN_IMAGE], { timeoutMs: 300_000 });
}

interface StandIn {
  /** The exact name the Dockerfile or compose.yaml uses. */
  image: string;
  containerfile: string;
  /** Files the build copies, keyed by their name in the build context. */
  context: Record<string, string>;
}

/** The Node.js 20 and npm of this machine, as the official node image would hold them. */
const nodeBinary = process.execPath;
const npmDir = join(dirname(dirname(nodeBinary)), 'lib', 'node_modules', 'npm');

const STAND_INS: StandIn[] = [
  {
    image: 'docker.io/library/node:20-bookworm-slim',
    containerfile: 'node.Containerfile',
    context: {
      node: nodeBinary,
      npm: npmDir,
      'ca-certificates.crt': process.env.NODE_EXTRA_CA_CERTS ?? '/etc/ssl/certs/ca-certificates.crt',
    },
  },
  {
    image: 'docker.io/library/postgres:15-bookworm',
    containerfile: 'postgres.Containerfile',
    context: { 'postgres-entrypoint.sh': join(STAND_INS_DIR, 'postgres-entrypoint.sh') },
  },
  { image: 'docker.io/library/haproxy:2.6-bookworm', containerfile: 'haproxy.Containerfile', context: {} },
];

/**
 * Builds each stand-in under the public image's name, unless an image built from the same
 * Containerfile (and the same Node.js) is already there: a label holds that fingerprint.
 */
export function ensureStandIns(): void {
  ensureDebian();
  for (const standIn of STAND_INS) {
    const containerfile = join(STAND_INS_DIR, standIn.containerfile);
    const fingerprint = createHash('sha256')
      .update(readFileSync(containerfile))
      .update(standIn.image.startsWith('docker.io/library/node') ? process.version : '')
      .update(
        Object.values(standIn.context)
          .filter((path) => path.endsWith('.sh') || path.endsWith('.crt'))
          .map((path) => readFileSync(path, 'utf8'))
          .join(''),
      )
      .digest('hex')
      .slice(0, 16);
    if (imageLabel(standIn.image, 'klaxon.stand-in') === fingerprint) continue;
    const context = mkdtempSync(join(tmpdir(), 'klaxon-stand-in-'));
    try {
      for (const [name, source] of Object.entries(standIn.context)) {
        if (name === 'npm') cpSync(source, join(context, name), { recursive: true });
        else copyFileSync(source, join(context, name));
      }
      podman(
        [
          'build',
          '--pull=never',
          '--network=host',
          '--label',
          `klaxon.stand-in=${fingerprint}`,
          '-t',
          standIn.image,
          '-f',
          containerfile,
          context,
        ],
        { timeoutMs: 600_000 },
      );
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  }
}

export function freePortSync(): number {
  return Number(
    execFileSync(
      process.execPath,
      ['-e', "const s=require('node:net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})"],
      { encoding: 'utf8' },
    ).trim(),
  );
}

/** Networks an interrupted run left behind (name starting with `prefix`): removed unless a container still uses one. */
export function removeUnusedNetworks(prefix: string): void {
  for (const name of podman(['network', 'ls', '--format', '{{.Name}}']).split('\n')) {
    if (name.startsWith(prefix)) spawnSync('podman', ['network', 'rm', name], { env: podmanEnvironment });
  }
}
