/**
 * The plan's `--diagram` options (tools/preview/cli.ts wires them in):
 *
 *   --diagram <file>            .svg, .mmd (Mermaid) or .dot (Graphviz)
 *   --diagram-focus <a[,b]>     only these services and their neighbours
 *   --diagram-depth <n>         how many consumer edges away (default 1)
 *   --diagram-detail <d>        full | compact | auto (default auto: compact above 30 services)
 */
import { Detail } from "./diagram";
import { describeDiagram, writeDiagram } from "./render";
import type { DiagramRecord } from "./diagram";

export interface DiagramCliOptions {
    file: string;
    focus?: string[];
    depth?: number;
    detail?: Detail | "auto";
}

export { DIAGRAM_USAGE } from "../preview/usage";

/**
 * Takes a `--diagram*` flag into `opts` (created on first use); returns false
 * for any other flag. Throws a message for a bad value.
 */
export function parseDiagramFlag(flag: string, value: () => string, holder: { diagram?: DiagramCliOptions }): boolean {
    if (!flag.startsWith("--diagram")) return false;
    const d = (holder.diagram ??= { file: "" });
    switch (flag) {
        case "--diagram":
            d.file = value();
            return true;
        case "--diagram-focus":
            d.focus = [...(d.focus ?? []), ...value().split(",").map(s => s.trim()).filter(Boolean)];
            return true;
        case "--diagram-depth": {
            const v = value();
            const n = Number(v);
            if (!Number.isInteger(n) || n < 0) throw new Error(`--diagram-depth is a whole number of edges (0, 1, 2, ...), not '${v}'`);
            d.depth = n;
            return true;
        }
        case "--diagram-detail": {
            const v = value();
            if (v !== "full" && v !== "compact" && v !== "auto") throw new Error(`--diagram-detail is full, compact or auto, not '${v}'`);
            d.detail = v;
            return true;
        }
        default:
            return false;
    }
}

/** Checks the options once parsing is done; a message, or undefined when they are fine. */
export function diagramUsageProblem(d: DiagramCliOptions | undefined): string | undefined {
    if (!d) return undefined;
    if (!d.file) return "--diagram-focus, --diagram-depth and --diagram-detail need --diagram <file>";
    if (!/\.(svg|mmd|mermaid|dot|gv)$/i.test(d.file)) return `--diagram ${d.file}: the file name must end in .svg, .mmd (Mermaid) or .dot (Graphviz)`;
    return undefined;
}

/** Draws the plan into the file; returns the line to print. */
export async function runDiagram(
    d: DiagramCliOptions,
    plan: { stack: string; project: string; resources: DiagramRecord[] },
    stackConfig: Record<string, unknown> | undefined,
): Promise<string> {
    const written = await writeDiagram(d.file, plan.resources, {
        title: `${plan.project} / ${plan.stack}${d.focus?.length ? ` (around ${d.focus.join(", ")})` : ""}`,
        stackConfig,
        focus: d.focus,
        depth: d.depth,
        detail: d.detail,
    });
    return describeDiagram(written);
}
