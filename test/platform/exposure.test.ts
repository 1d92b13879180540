import * as assert from "assert";
import { Graph, plan, stackConfig, PROJECT } from "../helpers";
import { pathToWorkload, WORKLOAD } from "./paths";

interface ServiceEntry {
    name: string;
    runtime: string;
    consumes?: string[];
}

describe("every runtime is reached the same way: consumer endpoint → endpoint service → NLB → workload", () => {
    const config = stackConfig("dev");
    const services = config[`${PROJECT}:services`] as ServiceEntry[];
    const runtimeOf = new Map(services.map(s => [s.name, s.runtime]));
    let g: Graph;
    before(async () => {
        g = new Graph(await plan(config, "up", "dev"));
    });

    it("dev has a consumed service of every runtime", () => {
        const consumed = new Set(services.flatMap(s => s.consumes ?? []).map(n => runtimeOf.get(n)));
        assert.deepStrictEqual([...consumed].sort(), ["ecs-ec2", "eks", "fargate", "lambda"]);
    });

    for (const runtime of ["fargate", "ecs-ec2", "lambda", "eks"]) {
        it(`reaches a ${runtime} provider from its consumer's endpoint`, () => {
            const provider = services.find(s => s.runtime === runtime && services.some(c => c.consumes?.includes(s.name)))!;
            const consumer = services.find(c => c.consumes?.includes(provider.name))!;
            const endpoint = g.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").find(e => (e.inputs.tags as Record<string, string>)["privatelink:edge"] === `${consumer.name}->${provider.name}`);
            assert.ok(endpoint, `no endpoint ${consumer.name}->${provider.name}`);
            const path = pathToWorkload(g, endpoint, runtime);
            assert.strictEqual(path[path.length - 1], WORKLOAD[runtime], path.join(" → "));
        });
    }
});
