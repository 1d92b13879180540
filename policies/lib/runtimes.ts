/**
 * Which runtime a resource shows, from the runtimes' declarations
 * (policies/facts/runtimes): a Lambda function shows `lambda`, an EKS
 * cluster or node group `eks`, an ECS service `fargate` or `ecs-ec2` by the
 * capacity its tasks run on.
 */
import { allRuntimeFacts, RuntimeName } from "../facts/runtimes";
import { asArray, peek, str, UNKNOWN } from "./values";

/**
 * The capacities an ECS service's tasks run on, as ECS resolves them: the
 * launch type when set; else each capacity provider of the strategy
 * (`FARGATE` and `FARGATE_SPOT` are Fargate, any other an Auto Scaling
 * group's EC2 hosts); with neither, ECS's default launch type, EC2 (Amazon
 * ECS API Reference, CreateService: launchType and capacityProviderStrategy).
 * Undefined while the launch type is unknown.
 */
export function ecsCapacities(props: unknown): ("FARGATE" | "EC2")[] | undefined {
    const launchType = peek(props, "launchType");
    if (launchType === UNKNOWN) return undefined;
    if (str(launchType) === "FARGATE") return ["FARGATE"];
    if (str(launchType) === "EC2" || str(launchType) === "EXTERNAL") return ["EC2"];
    const strategies = peek(props, "capacityProviderStrategies");
    const names = strategies === UNKNOWN ? [] : asArray(strategies).map((c) => str(peek(c, "capacityProvider")));
    if (names.length === 0) return ["EC2"];
    return [...new Set(names.map((n) => (n === "FARGATE" || n === "FARGATE_SPOT" ? "FARGATE" : "EC2") as "FARGATE" | "EC2"))];
}

/** The runtimes a resource shows (none for a resource that is no runtime's workload, or while its capacity is unknown). */
export function runtimesOf(type: string, props: unknown): RuntimeName[] {
    const out: RuntimeName[] = [];
    let capacities: ("FARGATE" | "EC2")[] | undefined | null = null;
    for (const runtime of allRuntimeFacts()) {
        for (const mark of runtime.workloads) {
            if (mark.type !== type) continue;
            if (mark.ecsCapacity !== undefined) {
                if (capacities === null) capacities = ecsCapacities(props);
                if (!capacities?.includes(mark.ecsCapacity)) continue;
            }
            if (!out.includes(runtime.name)) out.push(runtime.name);
        }
    }
    return out;
}
