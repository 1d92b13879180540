/**
 * Records <-> the analyzer protocol's protobuf messages, as the engine sends
 * them: unknowns as the engine's sentinel string, options, parent,
 * dependencies and property dependencies.
 */
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ResourceRecord, reviveUnknowns, Violation } from "../evaluate";

function options(r: ResourceRecord, withParent: boolean): analyzerpb.AnalyzerResourceOptions {
    const o = new analyzerpb.AnalyzerResourceOptions();
    o.setProtect(!!r.options?.protect);
    o.setIgnorechangesList(r.options?.ignoreChanges ?? []);
    o.setAliasesList([]);
    o.setAdditionalsecretoutputsList([]);
    if (typeof r.options?.deleteBeforeReplace === "boolean") {
        o.setDeletebeforereplacedefined(true);
        o.setDeletebeforereplace(r.options.deleteBeforeReplace);
    }
    if (withParent && r.parent) {
        o.setParent(r.parent);
    }
    return o;
}

function struct(v: Record<string, unknown> | undefined): Struct {
    return Struct.fromJavaScript(reviveUnknowns(v ?? {}) as Record<string, never>);
}

export function analyzeRequest(r: ResourceRecord): analyzerpb.AnalyzeRequest {
    const req = new analyzerpb.AnalyzeRequest();
    req.setType(r.type);
    req.setUrn(r.urn);
    req.setName(r.name);
    req.setProperties(struct(r.inputs));
    req.setOptions(options(r, true));
    return req;
}

export function analyzeStackRequest(records: ResourceRecord[], props: (r: ResourceRecord) => Record<string, unknown> | undefined): analyzerpb.AnalyzeStackRequest {
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList(
        records.map((r) => {
            const ar = new analyzerpb.AnalyzerResource();
            ar.setType(r.type);
            ar.setUrn(r.urn);
            ar.setName(r.name);
            ar.setProperties(struct(props(r)));
            ar.setOptions(options(r, false));
            if (r.parent) {
                ar.setParent(r.parent);
            }
            ar.setDependenciesList(r.dependencies ?? []);
            const m = ar.getPropertydependenciesMap();
            for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                const d = new analyzerpb.AnalyzerPropertyDependencies();
                d.setUrnsList(urns);
                m.set(k, d);
            }
            return ar;
        }),
    );
    return req;
}

const LEVELS: Record<number, Violation["enforcementLevel"]> = {
    [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
    [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
};

/** Diagnostics as evaluate reports them (a diagnostic without URN on Analyze belongs to the analyzed resource). */
export function diagnostics(resp: analyzerpb.AnalyzeResponse, defaultUrn: string | null): Pick<Violation, "policy" | "enforcementLevel" | "urn" | "message">[] {
    return resp.getDiagnosticsList().map((d) => ({
        policy: d.getPolicyname(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()],
        urn: d.getUrn() || defaultUrn,
        message: d.getMessage(),
    }));
}
