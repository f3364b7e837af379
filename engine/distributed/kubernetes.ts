/**
 * `z6 k8s`: the Kubernetes manifests of one distributed run (docs/kubernetes.md) — a ConfigMap
 * with the scenario and the files it reads, a ReadWriteMany volume for the segments' results, and
 * an Indexed Job of n pods, each running its segment (JOB_COMPLETION_INDEX) after a common start
 * barrier, the pod of index 0 then merging all segments into one result judged by the scenario's
 * assertions.
 *
 * The objects are typed with kubernetes-models' interfaces (a dev dependency, types only): an
 * unknown or misspelled field is a compile error, and the tests validate the output against the
 * API schema.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, sep } from 'node:path';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IConfigMap, IPersistentVolumeClaim } from 'kubernetes-models/v1';
import type { Scenario } from '../scenario/model';
import { randomSeed } from '../plan/prng';

export interface KubernetesOptions {
  /** Name of the Job and prefix of the other objects (a DNS label). */
  name: string;
  segments: number;
  image: string;
  namespace?: string;
  /** The results volume's storage class (one that offers ReadWriteMany, e.g. NFS, EFS, Filestore). */
  storageClass?: string;
  storage: string;
  /** CPU request and limit of each pod (a segment uses one core). */
  cpu: string;
  memory: string;
  /** Extra arguments for each segment's `z6 run` (e.g. --otlp URL). */
  runArgs: string[];
  /** Seconds the pod of index 0 waits for the other segments' results after its own. */
  mergeWaitSeconds: number;
}

/** ConfigMaps hold at most 1 MiB; bigger inputs belong in the image or a volume. */
export const CONFIG_MAP_LIMIT = 1024 * 1024;

export class KubernetesInputError extends Error {}

/** The files a run of this scenario reads, relative to the scenario's folder. */
export function scenarioFiles(s: Scenario, scenarioFile: string): { path: string; file: string }[] {
  const root = dirname(scenarioFile);
  const files = new Map<string, string>([[basename(scenarioFile), scenarioFile]]);
  const add = (file: string | undefined, what: string) => {
    if (!file) return;
    const rel = relative(root, file);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new KubernetesInputError(`${what} ${file} is outside the scenario's folder ${root}: the pods see only that folder (copy the file next to the scenario, or build it into the image)`);
    }
    files.set(rel.split(sep).join('/'), file);
  };
  for (const r of [...s.requests, ...s.setup, ...s.teardown]) add(r.bodyFile, `body_file of "${r.name}"`);
  for (const d of s.data) add(d.file, `data file`);
  add(s.target.caBundle, 'target.ca_bundle');
  return [...files].map(([path, file]) => ({ path, file }));
}

/** A POSIX sh script: the pod's whole job, readable in `kubectl describe`. */
function podScript(): string {
  return [
    'set -u',
    'i="${JOB_COMPLETION_INDEX:?this script runs in a pod of an Indexed Job}"',
    'n="$Z6_SEGMENTS"',
    'dir="$Z6_RESULTS"',
    '# Every segment starts at the same moment (the barrier), then runs its share of the plan.',
    'z6 run "$Z6_SCENARIO" --segment "$i/$n" --barrier "$dir/barrier" --out "$dir/segment-$i" --quiet $Z6_RUN_ARGS',
    'code=$?',
    '# A segment judges only its slice; 1 (its assertions) is not the run\'s verdict: the merge decides.',
    'if [ "$code" -gt 1 ]; then exit "$code"; fi',
    '[ "$i" = 0 ] || exit 0',
    'waited=0',
    'until [ "$(ls "$dir"/segment-*/results.json 2>/dev/null | wc -l)" -ge "$n" ]; do',
    '  if [ "$waited" -ge "$Z6_MERGE_WAIT_SECONDS" ]; then echo "z6: not every segment wrote its results within ${waited} s; merging what is there fails and names the missing ones" >&2; break; fi',
    '  sleep 2; waited=$((waited + 2))',
    'done',
    'exec z6 merge "$dir"/segment-*/results.json --scenario "$Z6_SCENARIO" --out "$dir/merged" --html --junit "$dir/merged/junit.xml"',
  ].join('\n');
}

/** Shell-quotes one word for $Z6_RUN_ARGS (split by the shell, so each word is quoted). */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** The segments' arguments; a scenario without prng_seed gets one seed for all pods, drawn here. */
function runArgs(s: Scenario, given: string[]): string[] {
  const seeded = s.runtime.seed !== undefined || given.some((a) => a === '--seed' || a.startsWith('--seed='));
  return seeded ? given : ['--seed', String(randomSeed()), ...given];
}

export function kubernetesManifests(s: Scenario, scenarioFile: string, o: KubernetesOptions): (IConfigMap | IPersistentVolumeClaim | IJob)[] {
  if (!/^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/.test(o.name)) {
    throw new KubernetesInputError(`--name '${o.name}' must be a DNS label: lower-case letters, digits and '-', at most 52 characters`);
  }
  const files = scenarioFiles(s, scenarioFile);
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  const items: { key: string; path: string }[] = [];
  let bytes = 0;
  files.forEach((f, k) => {
    const buf = readFileSync(f.file);
    bytes += buf.length;
    const key = `file-${k}`;
    const text = buf.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(buf)) data[key] = text;
    else binaryData[key] = buf.toString('base64');
    items.push({ key, path: f.path });
  });
  if (bytes > CONFIG_MAP_LIMIT) {
    const list = files.map((f) => `${f.path} (${statSync(f.file).size} bytes)`).join(', ');
    throw new KubernetesInputError(`the scenario and its files are ${bytes} bytes, more than a ConfigMap holds (1 MiB): ${list}. Build them into the image (FROM z6, COPY) or mount a volume, and run z6 k8s on a copy without them.`);
  }
  const metadata = (name: string) => ({ name, ...(o.namespace ? { namespace: o.namespace } : {}), labels: { 'app.kubernetes.io/name': 'z6', 'app.kubernetes.io/instance': o.name } });
  const scenarioName = basename(scenarioFile);
  const configMap: IConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(`${o.name}-scenario`),
    ...(Object.keys(data).length ? { data } : {}),
    ...(Object.keys(binaryData).length ? { binaryData } : {}),
  };
  const claim: IPersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: metadata(`${o.name}-results`),
    spec: {
      // Every pod writes its segment and the pod of index 0 reads them all: shared, read-write.
      accessModes: ['ReadWriteMany'],
      ...(o.storageClass ? { storageClassName: o.storageClass } : {}),
      resources: { requests: { storage: o.storage } },
    },
  };
  const job: IJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(o.name),
    spec: {
      completionMode: 'Indexed',
      completions: o.segments,
      parallelism: o.segments,
      // A failed segment fails its index only: the others finish, and the merge names what is missing.
      backoffLimitPerIndex: 0,
      maxFailedIndexes: o.segments,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'z6', 'app.kubernetes.io/instance': o.name } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'z6',
              image: o.image,
              command: ['sh', '-c', podScript()],
              env: [
                { name: 'Z6_SEGMENTS', value: String(o.segments) },
                { name: 'Z6_SCENARIO', value: `/scenario/${scenarioName}` },
                // One folder per Job run (its uid), so a re-created Job never meets old barrier files.
                { name: 'Z6_JOB_UID', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/controller-uid']" } } },
                { name: 'Z6_RESULTS', value: '/results/$(Z6_JOB_UID)' },
                // The segments of one run share its id in live metrics (z6 run --otlp).
                { name: 'Z6_RUN_ID', value: '$(Z6_JOB_UID)' },
                { name: 'Z6_RUN_ARGS', value: runArgs(s, o.runArgs).map(shellWord).join(' ') },
                { name: 'Z6_MERGE_WAIT_SECONDS', value: String(o.mergeWaitSeconds) },
              ],
              resources: { requests: { cpu: o.cpu, memory: o.memory }, limits: { cpu: o.cpu, memory: o.memory } },
              volumeMounts: [
                { name: 'scenario', mountPath: '/scenario', readOnly: true },
                { name: 'results', mountPath: '/results' },
              ],
            },
          ],
          volumes: [
            { name: 'scenario', configMap: { name: `${o.name}-scenario`, items } },
            { name: 'results', persistentVolumeClaim: { claimName: `${o.name}-results` } },
          ],
        },
      },
    },
  };
  return [configMap, claim, job];
}
