/**
 * The plan diff of one stack as a record (what `--json` prints under
 * `diff`, and what the text and the pull-request comment render), and how
 * much of a changed resource both renderings show.
 */
import type { BasePlanResult } from "./base-plan";
import type { PlanDiff } from "./diff";

export interface PlanDiffReport {
    stack: string;
    mode: string;
    base: Omit<BasePlanResult, "plan" | "stderr" | "stackConfig" | "exitCode" | "projectDir" | "stackMissing">;
    /** The stack has no stack file at the base: everything in it is added. */
    newStack?: boolean;
    /** Set when the base could not be planned; then `diff` is absent. */
    error?: string;
    diff?: PlanDiff;
    priceTableDate?: string;
}

/** How many property paths are shown per changed resource in text and comments. */
export const MAX_PATHS = 8;
