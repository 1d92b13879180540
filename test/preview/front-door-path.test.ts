import * as assert from "assert";
import type { ResourceRecord } from "../../tools/preview";
import { renderFrontDoor, traceFrontDoor } from "../../tools/preview/front-door-path";
import { plan, stackConfig, withCognitoPool } from "../helpers";

/** The last hop each runtime's path ends on. */
const LAST_HOP: Record<string, RegExp> = {
    fargate: /^ECS service /,
    "ecs-ec2": /^ECS service /,
    lambda: /^Lambda function /,
    eks: /^EKS nodes /,
};

describe("offline preview: the front door's paths", function () {
    this.timeout(300_000);

    for (const mode of ["up", "preview"] as const) {
        it(`dev (${mode}): every method reaches the workload of its route's service`, async () => {
            const config = withCognitoPool(stackConfig("dev"));
            const result = await plan(config, mode, "dev");
            const paths = traceFrontDoor(result.resources);
            const services = config["privatelink-platform:services"] as { name: string; runtime: string; expose?: { routes: { path: string; methods: string[] }[] } }[];
            const exposed = services.filter(s => s.expose);
            assert.ok(exposed.length >= 3, "dev exposes at least three services");
            for (const s of exposed) {
                for (const route of s.expose!.routes) {
                    for (const verb of route.methods) {
                        const p = paths.find(x => x.route === `${verb} ${route.path}`);
                        assert.ok(p, `${verb} ${route.path} has a method`);
                        assert.ok(p.complete, `${verb} ${route.path} stops: ${p.stoppedAt}`);
                        assert.equal(p.hops[0].what, "stage");
                        const last = p.hops[p.hops.length - 1];
                        assert.match(`${last.what} ${last.name}`, LAST_HOP[s.runtime], `${verb} ${route.path} ends on ${s.name}'s workload`);
                        assert.ok(last.urn.includes(`::${s.name}`) || last.name.startsWith(s.name), `${verb} ${route.path} ends in ${s.name}, not ${last.urn}`);
                    }
                }
            }
            const text = renderFrontDoor(paths).join("\n");
            assert.match(text, /^Front door \(\d+ methods, \d+ reach a workload\):/);
            assert.doesNotMatch(text, /❌/);
        });
    }

    it("a path whose edge listener rule is gone stops there, naming why", async () => {
        const result = await plan(stackConfig("dev"), "up", "dev");
        const records: ResourceRecord[] = result.resources.filter(r => r.type !== "aws:lb/listenerRule:ListenerRule");
        const paths = traceFrontDoor(records).filter(p => p.hops.some(h => h.what === "VPC link"));
        assert.ok(paths.length > 0);
        for (const p of paths) {
            assert.equal(p.complete, false);
            assert.match(p.stoppedAt ?? "", /no listener rule of the edge ALB matches/);
        }
        assert.match(renderFrontDoor(paths).join("\n"), /❌[^\n]*\n[^\n]*\n {8}stops: no listener rule/);
    });

    it("a plan without a front door has no section", async () => {
        const config = stackConfig("dev");
        const services = (config["privatelink-platform:services"] as Record<string, unknown>[]).map(({ expose: _e, ...s }) => s);
        const { frontDoor: _f, ...platform } = config["privatelink-platform:platform"] as Record<string, unknown>;
        const result = await plan({ ...config, "privatelink-platform:platform": platform, "privatelink-platform:services": services }, "up", "dev");
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
        assert.ok(result.resources.some(r => r.type === "aws:ecs/service:Service"));
        assert.deepEqual(traceFrontDoor(result.resources), []);
        assert.deepEqual(renderFrontDoor([]), []);
    });
});
