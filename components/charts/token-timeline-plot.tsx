"use client";
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis, type BarShapeProps, type TooltipContentProps } from "recharts";
import type { TimelineMarker } from "@/lib/charts/types";
import { dateTimeText, zoneName } from "@/components/ui/local-time";
import { AXIS, GRID_STROKE, Swatch, TooltipBox, timeTick } from "./chart-parts";
import { timeTicks } from "./time-ticks";
import { auditEventHref } from "@/lib/audit/event-href";
import { MARKER_KINDS, MIN_MARK_PX, spreadInstants, type LifeRow } from "./token-timeline-rows";

// Recharts' part of the token timeline, loaded after first paint (see ChartFrame).

/** A life's bar: solid while it was (or is) the token, lighter and dashed for validity still ahead. */
function LifeShape(props: BarShapeProps) {
  const { x, y, height, payload } = props;
  const row = payload as LifeRow;
  const width = Math.max(props.width, MIN_MARK_PX);
  const span = row.end - row.start;
  const solid = span > 0 ? Math.max(MIN_MARK_PX, (width * (row.solidEnd - row.start)) / span) : width;
  return (
    <g>
      <rect x={x} y={y} width={solid} height={height} rx={2} fill={row.color} />
      {solid < width - 1 && (
        <rect x={x + solid} y={y + 0.5} width={width - solid} height={height - 1} fill={row.color} fillOpacity={0.15} stroke={row.color} strokeDasharray="4 3" />
      )}
    </g>
  );
}

function LifeTooltip({ active, payload }: TooltipContentProps) {
  const row = payload?.[0]?.payload as LifeRow | undefined;
  if (!active || !row) return null;
  const { life } = row;
  return (
    <TooltipBox title={row.label}>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
        <dt className="text-slate-500">Minted</dt>
        <dd>{dateTimeText(life.mintedAt, true)}</dd>
        <dt className="text-slate-500">Expires</dt>
        <dd>{life.expiresAt === null ? "unknown" : dateTimeText(life.expiresAt, true)}</dd>
        <dt className="text-slate-500">{row.endAt === null ? "Status" : "Ended"}</dt>
        <dd>
          <Swatch color={row.color} />
          {row.endAt === null ? row.reasonText : `${dateTimeText(row.endAt, true)} · ${row.reasonText}`}
        </dd>
        <dt className="text-slate-500">Token</dt>
        <dd className="font-mono">{life.last4 ? `••••${life.last4}` : "—"}</dd>
      </dl>
    </TooltipBox>
  );
}

type Hover = { marker: TimelineMarker; x: number; y: number; flip: boolean };
type LineEnds = { x1?: number; y1?: number; x2?: number; y2?: number };

/** A marker: a dashed line with a flag above the plot; hovering shows the event, a click opens it (keyboard users have the table's links). */
function MarkerFlag({
  x1,
  y1,
  y2,
  marker,
  onHover,
  onOpen,
}: LineEnds & { marker: TimelineMarker; onHover: (m: TimelineMarker | null, x?: number, y?: number) => void; onOpen: (m: TimelineMarker) => void }) {
  const x = x1 ?? 0;
  const top = Math.min(y1 ?? 0, y2 ?? 0);
  const bottom = Math.max(y1 ?? 0, y2 ?? 0);
  const color = MARKER_KINDS[marker.kind]?.color ?? "#64748b";
  return (
    <g onMouseEnter={() => onHover(marker, x, top)} onMouseLeave={() => onHover(null)} onClick={() => onOpen(marker)} cursor="pointer" data-marker-id={marker.id}>
      <line x1={x} x2={x} y1={top} y2={bottom} stroke={color} strokeWidth={1.5} strokeDasharray="2 3" />
      <line x1={x} x2={x} y1={top - 12} y2={bottom} stroke="transparent" strokeWidth={10} />
      <path d={`M${x - 5},${top - 11} L${x + 5},${top - 11} L${x},${top - 2} Z`} fill={color} stroke="#fff" strokeWidth={1} />
      <title>{`${marker.label} (${marker.actor}): click to open the event`}</title>
    </g>
  );
}

/** "now", drawn left of its line and inside the plot, so the box's edge never cuts it. */
function NowLabel({ viewBox }: { viewBox?: { x?: number; y?: number } }) {
  const x = viewBox?.x ?? 0;
  const y = viewBox?.y ?? 0;
  return (
    <text x={x - 4} y={y + 11} textAnchor="end" fontSize={10} fill="#334155" data-now-label>
      now
    </text>
  );
}

/** Left and right margins and the label column: what the plot's width leaves for the time axis. */
const Y_AXIS_PX = 160;
const MARGIN = { top: 18, right: 16, bottom: 14, left: 4 };
/** Marks closer than this on screen are drawn apart. */
const MARK_GAP_PX = 8;

/** The lives as horizontal bars on a time axis, with "now" and the event markers. */
export function TokenTimelinePlot({ rows, markers, domain, now }: { rows: LifeRow[]; markers: TimelineMarker[]; domain: [number, number]; now: number }) {
  const wrapper = useRef<HTMLDivElement>(null);
  const router = useRouter();
  const [hover, setHover] = useState<Hover | null>(null);
  const [width, setWidth] = useState(0);
  const plotPx = Math.max(100, width - Y_AXIS_PX - MARGIN.left - MARGIN.right);
  const drawAt = spreadInstants(
    markers.map((m) => m.at),
    ((domain[1] - domain[0]) * MARK_GAP_PX) / plotPx,
  );
  const onOpen = (m: TimelineMarker) => router.push(auditEventHref(m.id));
  const tick = timeTick(domain[1] - domain[0]);
  const onHover = (m: TimelineMarker | null, x = 0, y = 0) =>
    setHover(m && { marker: m, x, y, flip: x > (wrapper.current?.offsetWidth ?? 0) * 0.6 });
  return (
    <div ref={wrapper} className="relative h-full">
      <ResponsiveContainer width="100%" height="100%" onResize={(w) => setWidth(w)}>
        <BarChart accessibilityLayer={false} data={rows} layout="vertical" margin={MARGIN} barCategoryGap={6}>
          <CartesianGrid horizontal={false} stroke={GRID_STROKE} />
          <XAxis
            type="number"
            domain={domain}
            allowDataOverflow
            ticks={timeTicks(domain[0], domain[1])}
            tickFormatter={tick}
            tick={AXIS.tick}
            stroke={AXIS.stroke}
            label={{ value: `Time (${zoneName(domain[1])})`, position: "insideBottomRight", offset: -10, fontSize: 10, fill: "#64748b" }}
          />
          <YAxis type="category" dataKey="label" width={Y_AXIS_PX} interval={0} tick={{ ...AXIS.tick, width: 400 }} stroke={AXIS.stroke} tickLine={false} />
          <Tooltip content={LifeTooltip} active={hover ? false : undefined} cursor={{ fill: "#f1f5f9" }} isAnimationActive={false} />
          <Bar dataKey="span" name="Token life" shape={LifeShape} maxBarSize={18} isAnimationActive={false} />
          <ReferenceLine x={now} stroke="#334155" strokeDasharray="3 3" label={<NowLabel />} />
          {markers.map((m, i) => (
            <ReferenceLine
              key={m.id}
              x={Math.min(drawAt[i], domain[1])}
              ifOverflow="discard"
              shape={(p: LineEnds) => <MarkerFlag {...p} marker={m} onHover={onHover} onOpen={onOpen} />}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
      {hover && (
        <div
          className="pointer-events-none absolute z-10"
          style={{ left: hover.x + (hover.flip ? -8 : 8), top: hover.y, transform: hover.flip ? "translateX(-100%)" : undefined }}
        >
          <TooltipBox title={MARKER_KINDS[hover.marker.kind]?.name ?? hover.marker.kind}>
            <p>{hover.marker.label}</p>
            <p className="text-slate-500">
              {dateTimeText(hover.marker.at, true)} · {hover.marker.actor}
            </p>
          </TooltipBox>
        </div>
      )}
    </div>
  );
}
