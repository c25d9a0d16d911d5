/**
 * `GET /metrics`: the Prometheus exporter (prom-client). One registry per app. Guest, node and
 * storage gauges are filled at scrape time from the collector's latest `/cluster/resources`
 * snapshot; API and S3 traffic come from the platform's HTTP observation channel; operation
 * outcomes from the event bus. Labels are stable and low-cardinality: instance id + name, node,
 * owner (user id), route templates (never concrete URLs), HTTP status; never secrets.
 */
import { subscribe } from 'node:diagnostics_channel';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type HttpResponseEvent, httpResponses } from '../../platform/http/observe.ts';
import type { EventBus } from '../events/index.ts';
import type { ReconcileReport } from '../instances/index.ts';
import type { MetricsCollector } from './metrics.collector.ts';
import { type InstanceLabel, InstanceSeriesFormatter } from './metrics.exporter.instances.ts';
import type { ResourceSampler } from './metrics.resources.ts';

export type { InstanceLabel };

export interface ExporterDeps {
  collector: MetricsCollector;
  /** Live instances (id, name, owner, vmid); cached briefly by the exporter. */
  instances: () => Promise<InstanceLabel[]>;
  bus: Pick<EventBus, 'subscribe'>;
  /** Volume and bucket samples (the last pass); absent in the benchmark. */
  resources?: Pick<ResourceSampler, 'latestVolumes' | 'latestBuckets'>;
  reconciler: () => { lastReport: ReconcileReport | null; lastPassAt: number | null };
  now: () => number;
}

export class PrometheusExporter {
  readonly registry = new Registry();
  private labels: { at: number; byVmid: Map<number, InstanceLabel> } = { at: 0, byVmid: new Map() };
  private readonly seenOps = new Set<string>();
  private readonly unsubscribe: () => void;
  private readonly onHttp: (message: unknown) => void;
  private readonly fill: () => Promise<void>;
  private instanceText = '';
  private readonly formatter = new InstanceSeriesFormatter();

  constructor(deps: ExporterDeps) {
    const r = this.registry;
    collectDefaultMetrics({ register: r, prefix: 'proxicloud_' });
    const g = (name: string, help: string, labelNames: readonly string[]) =>
      new Gauge({ name, help, labelNames: [...labelNames], registers: [r] });
    const c = (name: string, help: string, labelNames: readonly string[]) =>
      new Counter({ name, help, labelNames: [...labelNames], registers: [r] });

    const nodeUp = g('proxicloud_node_up', '1 when the node is online', ['node']);
    const nodeCpu = g('proxicloud_node_cpu_ratio', 'CPU use of the node (0–1)', ['node']);
    const nodeMem = g('proxicloud_node_memory_bytes', 'Memory in use on the node', ['node']);
    const nodeMemMax = g('proxicloud_node_memory_max_bytes', 'Memory of the node', ['node']);
    const nodeUptime = g('proxicloud_node_uptime_seconds', 'Node uptime', ['node']);
    const stUsed = g('proxicloud_storage_used_bytes', 'Storage pool used', ['node', 'storage']);
    const stSize = g('proxicloud_storage_size_bytes', 'Storage pool size', ['node', 'storage']);
    const volUsed = g('proxicloud_volume_used_bytes', 'Volume space used (where the storage reports it)', [
      'volume_id',
      'name',
      'node',
      'owner',
    ]);
    const volSize = g('proxicloud_volume_size_bytes', 'Volume size', ['volume_id', 'name', 'node', 'owner']);
    const bucketObjects = g('proxicloud_bucket_objects', 'Objects in the bucket', ['bucket', 'owner']);
    const bucketBytes = g('proxicloud_bucket_size_bytes', 'Bytes stored in the bucket', ['bucket', 'owner']);
    const collectorAge = g(
      'proxicloud_collector_last_pass_timestamp_seconds',
      'When the metrics collector last read /cluster/resources',
      [],
    );
    const collectorMs = g(
      'proxicloud_collector_pass_duration_seconds',
      'CPU time of the last collector pass',
      [],
    );
    const reconcilerAt = g(
      'proxicloud_reconciler_last_pass_timestamp_seconds',
      'When the instance reconciler last finished a pass',
      [],
    );
    const reconcilerLag = g(
      'proxicloud_reconciler_lag_seconds',
      'Seconds since the last reconciler pass',
      [],
    );

    // filled at scrape time, all in one place (one pass over the snapshot), before serialising
    const scraped = g('proxicloud_exporter_scrape_instances', 'Guests exported in this scrape', []);
    this.fill = async () => {
      const snap = deps.collector.latest;
      for (const m of [nodeUp, nodeCpu, nodeMem, nodeMemMax, nodeUptime, stUsed, stSize]) m.reset();
      for (const m of [volUsed, volSize, bucketObjects, bucketBytes]) m.reset();
      for (const { ref, sample } of deps.resources?.latestVolumes ?? []) {
        const l = { volume_id: ref.id, name: ref.name, node: ref.node, owner: ref.ownerId };
        if (sample.usedBytes !== null) volUsed.set(l, sample.usedBytes);
        if (sample.sizeBytes !== null) volSize.set(l, sample.sizeBytes);
      }
      for (const { usage } of deps.resources?.latestBuckets ?? []) {
        const l = { bucket: usage.name, owner: usage.ownerId };
        bucketObjects.set(l, usage.objectCount);
        bucketBytes.set(l, usage.sizeBytes);
      }
      const series = this.formatter.format(snap, snap ? await exporterLabels() : new Map());
      this.instanceText = series.text;
      scraped.set(series.count);
      if (!snap) return;
      for (const [node, e] of snap.nodes) {
        const online = e.status === 'online';
        nodeUp.set({ node }, online ? 1 : 0);
        nodeMemMax.set({ node }, Number(e.maxmem ?? 0));
        if (!online) continue;
        nodeCpu.set({ node }, Number(e.cpu ?? 0));
        nodeMem.set({ node }, Number(e.mem ?? 0));
        nodeUptime.set({ node }, Number(e.uptime ?? 0));
      }
      for (const e of snap.storages.values()) {
        const l = { node: e.node ?? '', storage: e.storage ?? '' };
        stUsed.set(l, Number(e.disk ?? 0));
        stSize.set(l, Number(e.maxdisk ?? 0));
      }
      const pass = deps.collector.lastPass;
      if (pass) {
        collectorAge.set(pass.at / 1000);
        collectorMs.set(pass.durationMs / 1000);
      }
      const rec = deps.reconciler();
      if (rec.lastPassAt !== null) {
        reconcilerAt.set(rec.lastPassAt / 1000);
        reconcilerLag.set(Math.max(0, (deps.now() - rec.lastPassAt) / 1000));
      }
    };
    const exporterLabels = async (): Promise<Map<number, InstanceLabel>> => {
      const now = deps.now();
      if (now - this.labels.at > 10_000 || this.labels.byVmid.size === 0) {
        const rows = await deps.instances();
        const old = this.labels.byVmid;
        const byVmid = new Map<number, InstanceLabel>();
        let same = true;
        for (const row of rows) {
          if (row.vmid === null) continue;
          const was = old.get(row.vmid);
          // unchanged rows keep their object (the formatter's label cache is keyed on it)
          if (was && was.id === row.id && was.name === row.name && was.ownerId === row.ownerId)
            byVmid.set(row.vmid, was);
          else {
            byVmid.set(row.vmid, row);
            same = false;
          }
        }
        // nothing changed: the same map, so the text formatted for this pass is still valid
        this.labels = { at: now, byVmid: same && byVmid.size === old.size ? old : byVmid };
      }
      return this.labels.byVmid;
    };

    // format the instance series right after each collector pass (off the request path): a scrape
    // then finds the text of the current pass ready (the formatter caches per snapshot)
    deps.collector.onPass(async () => {
      const snap = deps.collector.latest;
      try {
        if (snap) this.formatter.format(snap, await exporterLabels());
      } catch {
        // the scrape formats it then (and reports what failed)
      }
    });

    const requests = c('proxicloud_http_requests_total', 'API requests by route template and status', [
      'method',
      'route',
      'status',
    ]);
    const latency = new Histogram({
      name: 'proxicloud_http_request_duration_seconds',
      help: 'API request latency by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [r],
    });
    const s3Requests = c('proxicloud_s3_requests_total', 'S3 requests by method and status', [
      'method',
      'status',
    ]);
    const s3In = c('proxicloud_s3_received_bytes_total', 'S3 request bytes (uploads)', []);
    const s3Out = c('proxicloud_s3_sent_bytes_total', 'S3 response bytes (downloads)', []);
    this.onHttp = (message: unknown) => {
      const e = message as HttpResponseEvent;
      const status = String(e.status);
      if (e.mount === 'api') {
        if (e.route === '/metrics') return;
        requests.inc({ method: e.method, route: e.route, status });
        latency.observe({ method: e.method, route: e.route, status }, e.seconds);
      } else if (e.mount === '/s3' || e.mount === 's3-port') {
        s3Requests.inc({ method: e.method, status });
        s3In.inc(e.bytesIn);
        s3Out.inc(e.bytesOut);
      }
    };
    subscribe(httpResponses.name, this.onHttp);

    const ops = c('proxicloud_operations_total', 'Finished operations by action and outcome', [
      'action',
      'status',
    ]);
    this.unsubscribe = deps.bus.subscribe((event) => {
      if (event.resource !== 'operation') return;
      const op = event.data as { action?: string; status?: string };
      if (op.status !== 'succeeded' && op.status !== 'failed') return;
      const key = `${event.resourceId}:${op.status}`;
      if (this.seenOps.has(key)) return;
      if (this.seenOps.size > 10_000) this.seenOps.clear();
      this.seenOps.add(key);
      ops.inc({ action: String(op.action ?? 'unknown'), status: op.status });
    });
  }

  async metrics(): Promise<string> {
    await this.fill();
    return this.instanceText + (await this.registry.metrics());
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    this.unsubscribe();
    httpResponses.unsubscribe(this.onHttp);
  }
}
