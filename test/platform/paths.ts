import * as assert from "assert";
import type { ResourceRecord } from "../../tools/preview";
import type { Graph } from "../helpers";

/** The resource each runtime ultimately serves traffic from. */
export const WORKLOAD: Record<string, string> = {
    fargate: "aws:ecs/service:Service",
    "ecs-ec2": "aws:ecs/service:Service",
    lambda: "aws:lambda/function:Function",
    eks: "kubernetes:apps/v1:Deployment",
};

/**
 * Walks from a consumer's interface endpoint to the provider's workload,
 * following only property dependencies (URNs), and returns the types on the
 * way: endpoint → endpoint service → NLB → listener → target group → … → workload.
 */
export function pathToWorkload(g: Graph, endpoint: ResourceRecord, runtime: string): string[] {
    const [service] = g.deps(endpoint, "serviceName");
    assert.strictEqual(service?.type, "aws:ec2/vpcEndpointService:VpcEndpointService");
    const [nlb] = g.deps(service, "networkLoadBalancerArns");
    assert.strictEqual(nlb?.inputs.internal, true);
    const listener = one(g.listenersOf(nlb), `listener on ${nlb.name}`);
    const [targetGroup] = g.deps(listener, "defaultActions");
    assert.strictEqual(targetGroup?.type, "aws:lb/targetGroup:TargetGroup");

    const tail = RUNTIME_TAIL[runtime](g, targetGroup);
    return [endpoint.type, service.type, nlb.type, listener.type, targetGroup.type, ...tail.map(r => r.type)];
}

export function one<T>(items: T[], what: string): T {
    assert.strictEqual(items.length, 1, `expected one ${what}, found ${items.length}`);
    return items[0];
}

/** From the NLB's target group to the workload, per runtime. */
const RUNTIME_TAIL: Record<string, (g: Graph, tg: ResourceRecord) => ResourceRecord[]> = {
    // ip targets: the ECS service registers its tasks.
    fargate: (g, tg) => [one(g.dependents(tg, "aws:ecs/service:Service", "loadBalancers"), "ECS service")],
    "ecs-ec2": (g, tg) => RUNTIME_TAIL.fargate(g, tg),
    // alb target: NLB target group → internal ALB → listener → lambda target group → function.
    lambda: (g, tg) => {
        const albAttachment = one(g.dependents(tg, "aws:lb/targetGroupAttachment:TargetGroupAttachment", "targetGroupArn"), "ALB attachment");
        const [alb] = g.deps(albAttachment, "targetId");
        assert.strictEqual(alb.inputs.loadBalancerType ?? "application", "application");
        assert.strictEqual(alb.inputs.internal, true);
        const listener = one(g.listenersOf(alb), "ALB listener");
        const [lambdaTg] = g.deps(listener, "defaultActions");
        assert.strictEqual(lambdaTg.inputs.targetType, "lambda");
        const fnAttachment = one(g.dependents(lambdaTg, "aws:lb/targetGroupAttachment:TargetGroupAttachment", "targetGroupArn"), "function attachment");
        const [fn] = g.deps(fnAttachment, "targetId");
        return [albAttachment, alb, listener, lambdaTg, fnAttachment, fn];
    },
    // instance targets on a NodePort: the node group's Auto Scaling group is
    // attached; the NodePort Service selects the Deployment's pods.
    eks: (g, tg) => {
        const attachment = one(g.dependents(tg, "aws:autoscaling/attachment:Attachment", "lbTargetGroupArn"), "ASG attachment");
        const [nodeGroup] = g.deps(attachment, "autoscalingGroupName");
        assert.strictEqual(nodeGroup.type, "aws:eks/nodeGroup:NodeGroup");
        type Port = { nodePort?: number };
        const svc = one(g.ofType("kubernetes:core/v1:Service").filter(s =>
            ((s.inputs.spec as { ports?: Port[] }).ports ?? []).some(p => p.nodePort === tg.inputs.port)), "NodePort Service");
        const selector = (svc.inputs.spec as { selector: Record<string, string> }).selector;
        const deployment = one(g.ofType("kubernetes:apps/v1:Deployment").filter(d => {
            const labels = ((d.inputs.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels);
            return Object.entries(selector).every(([k, v]) => labels[k] === v) && d.options.provider === svc.options.provider;
        }), "Deployment");
        return [attachment, nodeGroup, svc, deployment];
    },
};

