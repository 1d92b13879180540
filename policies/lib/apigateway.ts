import { PolicyResource } from "@pulumi/policy";
import { PLATFORM_COMPONENT } from "./allowed-types";
import { FRONT_DOOR_COMPONENT } from "./front-door";
import { StackIndex } from "./graph";
import { bool, get, num, peek, str, UNKNOWN } from "./values";

/**
 * What the front-door rules share: the API Gateway (REST, v1) and WAF type
 * tokens, and how a stage's companions (method settings, WAF association,
 * usage plans, access-log group) are found from it by URN, so the rules
 * decide during preview. Sources: the Amazon API Gateway developer guide and
 * the @pulumi/aws 7.48 argument names (apigateway/*.d.ts).
 */

export const APIGW = {
    restApi: "aws:apigateway/restApi:RestApi",
    stage: "aws:apigateway/stage:Stage",
    deployment: "aws:apigateway/deployment:Deployment",
    method: "aws:apigateway/method:Method",
    resource: "aws:apigateway/resource:Resource",
    model: "aws:apigateway/model:Model",
    requestValidator: "aws:apigateway/requestValidator:RequestValidator",
    documentationPart: "aws:apigateway/documentationPart:DocumentationPart",
    integration: "aws:apigateway/integration:Integration",
    methodSettings: "aws:apigateway/methodSettings:MethodSettings",
    usagePlan: "aws:apigateway/usagePlan:UsagePlan",
    domainName: "aws:apigateway/domainName:DomainName",
    authorizer: "aws:apigateway/authorizer:Authorizer",
    vpcLink: "aws:apigateway/vpcLink:VpcLink",
    vpcLinkV2: "aws:apigatewayv2/vpcLink:VpcLink",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    webAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    lambda: "aws:lambda/function:Function",
} as const;

export interface PlatformFrontDoor {
    /** The platform's front door: the one front-door component whose parent is the one platform component at the stack's root. */
    door?: PolicyResource;
    /** Components that carry the front door's type token but are not that one. */
    impostors: PolicyResource[];
}

const doors = new WeakMap<StackIndex, PlatformFrontDoor>();

/**
 * The front door by identity, not by type token: a component is trusted as
 * the front door because the platform created it (its parent, by URN, is the
 * stack's one platform component, itself a child of the stack, and the
 * platform creates one front door), never because its URN's type chain
 * spells the token, which any component can reuse.
 */
export function platformFrontDoor(idx: StackIndex): PlatformFrontDoor {
    let out = doors.get(idx);
    if (out) return out;
    const atRoot = (r: PolicyResource) => !r.parent || r.parent.type === "pulumi:pulumi:Stack";
    const platforms = idx.ofType(PLATFORM_COMPONENT).filter(atRoot);
    const all = idx.ofType(FRONT_DOOR_COMPONENT);
    const mine = platforms.length === 1 ? all.filter((d) => d.parent?.urn === platforms[0].urn) : [];
    const door = mine.length === 1 ? mine[0] : undefined;
    out = { door, impostors: all.filter((d) => d !== door) };
    doors.set(idx, out);
    return out;
}

/** Whether a resource sits (at any depth, following its parents by URN) inside the platform's front door. */
export function inFrontDoor(idx: StackIndex, r: PolicyResource): boolean {
    const { door } = platformFrontDoor(idx);
    if (!door) return false;
    let p = r.parent ? idx.byUrn.get(r.parent.urn) : undefined;
    for (let guard = 0; p && guard < 64; guard++) {
        if (p.urn === door.urn) return true;
        p = p.parent ? idx.byUrn.get(p.parent.urn) : undefined;
    }
    return false;
}

/** True when `r`'s property `prop` depends on `target` (by URN). */
export function dependsOn(r: PolicyResource, prop: string, target: PolicyResource): boolean {
    return (r.propertyDependencies?.[prop] ?? []).some((d) => d?.urn === target.urn);
}

/**
 * Whether `r` (method settings, usage plan stage, WAF association) names this
 * stage: through a property dependency on the stage itself, or by the same
 * REST API (dependency) and the same literal stage name.
 */
export function namesStage(r: PolicyResource, stageNameProp: string, restApiProp: string, stage: PolicyResource, stageNameValue?: unknown, restApiDeps?: PolicyResource[]): boolean {
    if (dependsOn(r, stageNameProp, stage)) {
        return true;
    }
    const ours = peek(stage.props, "stageName");
    const theirs = stageNameValue ?? peek(r.props, stageNameProp);
    if (typeof ours !== "string" || typeof theirs !== "string" || ours !== theirs) {
        return false;
    }
    const stageApis = new Set((stage.propertyDependencies?.restApi ?? []).map((d) => d?.urn));
    const apis = restApiDeps ?? (r.propertyDependencies?.[restApiProp] ?? []).filter((d): d is PolicyResource => !!d);
    return apis.some((a) => stageApis.has(a.urn));
}

/** The method settings that apply to a stage, with their method paths. */
export function methodSettingsOf(idx: StackIndex, stage: PolicyResource): PolicyResource[] {
    return idx.ofType(APIGW.methodSettings).filter((m) => namesStage(m, "stageName", "restApi", stage));
}

/** The method path of a MethodSettings (`*` + `/` + `*` covers every method of the stage). */
export function methodPath(ms: PolicyResource): string | undefined {
    const v = peek(ms.props, "methodPath");
    return typeof v === "string" ? v : undefined;
}

export const ALL_METHODS_PATH = "*/*";

/** A number setting of a MethodSettings (`settings.<key>`), UNKNOWN when unknown. */
export function setting(ms: PolicyResource, key: string): number | boolean | string | undefined | typeof UNKNOWN {
    const v = peek(ms.props, "settings", key);
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    return num(v) ?? bool(v) ?? str(v);
}

/** The endpoint type of a REST API or domain name (`endpointConfiguration.types`: a string in @pulumi/aws 7, a list before). */
export function endpointTypes(props: unknown): string[] | typeof UNKNOWN | undefined {
    const v = peek(props, "endpointConfiguration", "types");
    if (v === UNKNOWN) {
        return UNKNOWN;
    }
    if (typeof v === "string") {
        return [v];
    }
    if (Array.isArray(v)) {
        const out: string[] = [];
        for (let i = 0; i < v.length; i++) {
            const x = peek(v, i);
            if (x === UNKNOWN) {
                return UNKNOWN;
            }
            if (typeof x === "string") {
                out.push(x);
            }
        }
        return out;
    }
    return undefined;
}

/**
 * Values a stack rule could not decide in preview: after its findings, the
 * rule reads the first one as the engine's unknown-checking proxy sees it, so
 * preview reports the policy as unable to run instead of passing silently
 * (the engine decides again at `up`, with values known).
 */
export class Undecided {
    private first?: { r: PolicyResource; path: (string | number)[] };

    note(r: PolicyResource, ...path: (string | number)[]): void {
        this.first ??= { r, path };
    }

    /** Throws the engine's UnknownValueError when something was undecided. */
    settle(): void {
        if (this.first) {
            let cur: unknown = this.first.r.props;
            for (const k of this.first.path) cur = get(cur, k);
        }
    }
}

/**
 * TLS_1_2 is the legacy policy that refuses TLS 1.0/1.1; every enhanced
 * policy (`SecurityPolicy_TLS12_*`, `SecurityPolicy_TLS13_*`) has TLS 1.2 or
 * 1.3 as its minimum. TLS_1_0 (and no policy, which is TLS_1_0 on a custom
 * domain or a REST API's default endpoint) admits TLS 1.0. Sources: API
 * Gateway developer guide, "Choose a security policy for your custom domain
 * in API Gateway" and "Security policies for REST APIs in API Gateway".
 */
export function tls12OrStricter(policy: unknown): boolean {
    return policy === "TLS_1_2" || (typeof policy === "string" && /^SecurityPolicy_TLS1[23]_/.test(policy));
}
