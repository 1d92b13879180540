/**
 * What the offline preview loads from the project besides its program: the
 * policy pack's offline entry point (`policies/evaluate.ts`: `evaluate`,
 * `quotaReport`, `reachability`, `renderReachability`). A light module, so the
 * environment plan's worker threads load the same hooks as the CLI without
 * the CLI's other modules.
 */
import * as fs from "fs";
import * as path from "path";
import type { AnalyzeReachability, EvaluatePolicies, QuotaReport } from "./index";

/** The policy pack's offline entry point, `policies/evaluate.ts`, if the project has one. */
export function loadPolicyEvaluator(projectDir: string): EvaluatePolicies | undefined {
    const mod = loadEvaluateModule(projectDir);
    if (!mod) return undefined;
    if (typeof mod.evaluate !== "function") throw new Error(`${path.join(projectDir, "policies", "evaluate")} does not export a function 'evaluate'`);
    return mod.evaluate;
}

/** The quota counter the same module exports as `quotaReport`, if any. */
export function loadQuotaReport(projectDir: string): QuotaReport | undefined {
    const q = loadEvaluateModule(projectDir)?.quotaReport;
    return typeof q === "function" ? q : undefined;
}

function loadEvaluateModule(projectDir: string): { evaluate?: EvaluatePolicies; quotaReport?: QuotaReport } | undefined {
    const base = path.join(projectDir, "policies", "evaluate");
    if (![".ts", ".js"].some(ext => fs.existsSync(base + ext))) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(base) as { evaluate?: EvaluatePolicies; quotaReport?: QuotaReport };
}

/** The project's reachability analysis and its text renderer (policies/evaluate.ts), if it has them. */
export function loadReachability(projectDir: string): { analyze: AnalyzeReachability; render: (report: unknown) => string[] } | undefined {
    const base = path.join(projectDir, "policies", "evaluate");
    if (![".ts", ".js"].some(ext => fs.existsSync(base + ext))) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(base) as { reachability?: AnalyzeReachability; renderReachability?: (report: unknown) => string[] };
    return typeof mod.reachability === "function" && typeof mod.renderReachability === "function"
        ? { analyze: mod.reachability, render: mod.renderReachability }
        : undefined;
}

