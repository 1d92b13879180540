import * as assert from "assert";
import { findProblems, validateCatalog, CatalogValidationError, RawCatalog, planSubnets, checkVpcCidr, CATALOG_MEMO_ENV } from "../../components/catalog";

function svc(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name, runtime: "fargate", port: 8080, image: "1.0.0", ...extra };
}

function problemsOf(raw: RawCatalog): string[] {
    return findProblems(raw).problems.map(p => `${p.path}: ${p.message}`);
}

/** Asserts exactly one problem at `path` and that its message matches. */
function expectProblem(raw: RawCatalog, path: string, message: RegExp): void {
    const found = findProblems(raw).problems.filter(p => p.path === path);
    assert.strictEqual(found.length, 1, `expected one problem at ${path}, got: ${JSON.stringify(problemsOf(raw), null, 1)}`);
    assert.match(found[0].message, message);
}

describe("service catalog validation", () => {
    it("accepts a valid catalog and fills defaults", () => {
        const catalog = validateCatalog({ services: [svc("orders", { consumes: ["payments"] }), svc("payments")] });
        assert.strictEqual(catalog.platform.availabilityZones, 2);
        assert.strictEqual(catalog.platform.vpcCidr, "10.0.0.0/16");
        assert.deepStrictEqual(catalog.services[1].consumes, []);
        assert.deepStrictEqual(catalog.services[0].scaling, { min: 1, max: 2, cpuTarget: 60 });
        assert.strictEqual(catalog.services[0].cpu, 256);
        assert.strictEqual(catalog.services[0].memory, 512);
    });

    it("throws one error that lists every problem at once", () => {
        assert.throws(
            () => validateCatalog({ services: [svc("Orders"), svc("b", { port: 0 }), svc("c", { consumes: ["zzz"] })] }),
            (err: unknown) => {
                assert.ok(err instanceof CatalogValidationError);
                assert.deepStrictEqual(err.problems.map(p => p.path), ["services[0].name", "services[1].port", "services[2].consumes[0]"]);
                assert.match(err.message, /3 problems; nothing was created/);
                return true;
            },
        );
    });

    it("suggests the closest name for a misspelled dependency", () => {
        expectProblem(
            { services: [svc("orders"), svc("catalog"), svc("web", { consumes: ["orders", "paymnts"] }), svc("payments")] },
            "services[2].consumes[1]",
            /^unknown service "paymnts" \(did you mean "payments"\?\)$/,
        );
    });

    it("does not suggest an unrelated name", () => {
        expectProblem({ services: [svc("orders", { consumes: ["zebra"] })] }, "services[0].consumes[0]", /^unknown service "zebra"$/);
    });

    it("refuses duplicate names, naming both positions", () => {
        expectProblem({ services: [svc("orders"), svc("web"), svc("orders")] }, "services[2].name", /duplicate service name "orders" \(also services\[0\]\)/);
    });

    it("refuses names that are not DNS-safe", () => {
        for (const name of ["Orders", "orders_api", "-orders", "orders-", "9orders", "or--ders", ""]) {
            const problems = findProblems({ services: [svc(name)] }).problems;
            assert.ok(problems.some(p => p.path === "services[0].name"), `${JSON.stringify(name)} was accepted`);
        }
    });

    it("refuses names too long for NLB and target-group names, saying why", () => {
        expectProblem({ services: [svc("a".repeat(21))] }, "services[0].name", /21 characters; at most 20 fit .*32-character load balancer/);
        assert.deepStrictEqual(problemsOf({ services: [svc("a".repeat(20))] }), []);
    });

    it("refuses a service consuming itself", () => {
        expectProblem({ services: [svc("orders", { consumes: ["orders"] })] }, "services[0].consumes[0]", /cannot consume itself/);
    });

    it("refuses a dependency listed twice", () => {
        expectProblem({ services: [svc("a", { consumes: ["b", "b"] }), svc("b")] }, "services[0].consumes[1]", /listed twice/);
    });

    it("refuses an unknown runtime with a suggestion", () => {
        expectProblem({ services: [svc("a", { runtime: "fargat" })] }, "services[0].runtime", /unknown runtime "fargat" \(did you mean "fargate"\?\); use one of fargate, ecs-ec2, eks, lambda/);
    });

    it("refuses ports out of range or not whole", () => {
        expectProblem({ services: [svc("a", { port: 0 })] }, "services[0].port", /0 is out of range/);
        expectProblem({ services: [svc("a", { port: 65536 })] }, "services[0].port", /65536 is out of range/);
        expectProblem({ services: [svc("a", { port: 80.5 })] }, "services[0].port", /whole number/);
        expectProblem({ services: [svc("a", { port: "80" })] }, "services[0].port", /whole number/);
    });

    it("refuses min greater than max", () => {
        expectProblem({ services: [svc("a", { scaling: { min: 3, max: 2 } })] }, "services[0].scaling", /min \(3\) is greater than max \(2\)/);
    });

    it("refuses invalid CIDR blocks with the fix", () => {
        expectProblem({ services: [svc("a", { cidr: "10.0.0.0/33" })] }, "services[0].cidr", /not an IPv4 CIDR block/);
        expectProblem({ services: [svc("a", { cidr: "10.0.300.0/16" })] }, "services[0].cidr", /not an IPv4 CIDR block/);
        expectProblem({ services: [svc("a", { cidr: "10.0.0.0/8" })] }, "services[0].cidr", /AWS accepts VPC blocks from \/16 to \/28/);
        expectProblem({ services: [svc("a", { cidr: "10.0.0.1/16" })] }, "services[0].cidr", /host bits set; did you mean 10\.0\.0\.0\/16\?/);
        expectProblem({ platform: { vpcCidr: "banana" }, services: [svc("a")] }, "platform.vpcCidr", /not an IPv4 CIDR block/);
    });

    it("refuses a CIDR too small for the service's subnets and names the size that fits", () => {
        expectProblem(
            { services: [svc("a", { cidr: "10.0.0.0/25", scaling: { min: 1, max: 20 } })] },
            "services[0].cidr",
            /\/28 subnet with 11 usable addresses, but a needs 24 per zone .* use a \/24 or larger block/,
        );
        assert.deepStrictEqual(problemsOf({ services: [svc("a", { cidr: "10.0.0.0/24", scaling: { min: 1, max: 20 } })] }), []);
    });

    it("refuses Fargate CPU and memory combinations AWS does not offer", () => {
        expectProblem({ services: [svc("a", { cpu: 300 })] }, "services[0].cpu", /300 is not a Fargate CPU size/);
        expectProblem({ services: [svc("a", { cpu: 256, memory: 4096 })] }, "services[0].memory", /4096 MiB is not valid with cpu 256.*512, 1024, 2048/);
    });

    it("refuses wildcard or malformed principals", () => {
        expectProblem({ services: [svc("a", { allowedPrincipals: ["*"] })] }, "services[0].allowedPrincipals[0]", /not an IAM principal ARN/);
        expectProblem({ services: [svc("a", { allowedPrincipals: ["arn:aws:iam::12345:root"] })] }, "services[0].allowedPrincipals[0]", /not an IAM principal ARN/);
        assert.deepStrictEqual(problemsOf({ services: [svc("a", { allowedPrincipals: ["arn:aws:iam::111111111111:role/reader"] })] }), []);
    });

    it("refuses unknown fields, suggesting the intended one", () => {
        expectProblem({ services: [svc("a", { prot: 1 })] }, "services[0].prot", /unknown field \(did you mean "port"\?\)/);
        expectProblem({ platform: { availabilityZone: 2 }, services: [svc("a")] }, "platform.availabilityZone", /did you mean "availabilityZones"/);
    });

    it("requires fewer than two zones to be refused", () => {
        expectProblem({ platform: { availabilityZones: 1 }, services: [svc("a")] }, "platform.availabilityZones", /at least 2/);
    });

    it("refuses a log retention CloudWatch does not offer", () => {
        expectProblem({ platform: { logRetentionDays: 10 }, services: [svc("a")] }, "platform.logRetentionDays", /10 is not a CloudWatch Logs retention period/);
    });

    it("reports a missing, non-list or empty services key", () => {
        expectProblem({}, "services", /missing: add a privatelink-platform:services list/);
        expectProblem({ services: { a: 1 } }, "services", /must be a list/);
        expectProblem({ services: [] }, "services", /is empty/);
    });

    it("reports required fields", () => {
        expectProblem({ services: [{ name: "a", runtime: "fargate", image: "1" }] }, "services[0].port", /is required/);
    });

    it("lists problems in file order", () => {
        const paths = findProblems({
            platform: { availabilityZones: 1 },
            services: [svc("b", { port: 0 }), svc("a", { consumes: ["x"] })],
        }).problems.map(p => p.path);
        assert.deepStrictEqual(paths, ["platform.availabilityZones", "services[0].port", "services[1].consumes[0]"]);
    });
});

describe("platform.quotas", () => {
    it("accepts declared quota values by code and defaults to none", () => {
        assert.deepStrictEqual(validateCatalog({ services: [svc("a")] }).platform.quotas, {});
        assert.strictEqual(validateCatalog({ services: [svc("a")] }).platform.defaultVpcDeleted, false);
        const catalog = validateCatalog({ platform: { quotas: { "L-F678F1CE": 20, "L-3032A538": 24 }, defaultVpcDeleted: true }, services: [svc("a")] });
        assert.deepStrictEqual(catalog.platform.quotas, { "L-F678F1CE": 20, "L-3032A538": 24 });
        assert.strictEqual(catalog.platform.defaultVpcDeleted, true);
    });

    it("names the path of an unknown code (with a suggestion) and of a non-positive or fractional value, all at once", () => {
        const raw = { platform: { quotas: { "L-F678F1CF": 3, "L-1B52E74A": 0, "L-3032A538": 2.5, "L-DB2E81BA": "eight" } }, services: [svc("a")] };
        expectProblem(raw, "platform.quotas.L-F678F1CF", /unknown quota code "L-F678F1CF" \(did you mean "L-F678F1CE"\?\); the stack's quotas are L-F678F1CE \(VPCs per Region\)/);
        expectProblem(raw, "platform.quotas.L-1B52E74A", /0 is not positive; declare the value the quota was raised to/);
        expectProblem(raw, "platform.quotas.L-3032A538", /2\.5 is not a whole number/);
        expectProblem(raw, "platform.quotas.L-DB2E81BA", /must be the quota value raised in the account/);
        expectProblem({ platform: { quotas: [20] }, services: [svc("a")] }, "platform.quotas", /must be a map of quota code to the value raised in the account, e\.g\. \{ L-F678F1CE: 20 \}/);
    });
});

describe("subnet plan", () => {
    it("gives each zone a fixed slot so adding a zone moves no subnet", () => {
        assert.deepStrictEqual(planSubnets("10.0.0.0/16", 2), ["10.0.0.0/19", "10.0.32.0/19"]);
        assert.deepStrictEqual(planSubnets("10.0.0.0/16", 3), ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]);
        assert.deepStrictEqual(planSubnets("10.20.0.0/20", 2), ["10.20.0.0/23", "10.20.2.0/23"]);
    });

    it("reuses an environment's validated catalog, frozen, only while the environment plan asks (CATALOG_MEMO_ENV)", () => {
        const shards = [{ name: "a", services: ["orders"] }, { name: "b", services: ["payments"] }];
        const raw = (shard?: string): RawCatalog => ({ services: [svc("orders", { consumes: ["payments"] }), svc("payments")], shards, environment: "dev", ...(shard ? { shard } : {}) });
        const before = process.env[CATALOG_MEMO_ENV];
        try {
            delete process.env[CATALOG_MEMO_ENV];
            const a = validateCatalog(raw());
            assert.notStrictEqual(validateCatalog(raw()), a);
            assert.ok(!Object.isFrozen(a));
            const plainShard = validateCatalog(raw("a"), { stack: "dev.a" });
            process.env[CATALOG_MEMO_ENV] = "1";
            const b = validateCatalog(raw());
            assert.strictEqual(validateCatalog(raw()), b, "the same input gives the same catalog");
            assert.ok(Object.isFrozen(b) && Object.isFrozen(b.services[0].consumes), "deeply frozen: no run can change what the next one reads");
            assert.deepStrictEqual(b, a);
            // Each shard stack checks its own selection over the one validated catalog.
            const sa = validateCatalog(raw("a"), { stack: "dev.a" });
            assert.deepStrictEqual(sa, plainShard);
            assert.strictEqual(sa.services, b.services);
            assert.equal(validateCatalog(raw("b"), { stack: "dev.b" }).shard, "b");
            assert.throws(() => validateCatalog(raw("a"), { stack: "dev.b" }), /regenerate the shard files/);
            assert.throws(() => validateCatalog(raw("c"), { stack: "dev.c" }), /unknown shard "c"/);
            assert.notStrictEqual(validateCatalog({ ...raw(), services: [svc("orders"), svc("payments")] }), b, "another catalog is validated afresh");
            // Problems are never remembered: every run lists them all.
            assert.throws(() => validateCatalog({ ...raw(), services: [svc("Orders")] }), CatalogValidationError);
            assert.throws(() => validateCatalog({ ...raw(), services: [svc("Orders")] }), CatalogValidationError);
        } finally {
            if (before === undefined) delete process.env[CATALOG_MEMO_ENV];
            else process.env[CATALOG_MEMO_ENV] = before;
        }
    });

    it("checks VPC blocks", () => {
        assert.deepStrictEqual(checkVpcCidr("10.0.0.0/16"), { ok: true, prefix: 16 });
        assert.strictEqual(checkVpcCidr("10.0.0.0/29").ok, false);
    });
});
