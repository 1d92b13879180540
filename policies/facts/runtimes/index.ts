/**
 * Every runtime the platform offers, one declaration each (this folder,
 * one file per runtime). The pack reads them: the allowed resource types and
 * their parents (lib/allowed-types.ts), the AWS-service endpoints a VPC needs
 * and may hold (vpc-required-aws-endpoints, interface-endpoint-declared),
 * the start-up requests the reachability model follows, which resources
 * show a runtime (lib/runtimes.ts) and the quotas they count against. The
 * program's side of each runtime (components/runtimes/<runtime>/) imports
 * its declaration from here. Adding a runtime: docs/architecture.md.
 */
import { ECS_EC2 } from "./ecs-ec2";
import { EKS } from "./eks";
import { FARGATE } from "./fargate";
import { LAMBDA } from "./lambda";
import type { RuntimeFacts } from "./types";

/** Holds each declaration to the name it is registered under. */
function registry<T extends { [K in keyof T]: RuntimeFacts<K & string> }>(runtimes: T): T {
    return runtimes;
}

export const RUNTIME_FACTS = registry({
    fargate: FARGATE,
    "ecs-ec2": ECS_EC2,
    eks: EKS,
    lambda: LAMBDA,
});

export type RuntimeName = keyof typeof RUNTIME_FACTS;

/** The runtimes in the order the catalog lists them. */
export const RUNTIME_NAMES = Object.keys(RUNTIME_FACTS) as [RuntimeName, ...RuntimeName[]];

export function isRuntimeName(name: unknown): name is RuntimeName {
    return typeof name === "string" && Object.prototype.hasOwnProperty.call(RUNTIME_FACTS, name);
}

/** The declaration of a runtime by its catalog name. */
export function runtimeFacts(name: RuntimeName): RuntimeFacts<RuntimeName> {
    return RUNTIME_FACTS[name];
}

/** Every declaration, in catalog order. */
export function allRuntimeFacts(): RuntimeFacts<RuntimeName>[] {
    return RUNTIME_NAMES.map((n) => RUNTIME_FACTS[n]);
}

/** The declaration whose component has this type token, if any. */
export function runtimeOfComponent(type: string): RuntimeFacts<RuntimeName> | undefined {
    return allRuntimeFacts().find((r) => r.component === type);
}

export type { AwsServiceEndpoints, Caller, QuotaUse, RemoteChild, RuntimeFacts, RuntimeType, StartupDependency, StartupRequest, WorkloadMark } from "./types";
