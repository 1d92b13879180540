import type { ServiceSpec } from "../../catalog/schema";
import type { PlatformServiceArgs } from "../../privateLinkService";

/** The path the NLB's health check asks for, through the ALB, answered by the function. */
export const LAMBDA_HEALTH_PATH = "/health";

/**
 * The NLB target group's port for a lambda service: the internal ALB's
 * listener, which listens on the service's own port.
 */
export function lambdaTargetPort(spec: ServiceSpec): number {
    return spec.port;
}

/**
 * The NLB target group's health check for an `alb` target: HTTP to the ALB's
 * listener, so a healthy answer means NLB → ALB → function all work.
 */
export function lambdaHealthCheck(spec: ServiceSpec): NonNullable<PlatformServiceArgs["healthCheck"]> {
    return {
        enabled: true,
        protocol: "HTTP",
        port: String(lambdaTargetPort(spec)),
        path: LAMBDA_HEALTH_PATH,
        matcher: "200-399",
        interval: 30,
        timeout: 10,
        healthyThreshold: 3,
        unhealthyThreshold: 3,
    };
}
