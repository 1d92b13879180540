import * as assert from "assert";
import { configValue, hasStackConfig, withStackConfig } from "../lib/stack-config";

describe("stack configuration as the engine hands it to the pack", () => {
    const saved = process.env.PULUMI_CONFIG;
    afterEach(() => {
        if (saved === undefined) delete process.env.PULUMI_CONFIG;
        else process.env.PULUMI_CONFIG = saved;
    });

    it("reads PULUMI_CONFIG, parsing structured values given as JSON text", () => {
        process.env.PULUMI_CONFIG = JSON.stringify({ "privatelink-platform:platform": JSON.stringify({ availabilityZones: 2 }), "aws:region": "eu-west-1" });
        assert.deepStrictEqual(configValue("platform"), { availabilityZones: 2 });
        assert.strictEqual(configValue("region", "aws"), "eu-west-1");
    });

    it("prefers the configuration evaluate() passes, and restores the environment's afterwards", async () => {
        process.env.PULUMI_CONFIG = JSON.stringify({ "aws:region": "eu-west-1" });
        const inside = await withStackConfig({ "aws:region": "us-east-1" }, async () => configValue("region", "aws"));
        assert.strictEqual(inside, "us-east-1");
        assert.strictEqual(configValue("region", "aws"), "eu-west-1");
    });

    it("is empty, not an error, when nothing was given or the variable is not JSON", () => {
        process.env.PULUMI_CONFIG = "not json";
        assert.strictEqual(hasStackConfig(), false);
        delete process.env.PULUMI_CONFIG;
        assert.strictEqual(configValue("services"), undefined);
    });
});
