/**
 * What a workload sees and where it runs from: the strings a container,
 * function or instance receives (environment, command, arguments, entry
 * point, health check, labels, user data), and the host paths it mounts.
 * One reader per resource type, over the provider's property shapes.
 */
import { containerDefinitions, containerName } from "./containers";
import { SeenString } from "./secrets";
import { asArray, get, isRecord, str } from "./values";

export const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const LAMBDA_FUNCTION = "aws:lambda/function:Function";
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const INSTANCE = "aws:ec2/instance:Instance";
export const K8S_DEPLOYMENT = "kubernetes:apps/v1:Deployment";

/** The types whose strings a workload sees. */
export const WORKLOAD_STRING_TYPES: readonly string[] = [TASK_DEFINITION, LAMBDA_FUNCTION, LAUNCH_TEMPLATE, INSTANCE, K8S_DEPLOYMENT];

function strings(v: unknown): string[] {
    return asArray(v).filter((x): x is string => typeof x === "string");
}

/** User data as the instance reads it: the provider takes it base64-encoded in a launch template (`userData`), plain or base64 on an instance. */
function userData(v: unknown): string | undefined {
    const s = str(v);
    if (!s) return undefined;
    if (/^[A-Za-z0-9+/=\s]+$/.test(s) && s.length % 4 === 0) {
        const decoded = Buffer.from(s, "base64").toString("utf8");
        if (!decoded.includes("\uFFFD")) return decoded;
    }
    return s;
}

function k8sContainers(props: Record<string, unknown>): { c: Record<string, unknown>; where: string }[] {
    const spec = get(get(get(props, "spec"), "template"), "spec");
    return [
        ...asArray(get(spec, "initContainers")).map((c, i) => ({ c, where: `spec.template.spec.initContainers[${i}]` })),
        ...asArray(get(spec, "containers")).map((c, i) => ({ c, where: `spec.template.spec.containers[${i}]` })),
    ].filter((x): x is { c: Record<string, unknown>; where: string } => isRecord(x.c));
}

/** Every string the workload a resource defines will see, with where it sits. */
export function workloadStrings(type: string, props: Record<string, unknown>): SeenString[] {
    const out: SeenString[] = [];
    const add = (where: string, value: unknown) => {
        if (typeof value === "string" && value.trim() !== "") out.push({ where, value });
    };
    if (type === TASK_DEFINITION) {
        (containerDefinitions(get(props, "containerDefinitions")) ?? []).forEach((c, i) => {
            const at = `containerDefinitions[${i}] (${containerName(c, i)})`;
            asArray(c.environment).forEach((e) => add(`${at}.environment.${str(get(e, "name")) ?? "?"}`, `${str(get(e, "name")) ?? ""}=${str(get(e, "value")) ?? ""}`));
            for (const k of ["command", "entryPoint"]) {
                const list = strings(c[k]);
                if (list.length > 0) add(`${at}.${k}`, list.join(" "));
            }
            const hc = strings(get(c.healthCheck, "command"));
            if (hc.length > 0) add(`${at}.healthCheck.command`, hc.join(" "));
            if (isRecord(c.dockerLabels)) for (const [k, v] of Object.entries(c.dockerLabels)) add(`${at}.dockerLabels.${k}`, `${k}=${str(v) ?? ""}`);
        });
    } else if (type === LAMBDA_FUNCTION) {
        const vars = get(get(props, "environment"), "variables");
        if (isRecord(vars)) for (const [k, v] of Object.entries(vars)) add(`environment.variables.${k}`, `${k}=${str(v) ?? ""}`);
    } else if (type === LAUNCH_TEMPLATE || type === INSTANCE) {
        add("userData", userData(get(props, "userData")));
    } else if (type === K8S_DEPLOYMENT) {
        for (const { c, where } of k8sContainers(props)) {
            asArray(c.env).forEach((e) => add(`${where}.env.${str(get(e, "name")) ?? "?"}`, `${str(get(e, "name")) ?? ""}=${str(get(e, "value")) ?? ""}`));
            for (const k of ["command", "args"]) {
                const list = strings(c[k]);
                if (list.length > 0) add(`${where}.${k}`, list.join(" "));
            }
        }
    }
    return out;
}

/** Host paths a resource's workload mounts: ECS task volumes' `hostPath`, Kubernetes `hostPath` volumes. */
export function hostMounts(type: string, props: Record<string, unknown>): { where: string; path: string }[] {
    const out: { where: string; path: string }[] = [];
    if (type === TASK_DEFINITION) {
        asArray(get(props, "volumes")).forEach((v, i) => {
            const p = str(get(v, "hostPath")) ?? str(get(get(v, "host"), "sourcePath"));
            if (p) out.push({ where: `volumes[${i}] (${str(get(v, "name")) ?? "?"})`, path: p });
        });
    } else if (type === K8S_DEPLOYMENT) {
        asArray(get(get(get(get(props, "spec"), "template"), "spec"), "volumes")).forEach((v, i) => {
            const p = str(get(get(v, "hostPath"), "path"));
            if (p) out.push({ where: `spec.template.spec.volumes[${i}] (${str(get(v, "name")) ?? "?"})`, path: p });
        });
    }
    return out;
}
