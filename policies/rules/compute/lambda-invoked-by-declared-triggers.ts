import { PolicyResource } from "@pulumi/policy";
import { label, StackIndex, stackIndex } from "../../lib/graph";
import { TAGS } from "../../lib/plan/types";
import { stackRule } from "../../lib/rule";
import { readInvokers, ServiceInvokers } from "../../lib/service-needs";
import { configValue } from "../../lib/stack-config";
import { get, peek, show, tag, UNKNOWN } from "../../lib/values";

const FUNCTION = "aws:lambda/function:Function";
const PERMISSION = "aws:lambda/permission:Permission";
const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET_GROUP = ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"];
const REST_API = "aws:apigateway/restApi:RestApi";
const QUEUE = "aws:sqs/queue:Queue";

type Unknowable = { unknown: { r: PolicyResource; prop: string } };

/** The catalog function a property of `r` names: by property dependency, or by value equal to a function's name or ARN. */
function functionNamed(idx: StackIndex, r: PolicyResource, prop: string, functions: Map<PolicyResource, string>): { fn: PolicyResource; service: string } | undefined {
    for (const d of idx.propDeps(r, prop)) {
        const service = functions.get(d);
        if (service !== undefined) return { fn: d, service };
    }
    const value = peek(r.props, prop);
    if (typeof value !== "string") return undefined;
    for (const [fn, service] of functions) {
        if (peek(fn.props, "arn") === value || peek(fn.props, "name") === value) return { fn, service };
    }
    return undefined;
}

/**
 * The resource a source property of `r` points at, of one of `types`. While
 * the value is unknown (preview), its one property dependency of those
 * types; once known, the resource whose ARN it equals (an ARN derived from a
 * resource but naming something else is not taken for it).
 */
function pointsAt(idx: StackIndex, r: PolicyResource, prop: string, types: string[]): PolicyResource | Unknowable | undefined {
    const value = peek(r.props, prop);
    const deps = idx.propDeps(r, prop).filter((d) => types.includes(d.type));
    const all = idx.ofType(...types);
    if (value === UNKNOWN) return deps.length === 1 ? deps[0] : { unknown: { r, prop } };
    if (typeof value !== "string") return undefined;
    const candidates = deps.length > 0 ? deps : all;
    for (const d of candidates) {
        const arn = peek(d.props, "arn");
        if (arn === UNKNOWN) return { unknown: { r: d, prop: "arn" } };
        if (arn === value) return d;
    }
    return undefined;
}

/** The schedule rule `rule` is, when the catalog declares it for `service`: owned by the service, a schedule it lists, no event pattern. */
function declaredSchedule(idx: StackIndex, rule: PolicyResource, service: string, t: ServiceInvokers | undefined): string | Unknowable | true {
    const owner = idx.serviceOf(rule);
    const schedule = peek(rule.props, "scheduleExpression");
    const pattern = peek(rule.props, "eventPattern");
    if (owner === UNKNOWN) return { unknown: { r: rule, prop: "tags" } };
    if (schedule === UNKNOWN || pattern === UNKNOWN) return { unknown: { r: rule, prop: schedule === UNKNOWN ? "scheduleExpression" : "eventPattern" } };
    if (owner !== service) return `${label(rule)} is not ${service}'s`;
    if (pattern !== undefined && pattern !== null) return `${label(rule)} matches events (${show(pattern)}), which no trigger declares`;
    if (typeof schedule !== "string" || !(t?.schedules ?? []).includes(schedule)) {
        return `${label(rule)} runs on ${show(schedule ?? null)}, which ${service}'s triggers do not list${t && t.schedules.length > 0 ? ` (they list ${t.schedules.join(", ")})` : ""}`;
    }
    return true;
}

export const lambdaInvokedByDeclaredTriggers = stackRule({
    name: "lambda-invoked-by-declared-triggers",
    description:
        "Only what the catalog declares invokes a service's function: its own load balancer (the mesh), the front door's API when the service is exposed, an EventBridge schedule its triggers list, " +
        "and event source mappings from the queues its triggers name. Any other Lambda permission, event source mapping or EventBridge target on the function is refused.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Declare the trigger in the service's catalog triggers (a queue it consumes, or a schedule) and let the platform create it, or remove the permission, mapping or target.",
    meta: {
        area: "compute",
        rationale:
            "A function's resource policy and its event source mappings are who may run its code with its role: an undeclared principal or queue runs the service on input nobody reviewed. " +
            "Lambda Developer Guide: \"Using resource-based policies for Lambda\" (principal, SourceArn, SourceAccount), \"Using Lambda with Amazon SQS\" (event source mappings poll with the function's role), " +
            "\"Invoking a Lambda function on a schedule\" (EventBridge rule and permission).",
        afterUp: "a source ARN written out rather than taken from the resource names it by a value unknown in preview.",
        equivalents: { checkov: ["CKV_AWS_364"] },
    },
    validateStack: (args, report) => {
        const raw = configValue("services");
        if (!Array.isArray(raw)) return; // no catalog given (a stack of another program)
        const invokers = readInvokers(raw);
        const idx = stackIndex(args.resources);
        let undecided: { r: PolicyResource; prop: string } | undefined;

        const functions = new Map<PolicyResource, string>();
        for (const fn of idx.ofType(FUNCTION)) {
            const s = idx.serviceOf(fn);
            if (s === UNKNOWN) {
                undecided = { r: fn, prop: "tags" };
                continue;
            }
            if (s !== undefined && invokers.has(s)) functions.set(fn, s);
        }
        if (functions.size === 0) return;

        for (const r of idx.ofType(PERMISSION)) {
            const target = functionNamed(idx, r, "function", functions);
            if (!target) continue;
            const { service } = target;
            const principal = peek(r.props, "principal");
            if (principal === UNKNOWN) {
                undecided = { r, prop: "principal" };
                continue;
            }
            const why = ((): string | Unknowable | true => {
                if (principal === "elasticloadbalancing.amazonaws.com") {
                    const group = pointsAt(idx, r, "sourceArn", TARGET_GROUP);
                    if (group && "unknown" in group) return group;
                    const owner = group ? idx.serviceOf(group) : undefined;
                    if (owner === UNKNOWN) return { unknown: { r: group as PolicyResource, prop: "tags" } };
                    return owner === service ? true : `its sourceArn is no target group of ${service}'s own load balancer`;
                }
                if (principal === "apigateway.amazonaws.com") {
                    const api = idx.propDeps(r, "sourceArn").find((d) => d.type === REST_API);
                    if (!api) return "its sourceArn is no REST API of this stack";
                    return invokers.get(service)!.exposed ? true : `${service} declares no expose, so no API may invoke it`;
                }
                if (principal === "events.amazonaws.com") {
                    const rule = pointsAt(idx, r, "sourceArn", [RULE]);
                    if (!rule) return "its sourceArn is no EventBridge rule of this stack";
                    if ("unknown" in rule) return rule;
                    return declaredSchedule(idx, rule, service, invokers.get(service));
                }
                return `no trigger of the catalog is invoked by ${show(principal)}`;
            })();
            if (why === true) continue;
            if (typeof why !== "string") {
                undecided = why.unknown;
                continue;
            }
            report(
                `${label(r)} lets ${show(principal)} (sourceArn ${show(peek(r.props, "sourceArn") ?? null)}) invoke ${service}'s function ${label(target.fn)}: ${why}. ` +
                    `Fix: declare it in ${service}'s triggers (docs/catalog.md#triggers), or remove the permission.`,
                r.urn,
            );
        }

        for (const r of idx.ofType(MAPPING)) {
            const target = functionNamed(idx, r, "functionName", functions);
            if (!target) continue;
            const { service } = target;
            const queue = pointsAt(idx, r, "eventSourceArn", [QUEUE]);
            if (queue && "unknown" in queue) {
                undecided = queue.unknown;
                continue;
            }
            const owner = queue ? idx.serviceOf(queue) : undefined;
            const data = queue ? tag(queue.props, TAGS.data) : undefined;
            if (owner === UNKNOWN || data === UNKNOWN) {
                undecided = { r: queue!, prop: "tags" };
                continue;
            }
            const declared = invokers.get(service)!.queues;
            if (queue && declared.some((q) => q.service === owner && q.data === data)) continue;
            report(
                `${label(r)} invokes ${service}'s function ${label(target.fn)} with ${queue ? `${owner ?? "no service"}'s queue ${data ?? label(queue)}` : `events from ${show(peek(r.props, "eventSourceArn") ?? null)}`}, ` +
                    `which ${service}'s triggers do not name${declared.length > 0 ? ` (they name ${declared.map((q) => `${q.service}/${q.data}`).join(", ")})` : ""}. ` +
                    `Fix: add { queue: { service, data } } to ${service}'s triggers (docs/catalog.md#triggers), or remove the mapping.`,
                r.urn,
            );
        }

        for (const r of idx.ofType(TARGET)) {
            const target = functionNamed(idx, r, "arn", functions);
            if (!target) continue;
            const rule = idx.propDeps(r, "rule").find((d) => d.type === RULE);
            const why = rule ? declaredSchedule(idx, rule, target.service, invokers.get(target.service)) : "its rule is no EventBridge rule of this stack";
            if (why === true) continue;
            if (typeof why !== "string") {
                undecided = why.unknown;
                continue;
            }
            report(
                `${label(r)} sends events to ${target.service}'s function ${label(target.fn)}: ${why}. Fix: declare the schedule in ${target.service}'s triggers (docs/catalog.md#triggers), or remove the target.`,
                r.urn,
            );
        }

        if (undecided) {
            // Read what was unknown as the engine's proxy sees it, so preview reports the rule as unable to run (after the findings above).
            void get(undecided.r.props, undecided.prop);
        }
    },
});
