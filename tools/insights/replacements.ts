/**
 * Which property changes force AWS to replace a resource.
 *
 * `@pulumi/aws` ships no provider schema, so nothing offline can ask the
 * provider. It is bridged from hashicorp/terraform-provider-aws, and a
 * Terraform attribute marked `ForceNew` (or `RequiresReplace()`) is replaced
 * by `pulumi up` too. policies/facts/force-new.json holds those attributes for
 * every resource type the platform declares, extracted from the provider's
 * schema by tools/facts/extract-force-new.ts (its `source` names the
 * revision, and whether it is the one the pinned @pulumi/aws release records
 * as its upstream); types not bridged from Terraform are listed there with why their
 * replacements are not known offline. A change not covered is reported as a
 * changed property, never as a replacement.
 */
import type { ForceNewData } from "../facts/extract-force-new";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON data file, read once
export const FORCE_NEW: ForceNewData = require("../../policies/facts/force-new.json") as ForceNewData;

export interface ReplacementRule {
    /** Pulumi resource type token, e.g. `aws:ec2/vpc:Vpc`. */
    type: string;
    /** Input property path, dotted through nested blocks (`healthCheck.port`). */
    property: string;
    /** Where the replacement comes from. */
    source: string;
}

/**
 * Where a claimed replacement comes from: the provider revision and whether it
 * is the one the pinned @pulumi/aws bridges (read from that release's
 * `upstream` submodule) or a revision given by hand.
 */
export function sourceLabel(data: ForceNewData): string {
    const s = data.source;
    const which = s.bridgedBy ? `as pulumi-aws ${s.bridgedBy.tag} bridges it` : `not checked to be what @pulumi/aws ${data.pulumiAws} bridges`;
    return `${s.repository} ${s.version} (${(s.commit ?? s.revision).slice(0, 12)}; ${which})`;
}

const SOURCE = sourceLabel(FORCE_NEW);

/** Every (type, property) the provider's schema replaces on. */
export const REPLACEMENT_RULES: readonly ReplacementRule[] = Object.entries(FORCE_NEW.resources).flatMap(([type, row]) =>
    row.forceNew.map(property => ({ type, property, source: `${SOURCE} ${row.file} (${row.terraform}): ForceNew` })),
);

export interface ReplacementReason {
    property: string;
    source: string;
}

const index = new Map<string, ReplacementRule[]>();
for (const r of REPLACEMENT_RULES) {
    index.set(r.type, [...(index.get(r.type) ?? []), r]);
}

/** A change path without list positions or keyed entries: `ingress[0].fromPort` -> `ingress.fromPort`. */
export function schemaPath(path: string): string {
    return path.replace(/\[[^\]]*\]/g, "");
}

/** The top-level property of a change path: `ingress[0].fromPort` -> `ingress`. */
export function topProperty(path: string): string {
    const m = /^[^.[]+/.exec(path);
    return m ? m[0] : path;
}

/**
 * The reasons a resource of `type` whose `changedPaths` differ is replaced:
 * a changed path at or under a ForceNew attribute, or a whole block changed
 * that holds one (the block was added, removed or rewritten); and the
 * resource's own `replaceOnChanges` option (Pulumi replaces on those
 * properties by definition).
 */
export function replacementReasons(type: string, changedPaths: string[], replaceOnChanges: string[] = []): ReplacementReason[] {
    const reasons: ReplacementReason[] = [];
    const seen = new Set<string>();
    const rules = index.get(type) ?? [];
    for (const p of changedPaths) {
        const path = schemaPath(p);
        const top = topProperty(p);
        const rule = rules.find(r => path === r.property || path.startsWith(`${r.property}.`) || r.property.startsWith(`${path}.`));
        if (rule) {
            if (!seen.has(rule.property)) reasons.push({ property: rule.property, source: rule.source });
            seen.add(rule.property);
        } else if (!seen.has(top) && (replaceOnChanges.includes("*") || replaceOnChanges.some(r => r === top || p === r || p.startsWith(`${r}.`) || p.startsWith(`${r}[`)))) {
            reasons.push({ property: top, source: "the resource's replaceOnChanges option" });
            seen.add(top);
        }
    }
    return reasons;
}
