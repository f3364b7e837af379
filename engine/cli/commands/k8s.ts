/**
 * `z6 k8s FILE --segments N --image IMAGE`: writes the Kubernetes manifests of a distributed run
 * (engine/distributed/kubernetes.ts; walk-through in docs/kubernetes.md) as YAML, to stdout or --out.
 */
import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { stringify } from 'yaml';
import { KubernetesInputError, kubernetesManifests } from '../../distributed/kubernetes';
import { displayPath } from '../format-diagnostics';
import { intOption, parseArgs, UsageError } from './options';
import { loadForRun } from './scenario-input';

export const K8S_USAGE = 'z6 k8s FILE --segments N --image IMAGE [options]';
export const K8S_OPTIONS = `Writes a ConfigMap (the scenario and the files it reads), a ReadWriteMany volume claim for the
results, and an Indexed Job of N pods: each runs segment JOB_COMPLETION_INDEX/N after a common start
barrier; the pod of index 0 then merges the segments (results.json, report.html, junit.xml in
<volume>/<job uid>/merged/) and exits as z6 run would on the whole run. Apply with kubectl apply -f.

Options:
  --segments N        pods, one segment each (required)
  --image IMAGE       an image with z6 on its PATH, e.g. built from the Dockerfile (required)
  --name NAME         the Job's name (default: from the file name)
  --namespace NS      put the objects in NS
  --storage-class SC  storage class of the results volume (must offer ReadWriteMany)
  --storage SIZE      size of the results volume (default 1Gi)
  --cpu Q             CPU request and limit per pod (default 1: a segment uses one core)
  --memory Q          memory request and limit per pod (default 1Gi)
  --run-arg ARG       an argument for every segment's z6 run (repeatable), e.g. --run-arg=--otlp
                      --run-arg=http://collector:4318/v1/metrics
  --merge-wait S      how long the pod of index 0 waits for the others' results (default 300)
  --out FILE          write the YAML to FILE instead of stdout`;

export async function k8sCommand(args: string[]): Promise<number> {
  let p: ReturnType<typeof parseArgs>;
  let segments: number | undefined;
  let mergeWait: number | undefined;
  try {
    p = parseArgs(args, ['segments', 'image', 'name', 'namespace', 'storage-class', 'storage', 'cpu', 'memory', 'run-arg', 'merge-wait', 'out'], []);
    if (p.positional.length !== 1) throw new UsageError(p.positional.length ? 'give exactly one scenario file' : 'no scenario file given');
    segments = intOption(p, 'segments', 1, 1000);
    mergeWait = intOption(p, 'merge-wait', 0, 86_400);
    if (segments === undefined) throw new UsageError('--segments N is required');
    if (!p.values.get('image')) throw new UsageError('--image IMAGE is required (an image with z6 on its PATH: see the Dockerfile)');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`z6 k8s: ${e.message}\nUsage: ${K8S_USAGE}\n\n${K8S_OPTIONS}`);
    return 2;
  }
  const file = p.positional[0]!;
  const input = loadForRun(file, { readBodies: false });
  if (!input.ok) {
    for (const l of input.lines) console.error(l);
    return input.exitCode;
  }
  const stem = basename(file).replace(/\.z6\.toml$|\.toml$/i, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  let yaml: string;
  try {
    const docs = kubernetesManifests(input.scenario, resolve(file), {
      name: p.values.get('name') ?? `z6-${stem || 'run'}`,
      segments,
      image: p.values.get('image')!,
      namespace: p.values.get('namespace'),
      storageClass: p.values.get('storage-class'),
      storage: p.values.get('storage') ?? '1Gi',
      cpu: p.values.get('cpu') ?? '1',
      memory: p.values.get('memory') ?? '1Gi',
      runArgs: p.lists.get('run-arg') ?? [],
      mergeWaitSeconds: mergeWait ?? 300,
    });
    yaml = docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
  } catch (e) {
    if (!(e instanceof KubernetesInputError)) throw e;
    console.error(`z6 k8s: ${e.message}`);
    return 2;
  }
  const out = p.values.get('out');
  if (out === undefined) process.stdout.write(yaml);
  else {
    writeFileSync(resolve(out), yaml);
    console.error(`wrote ${displayPath(resolve(out))}`);
  }
  return 0;
}
