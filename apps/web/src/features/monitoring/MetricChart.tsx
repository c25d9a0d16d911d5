// A time-series chart card (Recharts) shared by the instance Metrics tab and /monitoring/metrics:
// one or more lines, a tooltip with units that says "no sample" in gaps, the latest value in the heading.
import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Card, cx } from '../../components/index.ts';
import {
  formatBinary,
  formatPercent,
  formatPointTime,
  formatRate,
  rateTicks,
  type Timeframe,
  timeTickFormatter,
} from '../instances/metrics.ts';

/** A row of the chart: epoch-ms `t` and nullable values (null leaves a gap). */
export type Row = { t: number };

export interface Series<R extends Row> {
  key: keyof R & string;
  name: string;
  /** Tailwind-free colours that read on the light and the dark theme. */
  color: string;
}

export interface ChartSpec<R extends Row> {
  title: string;
  series: Series<R>[];
  /** percent: 0–100 %; rate: bytes per second; bytes: a size (volumes, buckets); number: a plain value (load average, objects). */
  kind: 'percent' | 'rate' | 'bytes' | 'number';
  /** Extra text per point in the tooltip (memory: "460 MiB of 1 GiB"). */
  detail?: (row: R) => string | null;
}

const pointValue = <R extends Row>(row: R, key: keyof R): number | null => {
  const v = row[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

function latestOf<R extends Row>(rows: readonly R[], key: keyof R): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const v = pointValue(rows[i]!, key);
    if (v !== null) return v;
  }
  return null;
}

function numberTicks(max: number): number[] {
  const top = max > 0 ? Math.ceil(max * 1.1 * 10) / 10 : 1;
  return [0, top / 4, top / 2, (3 * top) / 4, top].map((v) => Number(v.toFixed(2)));
}

const formatValue = (kind: ChartSpec<Row>['kind'], v: number) =>
  kind === 'percent'
    ? formatPercent(v)
    : kind === 'rate'
      ? formatRate(v)
      : kind === 'bytes'
        ? formatBinary(v)
        : String(Number(v.toFixed(2)));

function ChartTooltip<R extends Row>({
  active,
  label,
  rows,
  spec,
}: {
  active?: boolean;
  label?: unknown;
  rows: readonly R[];
  spec: ChartSpec<R>;
}) {
  // Looked up by time, not from the payload: a point without samples (a gap) has an empty payload
  // and should still say so.
  const row = active && typeof label === 'number' ? rows.find((r) => r.t === label) : undefined;
  if (!row) return null;
  const detail = spec.detail ? spec.detail(row) : null;
  return (
    <div className="rounded-md border border-line bg-panel px-3 py-2 text-xs text-fg shadow-md">
      <p className="mb-1 font-medium">{formatPointTime(row.t)}</p>
      <ul className="flex flex-col gap-0.5">
        {spec.series.map((s) => {
          const v = pointValue(row, s.key);
          return (
            <li key={s.key} className="flex items-center gap-2">
              <span aria-hidden="true" className="size-2 rounded-full" style={{ background: s.color }} />
              <span className="text-muted">{s.name}</span>
              <span className="ml-auto pl-3 font-medium tabular-nums">
                {v === null ? 'no sample' : formatValue(spec.kind, v)}
              </span>
            </li>
          );
        })}
      </ul>
      {detail ? <p className="mt-1 text-muted">{detail}</p> : null}
    </div>
  );
}

export function MetricChart<R extends Row>({
  spec,
  rows,
  timeframe,
}: {
  spec: ChartSpec<R>;
  rows: R[];
  timeframe: Timeframe;
}) {
  const tick = useMemo(() => timeTickFormatter(timeframe), [timeframe]);
  const max = useMemo(
    () => Math.max(0, ...rows.flatMap((r) => spec.series.map((s) => pointValue(r, s.key) ?? 0))),
    [rows, spec],
  );
  const yTicks =
    spec.kind === 'percent'
      ? [0, 25, 50, 75, 100]
      : spec.kind === 'rate' || spec.kind === 'bytes'
        ? rateTicks(max)
        : numberTicks(max);
  const yTop = yTicks[yTicks.length - 1] ?? 100;
  const now = spec.series.map((s) => {
    const v = latestOf(rows, s.key);
    return { ...s, text: v === null ? '—' : formatValue(spec.kind, v) };
  });
  return (
    <Card
      title={spec.title}
      actions={
        <span className="flex flex-wrap justify-end gap-x-3 text-xs text-muted">
          {now.map((s) => (
            <span key={s.key} className="inline-flex items-center gap-1.5 whitespace-nowrap">
              <span aria-hidden="true" className="size-2 rounded-full" style={{ background: s.color }} />
              {spec.series.length > 1 ? `${s.name} ` : 'Latest '}
              <span className="font-medium text-fg tabular-nums">{s.text}</span>
            </span>
          ))}
        </span>
      }
    >
      <figure aria-label={`${spec.title} over the last ${timeframe}`} className="h-48 w-full min-w-0">
        <ResponsiveContainer
          width="100%"
          height="100%"
          minWidth={0}
          initialDimension={{ width: 320, height: 192 }}
        >
          <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--pc-border)" strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              tickFormatter={tick}
              tick={{ fill: 'var(--pc-muted)', fontSize: 11 }}
              stroke="var(--pc-border)"
              minTickGap={24}
            />
            <YAxis
              domain={[0, yTop]}
              ticks={yTicks}
              // A no-break space: recharts wraps tick text at spaces when it is wider than the axis.
              tickFormatter={(v: number) =>
                (spec.kind === 'percent'
                  ? `${v} %`
                  : spec.kind === 'rate'
                    ? formatRate(v)
                    : spec.kind === 'bytes'
                      ? formatBinary(v)
                      : String(v)
                ).replace(' ', '\u00a0')
              }
              tick={{ fill: 'var(--pc-muted)', fontSize: 11 }}
              stroke="var(--pc-border)"
              width={spec.kind === 'rate' || spec.kind === 'bytes' ? 76 : 48}
              allowDataOverflow={spec.kind === 'percent'}
            />
            <Tooltip
              content={(props) => (
                <ChartTooltip active={props.active} label={props.label} rows={rows} spec={spec} />
              )}
              cursor={{ stroke: 'var(--pc-border-strong)' }}
              // Keep points without a sample, so hovering a gap says "no sample" instead of nothing.
              filterNull={false}
              isAnimationActive={false}
            />
            {spec.series.map((s) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.name}
                type="monotone"
                stroke={s.color}
                strokeWidth={1.75}
                dot={false}
                activeDot={{ r: 3 }}
                // A null is a minute without a sample (the guest was stopped): leave a gap.
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
    </Card>
  );
}

/** Native radios styled as a segmented control (arrow keys move; screen readers announce "Period, 1 day, 3 of 5"). */
export function SegmentedPicker<T extends string>({
  legend,
  name,
  values,
  labels,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  values: readonly T[];
  labels: Record<T, string>;
  value: T;
  onChange: (v: T) => void;
}) {
  return (
    <fieldset className="inline-flex rounded-md border border-line bg-panel p-0.5 shadow-sm">
      <legend className="sr-only">{legend}</legend>
      {values.map((t) => (
        <label
          key={t}
          className={cx(
            'cursor-pointer rounded px-2.5 py-1 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring sm:px-3',
            value === t ? 'bg-nav-active text-nav-active-fg' : 'text-muted hover:text-fg',
          )}
        >
          <input
            type="radio"
            name={name}
            value={t}
            checked={value === t}
            onChange={() => onChange(t)}
            className="sr-only"
          />
          {labels[t]}
        </label>
      ))}
    </fieldset>
  );
}
