import { changeDiff, diffValue } from "@/lib/audit/diff";

/**
 * An event's whole detail as the writer recorded it (pretty-printed JSON, which never holds a
 * secret), and, for a change, the changed fields before and after. Shared by the audit table's
 * open row and the event's own page.
 */
export function EventDetail({ id, detail }: { id: number; detail: Record<string, unknown> | null }) {
  const changes = changeDiff(detail);
  return (
    <div className="min-w-0 space-y-3">
      {changes.length > 0 && (
        <table className="w-full table-fixed border-collapse text-xs" data-testid="audit-diff">
          <caption className="mb-1 text-left text-xs font-medium text-slate-600">What changed</caption>
          <thead>
            <tr className="text-left text-slate-500">
              <th scope="col" className="w-1/4 border-b border-slate-200 py-1 pr-2 font-medium">Field</th>
              <th scope="col" className="border-b border-slate-200 px-2 py-1 font-medium">Before</th>
              <th scope="col" className="border-b border-slate-200 px-2 py-1 font-medium">After</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.field} className="align-top">
                <th scope="row" className="border-b border-slate-100 py-1 pr-2 text-left font-medium break-words text-slate-700">{c.field}</th>
                <td className="border-b border-slate-100 bg-red-50 px-2 py-1 font-mono break-all text-red-800">{diffValue(c.before)}</td>
                <td className="border-b border-slate-100 bg-emerald-50 px-2 py-1 font-mono break-all text-emerald-800">{diffValue(c.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {detail && Object.keys(detail).length > 0 ? (
        <figure className="min-w-0">
          <figcaption className="mb-1 text-xs font-medium text-slate-600" id={`audit-json-${id}`}>Detail as recorded</figcaption>
          <pre
            aria-labelledby={`audit-json-${id}`}
            tabIndex={0}
            data-testid="audit-detail-json"
            className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-white p-3 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap text-slate-800"
          >
            {JSON.stringify(detail, null, 2)}
          </pre>
        </figure>
      ) : (
        <p className="text-xs text-slate-500">No further detail was recorded.</p>
      )}
    </div>
  );
}
