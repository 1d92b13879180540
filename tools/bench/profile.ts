/**
 * `npm run bench -- --profile [services]`: where the CPU of one offline plan
 * goes. Plans a synthetic Fargate catalog (200 services by default) once,
 * exactly as `npm run bench -- --peer` measures it (child.js platform-once:
 * the program, then the policy pack), under V8's sampling profiler
 * (`node --cpu-prof`), and prints the share of samples by where the code
 * lives (a package, a folder of the project, Node itself, the garbage
 * collector), then the functions with the most self time.
 */
import * as path from "path";

/** The parts of a `.cpuprofile` (Chrome DevTools protocol, Profiler.Profile) this reads. */
export interface CpuProfile {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
    samples: number[];
}

export interface ProfileShare {
    where: string;
    share: number;
}

/** Where a sampled frame's code lives: `@scope/pkg` or `pkg` under node_modules, `project: <dir>/<sub>` in the project, `node:…` or a V8 pseudo-frame. */
export function placeOf(url: string, functionName: string, projectDir: string): string {
    if (url === "") return functionName.startsWith("(") ? functionName : `(native) ${functionName}`;
    const file = url.startsWith("file://") ? decodeURIComponent(url.slice("file://".length)) : url;
    const nm = file.lastIndexOf("/node_modules/");
    if (nm >= 0) {
        const parts = file.slice(nm + "/node_modules/".length).split("/");
        return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
    }
    if (file.startsWith(projectDir + path.sep)) {
        const parts = path.relative(projectDir, file).split(path.sep);
        return `project: ${parts.slice(0, Math.min(2, parts.length - 1) || 1).join("/")}`;
    }
    return file.startsWith("node:") ? file.split("/")[0] : `node: ${file}`;
}

/** Self-time shares by place and by function, largest first. */
export function summarise(profile: CpuProfile, projectDir: string): { places: ProfileShare[]; functions: ProfileShare[]; samples: number } {
    const byId = new Map(profile.nodes.map(n => [n.id, n]));
    const places = new Map<string, number>();
    const functions = new Map<string, number>();
    for (const id of profile.samples) {
        const frame = byId.get(id)?.callFrame;
        if (!frame) continue;
        const place = placeOf(frame.url, frame.functionName, projectDir);
        places.set(place, (places.get(place) ?? 0) + 1);
        const fn = `${frame.functionName || "(anonymous)"} (${place})`;
        functions.set(fn, (functions.get(fn) ?? 0) + 1);
    }
    const total = profile.samples.length;
    const sorted = (m: Map<string, number>) => [...m].map(([where, n]) => ({ where, share: n / total })).sort((a, b) => b.share - a.share || a.where.localeCompare(b.where));
    return { places: sorted(places), functions: sorted(functions), samples: total };
}

/** The Markdown tables `npm run bench -- --profile` prints. */
export function profileTables(s: ReturnType<typeof summarise>, top = 12): string {
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    return [
        `${s.samples} samples.`,
        "",
        "| where | share of CPU samples |",
        "| --- | ---: |",
        ...s.places.slice(0, top).map(p => `| ${p.where} | ${pct(p.share)} |`),
        "",
        "| function (self time) | share |",
        "| --- | ---: |",
        ...s.functions.slice(0, top).map(p => `| ${p.where.replace(/\|/g, "\\|")} | ${pct(p.share)} |`),
    ].join("\n");
}
