import * as assert from "assert";
import { addressesNeededPerSubnet, findProblems, RawCatalog } from "../../components/catalog";
import { ALB_FREE_ADDRESSES, lambdaAddressesPerSubnet } from "../../components/runtimes/lambda/catalog";
import { ROOT } from "../helpers";

const fn = (name: string, extra: Record<string, unknown> = {}) => ({ name, runtime: "lambda", port: 8080, function: { code: "services/notifier" }, ...extra });
const problems = (raw: RawCatalog) => findProblems(raw, { projectDir: ROOT }).problems;

describe("catalog: lambda services' subnets", () => {
    it("refuses a platform block whose subnets are too small for the ALB, on platform.vpcCidr", () => {
        const found = problems({ platform: { vpcCidr: "10.1.0.0/25" }, services: [fn("notifier")] });
        assert.deepStrictEqual(found.map(p => p.path), ["platform.vpcCidr"]);
        assert.match(found[0].message, /10\.1\.0\.0\/25 gives each zone a \/28 subnet, but notifier \(runtime lambda\) runs an internal ALB.*\/27 subnets or larger: use a \/24 or larger block/);
    });

    it("refuses a service's own block on services[i].cidr, and accepts /24", () => {
        const found = problems({ services: [fn("a"), fn("notifier", { cidr: "10.2.0.0/26" })] });
        assert.deepStrictEqual(found.map(p => p.path), ["services[1].cidr"]);
        assert.match(found[0].message, /\/29 subnet.*use a \/24 or larger block/);
        assert.deepStrictEqual(problems({ services: [fn("notifier", { cidr: "10.2.0.0/24" })] }), []);
    });

    it("does not hold Fargate services to the ALB's minimum", () => {
        const fargate = { name: "api", runtime: "fargate", port: 8080, image: "1.0.0", cidr: "10.3.0.0/25" };
        assert.deepStrictEqual(problems({ services: [fargate] }), []);
    });

    it("counts the NLB node, the ALB's free addresses, the endpoints and the function's ENIs, not tasks", () => {
        assert.strictEqual(lambdaAddressesPerSubnet(0), 1 + ALB_FREE_ADDRESSES + 2);
        assert.strictEqual(addressesNeededPerSubnet("lambda", 3, 1000, 2), 1 + ALB_FREE_ADDRESSES + 3 + 2);
        assert.strictEqual(addressesNeededPerSubnet("lambda", 3, 1, 2), addressesNeededPerSubnet("lambda", 3, 1000, 2));
    });
});

describe("catalog: lambda functions from an image", () => {
    it("refuses handler and runtime, which the image decides, naming each", () => {
        const found = problems({ services: [{ name: "thumbs", runtime: "lambda", port: 8080, image: "1.0.0", function: { handler: "app.handler", runtime: "nodejs22.x", memorySize: 512 } }] });
        assert.deepStrictEqual(found.map(p => p.path), ["services[0].function.handler", "services[0].function.runtime"]);
        assert.match(found[0].message, /does not apply to a function built from an image/);
    });

    it("accepts an image with sizes only, or no function block", () => {
        assert.deepStrictEqual(problems({ services: [{ name: "thumbs", runtime: "lambda", port: 8080, image: "1.0.0", function: { memorySize: 512, timeout: 30 } }] }), []);
        assert.deepStrictEqual(problems({ services: [{ name: "thumbs", runtime: "lambda", port: 8080, image: { context: "services/notifier" } }] }), []);
    });
});
