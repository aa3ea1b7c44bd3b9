import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { npmStartNodeFlags } from '../bench/lib/processes.js';
import { ENVIRONMENT_VARIABLES } from '../src/config.js';
import { fromPackageRoot } from '../src/package-root.js';
import { createTestApp, type TestApp } from './helpers/app.js';

/**
 * The Kubernetes manifests, rendered by `kubectl kustomize` exactly as a user renders them, and
 * the Dockerfile, read as text: each promise docs/deploy.md makes about them is checked here.
 * The image itself is built and run by `npm run test:container`.
 */

const OVERLAYS = ['bundled-postgres', 'external-postgres', 'cloudnative-pg'] as const;
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: rendered Kubernetes objects are checked field by field below
  spec?: any;
  stringData?: Record<string, string>;
}

function render(overlay: string): Manifest[] {
  const output = execFileSync('kubectl', ['kustomize', fromPackageRoot('deploy', 'kubernetes', 'overlays', overlay)], {
    encoding: 'utf8',
  });
  return parseAllDocuments(output).map((document) => document.toJSON() as Manifest);
}

function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} is not rendered`);
  return found;
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

describe.skipIf(!hasKubectl)('Kubernetes manifests (kubectl kustomize)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  for (const overlay of OVERLAYS) {
    describe(overlay, () => {
      const manifests = render(overlay);
      const deployment = find(manifests, 'Deployment', 'klaxon');
      const pod = deployment.spec.template;
      const klaxon = pod.spec.containers.find((container: { name: string }) => container.name === 'klaxon');

      it('sets only environment variables that Klaxon reads', () => {
        const names: string[] = klaxon.env.map((variable: { name: string }) => variable.name);
        expect(names.filter((name) => !ENVIRONMENT_VARIABLES.includes(name))).toEqual([]);
        expect(names).toEqual(expect.arrayContaining(['DATABASE_URL', 'KLAXON_MASTER_KEY', 'HOST']));
        expect(klaxon.env.find((variable: { name: string }) => variable.name === 'HOST').value).toBe('0.0.0.0');
      });

      it('takes DATABASE_URL and KLAXON_MASTER_KEY from Secrets that exist with those keys', () => {
        for (const name of ['DATABASE_URL', 'KLAXON_MASTER_KEY']) {
          const reference = klaxon.env.find((variable: { name: string }) => variable.name === name).valueFrom
            .secretKeyRef;
          if (reference.name === 'klaxon-db-app') {
            // Written by the CloudNativePG operator for the Cluster rendered beside it.
            expect(overlay).toBe('cloudnative-pg');
            expect(reference.key).toBe('uri');
            expect(find(manifests, 'Cluster', 'klaxon-db').spec.instances).toBeGreaterThanOrEqual(2);
            continue;
          }
          expect(Object.keys(find(manifests, 'Secret', reference.name).stringData ?? {})).toContain(reference.key);
        }
      });

      it('probes routes that answer 200 on a running Klaxon', async () => {
        const probes = [klaxon.readinessProbe, klaxon.livenessProbe, klaxon.startupProbe];
        expect(klaxon.readinessProbe.httpGet.path).toBe('/readyz');
        for (const probe of probes) {
          expect(probe.httpGet.port).toBe(klaxon.ports[0].name);
          const response = await t.request({ method: 'GET', url: probe.httpGet.path });
          expect(response.statusCode, probe.httpGet.path).toBe(200);
        }
      });

      it('drains before it stops: a preStop pause inside the grace period', () => {
        const [command, seconds] = klaxon.lifecycle.preStop.exec.command;
        expect(command).toBe('sleep');
        expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(Number(seconds) + 30);
      });

      it('sets resources and a restrictive security context on every container', () => {
        for (const workload of manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet')) {
          const spec = workload.spec.template.spec;
          expect(spec.securityContext.runAsNonRoot, workload.metadata.name).toBe(true);
          expect(spec.securityContext.seccompProfile.type).toBe('RuntimeDefault');
          for (const container of spec.containers) {
            expect(container.resources.requests.cpu, container.name).toBeTruthy();
            expect(container.resources.requests.memory, container.name).toBeTruthy();
            expect(container.resources.limits.memory, container.name).toBeTruthy();
            expect(container.securityContext.allowPrivilegeEscalation, container.name).toBe(false);
            expect(container.securityContext.capabilities.drop, container.name).toEqual(['ALL']);
          }
        }
        expect(klaxon.securityContext.readOnlyRootFilesystem).toBe(true);
      });

      it('runs several replicas behind one Service, kept available by a PodDisruptionBudget', () => {
        expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
        const labels = pod.metadata.labels;
        expect(matches(deployment.spec.selector.matchLabels, labels)).toBe(true);
        const service = find(manifests, 'Service', 'klaxon');
        expect(matches(service.spec.selector, labels)).toBe(true);
        expect(service.spec.ports[0].targetPort).toBe(klaxon.ports[0].name);
        const budget = find(manifests, 'PodDisruptionBudget', 'klaxon');
        expect(matches(budget.spec.selector.matchLabels, labels)).toBe(true);
        expect(budget.spec.minAvailable).toBeGreaterThanOrEqual(1);
        // No other workload's pods answer behind Klaxon's Service.
        for (const other of manifests.filter((m) => m.kind === 'StatefulSet')) {
          expect(matches(service.spec.selector, other.spec.template.metadata.labels)).toBe(false);
        }
      });
    });
  }
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(fromPackageRoot('Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  const last = (keyword: string) => instructions.filter((line) => line.startsWith(`${keyword} `)).at(-1) ?? '';

  it('builds on the official Node 20 bookworm-slim image in every stage', () => {
    const bases = instructions.filter((line) => line.startsWith('FROM '));
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases) expect(base).toMatch(/^FROM node:20-bookworm-slim\b/);
  });

  it('installs only production dependencies in the final stage and runs as a non-root user', () => {
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(finalStage).toMatch(/npm ci --omit=dev/);
    expect(last('USER')).toBe('USER node');
  });

  it('checks /healthz, stops on SIGTERM, listens on all interfaces and keeps data in a volume', () => {
    expect(last('HEALTHCHECK')).toContain('/healthz');
    expect(last('STOPSIGNAL')).toBe('STOPSIGNAL SIGTERM');
    expect(dockerfile).toMatch(/HOST=0\.0\.0\.0/);
    expect(last('VOLUME')).toContain('/var/lib/klaxon');
    expect(dockerfile).toMatch(/KLAXON_DATA_DIR=\/var\/lib\/klaxon/);
  });

  it('runs the server with the Node flags npm start gives it (V8 threads one per CPU), as the bench does', () => {
    const flags = npmStartNodeFlags(fromPackageRoot('dist', 'main.js'));
    expect(flags).toContain('--v8-pool-size=0');
    expect(JSON.parse(last('CMD').slice('CMD '.length))).toEqual(['node', ...flags, 'dist/main.js']);
  });
});
