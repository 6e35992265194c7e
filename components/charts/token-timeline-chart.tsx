"use client";
import { lazy } from "react";
import type { TimelineMarker, TokenTimelineDto } from "@/lib/charts/types";
import { ChartFrame } from "./chart-frame";
import { Swatch, plural } from "./chart-parts";
import { TokenTimelineTable } from "./token-timeline-table";
import { END_LEGEND, MARKER_KINDS, lifeRows, timelineDomain } from "./token-timeline-rows";

// Recharts draws after first paint, in the frame's placeholder: it stays out of the page's first load.
const TokenTimelinePlot = lazy(() => import("./token-timeline-plot").then((m) => ({ default: m.TokenTimelinePlot })));

const ROW_PX = 28;
const AXIS_PX = 64;

function Legend({ markers }: { markers: TimelineMarker[] }) {
  const kinds = [...new Set(markers.map((m) => m.kind))];
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1" aria-label="Legend">
      {END_LEGEND.map((e) => (
        <li key={e.label}>
          <Swatch color={e.color} />
          {e.label}
        </li>
      ))}
      <li>
        <Swatch color="#059669" dashed />
        Still valid ahead
      </li>
      {kinds.map((k) => (
        <li key={k}>
          <span aria-hidden className="mr-1.5 font-bold" style={{ color: MARKER_KINDS[k]?.color }}>▼</span>
          {MARKER_KINDS[k]?.name ?? k}
        </li>
      ))}
    </ul>
  );
}

/** Each access token's life as a bar from mint to end, with the events that marked them. */
export function TokenTimelineChart({ data }: { data: TokenTimelineDto }) {
  const now = data.generatedAt;
  const rows = lifeRows(data, now);
  const height = rows.length ? rows.length * ROW_PX + AXIS_PX : 160;
  const domain = rows.length ? timelineDomain(rows, now) : ([now - 3_600_000, now] as [number, number]);
  const current = rows.find((r) => r.reasonCode === "current");
  const summary =
    `Token timeline of ${plural(rows.length, "access token")}` +
    (current ? `; the current one is ${current.label}` : "; none is current") +
    (data.markers.length ? `, with ${plural(data.markers.length, "event")} marked` : "");

  return (
    <ChartFrame
      title="Token timeline"
      description="Each access token from mint to end, coloured by how it ended; markers show events."
      summary={summary}
      empty={rows.length === 0}
      emptyMessage="No access token has been minted for this connection yet."
      height={height}
      note={
        rows.length > 0 && (
          <div className="space-y-1">
            {data.total > rows.length && <p>Showing the latest {rows.length} of {data.total} tokens.</p>}
            <Legend markers={data.markers} />
          </div>
        )
      }
      table={<TokenTimelineTable rows={rows} markers={data.markers} />}
      testId="token-timeline"
    >
      <TokenTimelinePlot rows={rows} markers={data.markers} domain={domain} now={now} />
    </ChartFrame>
  );
}
