/**
 * A planned resource as the offline preview records it (tools/preview
 * monitor.ts writes it; `npm run plan -- --json` prints it under
 * `resources`). The one record shape of the project: the pack's offline
 * entry point (policies/evaluate.ts), the quota table, the reachability
 * model, the diagram, the cost estimate, the plan diff and the environment
 * plan all take these. Values are display forms: "<unknown>" for a value
 * unknown in preview, "[secret]" for a hidden secret.
 *
 * Only `urn`, `type` and `name` are required, so a test can write a record
 * by hand; the recording monitor fills every field (`CompleteRecord`).
 */
export interface PlanRecord {
    urn: string;
    type: string;
    name: string;
    /** URN of the parent; null only for the root stack. */
    parent?: string | null;
    custom?: boolean;
    /** True for a multi-language component (awsx, eks) answered as one resource. */
    remote?: boolean;
    /** "create" for registered resources, "read" for `Resource.get` reads (the engine runs no resource policy on them). */
    op?: "create" | "read";
    /** The id, "<unknown>" in a preview, null for components. */
    id?: string | null;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    /** URNs the resource depends on (`dependsOn` and every property's dependencies). */
    dependencies?: string[];
    /** Property name -> URNs its value depends on (known in preview, unlike ids). */
    propertyDependencies?: Record<string, string[]>;
    options?: PlanRecordOptions;
}

/** The resource options the engine receives. */
export interface PlanRecordOptions {
    protect?: boolean;
    retainOnDelete?: boolean;
    deleteBeforeReplace?: boolean;
    /** Alias URNs, or alias specs {name, type, stack, project, parentUrn, noParent}. */
    aliases?: Array<string | Record<string, unknown>>;
    ignoreChanges?: string[];
    /** URN of the explicit provider, or null for the default provider. */
    provider?: string | null;
    replaceOnChanges?: string[];
    additionalSecretOutputs?: string[];
    deletedWith?: string | null;
    import?: string | null;
    /** URNs this resource is replaced with (the `replaceWith` option): the engine replaces it whenever one of them is replaced. */
    replaceWith?: string[];
    /** The `replacementTrigger` option's value: the engine replaces the resource when it changes. */
    replacementTrigger?: unknown;
}

/** Options the monitor records only when the program sets them. */
type SetOnly = "replaceWith" | "replacementTrigger";

/** A record as the recording monitor writes it: every field present. */
export type CompleteRecord = Required<PlanRecord> & { options: Required<Omit<PlanRecordOptions, SetOnly>> & Pick<PlanRecordOptions, SetOnly> };

/** How the engine shows a resource's properties to a stack policy: after `up` outputs over inputs; in preview inputs over outputs. */
export type PlanMode = "preview" | "up";
