import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { findProblems, NEEDS_INPUT_FIELDS, RawCatalog } from "../../components/catalog";
import { DOCUMENTATION_ACCOUNT_IDS, DOCUMENTATION_CIDRS, documentationRangeOf } from "../../policies/facts/documentation-values";
import { PROJECT, ROOT, stackConfig, stackFiles } from "../helpers";
import { rawCatalog } from "../../components/catalog/environment";

const REAL = "arn:aws:iam::111111111111:role/platform-admin";

function eks(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name: "search", runtime: "eks", port: 8080, image: "1.0.0", instanceTypes: ["m7i.large"], ...extra };
}
function fargate(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name, runtime: "fargate", port: 8080, image: "1.0.0", ...extra };
}
/** Every problem's message by path (several at one path joined). */
function problems(raw: RawCatalog): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of findProblems(raw).problems) {
        out[p.path] = out[p.path] === undefined ? p.message : `${out[p.path]} | ${p.message}`;
    }
    return out;
}
const marker = (needsInput: string) => ({ needsInput });

describe("catalog: documentation values are refused where they come from configuration", () => {
    it("refuses AWS documentation account ids in every principal field, naming the path", () => {
        const got = problems({
            platform: {
                consumerPrincipal: "arn:aws:iam::012345678901:role/deploy",
                eks: { adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"], viewRoleArns: [REAL, "arn:aws:iam::111122223333:role/ro"] },
            },
            services: [eks(), fargate("web", { allowedPrincipals: ["arn:aws:iam::210987654321:root"] }), fargate("payments", { allowedPrincipals: ["arn:aws:iam::444455556666:role/settlement-reader"] })],
        });
        assert.match(got["platform.consumerPrincipal"], /012345678901 is an AWS documentation example id/);
        assert.match(got["platform.eks.adminRoleArns[0]"], /123456789012 is an AWS documentation example id.*needsInput/);
        assert.strictEqual(got["platform.eks.viewRoleArns[0]"], undefined);
        assert.match(got["platform.eks.viewRoleArns[1]"], /111122223333/);
        assert.match(got["services[1].allowedPrincipals[0]"], /210987654321/);
        assert.match(got["services[2].allowedPrincipals[0]"], /444455556666/);
    });

    it("refuses public access CIDRs inside or around the RFC 5737 documentation ranges", () => {
        const got = problems({ platform: { eks: { publicAccessCidrs: ["34.120.7.0/24", "203.0.113.0/24", "192.0.2.10/32", "198.51.0.0/16"] } }, services: [eks()] });
        assert.strictEqual(got["platform.eks.publicAccessCidrs[0]"], undefined);
        assert.match(got["platform.eks.publicAccessCidrs[1]"], /^203\.0\.113\.0\/24 is an address range reserved for documentation \(RFC 5737\)/);
        assert.match(got["platform.eks.publicAccessCidrs[2]"], /^192\.0\.2\.10\/32 overlaps 192\.0\.2\.0\/24, an address range reserved/);
        assert.match(got["platform.eks.publicAccessCidrs[3]"], /198\.51\.100\.0\/24/);
    });

    it("knows exactly the three TEST-NET ranges and no neighbour", () => {
        assert.deepStrictEqual([...DOCUMENTATION_CIDRS], ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"]);
        for (const c of ["192.0.3.0/24", "198.51.99.255/32", "203.0.114.0/32", "10.0.0.0/8", "0.0.0.0/0"]) {
            assert.strictEqual(documentationRangeOf(c), undefined, c);
        }
        assert.strictEqual(documentationRangeOf("203.0.113.255/32"), "203.0.113.0/24");
        assert.strictEqual(documentationRangeOf("192.0.0.0/16"), "192.0.2.0/24");
    });
});

describe("catalog: { needsInput: ... } for values only the stack owner knows", () => {
    const raw = {
        platform: {
            eks: {
                adminRoleArns: marker("platform admins"),
                viewRoleArns: marker("on-call"),
                publicAccessCidrs: marker("CI egress"),
            },
        },
        services: [eks(), fargate("web", { allowedPrincipals: marker("the edge account") })],
    };

    it("accepts the marker for exactly the user-only fields and plans them as absent", () => {
        const result = findProblems(raw, { stack: "dev" });
        assert.deepStrictEqual(result.problems, []);
        const catalog = result.catalog!;
        assert.deepStrictEqual(catalog.platform.eks.adminRoleArns, []);
        assert.deepStrictEqual(catalog.platform.eks.viewRoleArns, []);
        assert.deepStrictEqual(catalog.platform.eks.publicAccessCidrs, []);
        assert.deepStrictEqual(catalog.services[1].allowedPrincipals, []);
        assert.deepStrictEqual(
            catalog.needsInput.map(n => [n.path, n.service, n.note]),
            [
                ["platform.eks.adminRoleArns", undefined, "platform admins"],
                ["platform.eks.viewRoleArns", undefined, "on-call"],
                ["platform.eks.publicAccessCidrs", undefined, "CI egress"],
                ["services[1].allowedPrincipals", "web", "the edge account"],
            ],
        );
    });

    it("says for each value what it is, how to find it, and the pulumi config commands that set it or answer none", () => {
        const web = findProblems(raw, { stack: "dev" }).catalog!.needsInput.find(n => n.path === "services[1].allowedPrincipals")!;
        assert.deepStrictEqual(web.set, [
            "pulumi config rm --stack dev --path 'privatelink-platform:services[1].allowedPrincipals'",
            "pulumi config set --stack dev --path 'privatelink-platform:services[1].allowedPrincipals[0]' 'arn:aws:iam::<their account>:root'",
        ]);
        assert.strictEqual(web.none.command, web.set[0]);
        assert.match(web.howToFind, /aws sts get-caller-identity/);
        for (const f of NEEDS_INPUT_FIELDS) {
            assert.ok(f.what.length > 20 && f.howToFind.length > 20 && f.ifNone.length > 10 && f.example.length > 0, f.field);
        }
    });

    it("does not ask for EKS values when the stack has no eks service", () => {
        const result = findProblems({ platform: raw.platform, services: [fargate("web")] });
        assert.deepStrictEqual(result.problems, []);
        assert.deepStrictEqual(result.catalog!.needsInput, []);
    });

    it("refuses the marker anywhere else, malformed, or inside a list, naming the path", () => {
        const got = problems({
            platform: { vpcCidr: marker("a CIDR"), eks: { adminRoleArns: { needsInput: "" }, viewRoleArns: { needsInput: "x", hint: "y" }, publicAccessCidrs: [marker("CI")] } },
            services: [eks({ image: marker("a tag") })],
        });
        assert.match(got["platform.vpcCidr"], /only aws:allowedAccountIds, platform\.eks\.publicAccessCidrs, .*services\[\]\.allowedPrincipals, .*platform\.frontDoor\.cognito\.userPoolArn.* may be left as \{ needsInput/);
        assert.match(got["services[0].image"], /only .* may be left as/);
        assert.match(got["platform.eks.adminRoleArns"], /exactly \{ needsInput: "<what the value is>" \}; say what the value is/);
        assert.match(got["platform.eks.viewRoleArns"], /remove hint/);
        assert.match(got["platform.eks.publicAccessCidrs[0]"], /in place of the whole list/);
    });
});

/**
 * The front door's values only the owner knows: the user pool, the partner
 * issuer's JWT settings, and prod's custom domain. web's former "edge
 * account" principal is gone: the front door is in the stack.
 */
const FRONT_DOOR_INPUTS: Record<string, string[]> = {
    dev: ["platform.frontDoor.cognito.userPoolArn", "platform.frontDoor.jwt.audiences", "platform.frontDoor.jwt.issuer", "platform.frontDoor.jwt.jwks"],
    prod: [
        "platform.frontDoor.cognito.userPoolArn", "platform.frontDoor.domain.certificateArn", "platform.frontDoor.domain.name",
        "platform.frontDoor.jwt.audiences", "platform.frontDoor.jwt.issuer", "platform.frontDoor.jwt.jwks",
    ],
};

describe("the shipped stacks carry no value that fails in a real account", () => {
    for (const stack of stackFiles()) {
        const text = fs.readFileSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8");

        it(`${stack}: no AWS documentation account id and no documentation range anywhere in the file`, () => {
            for (const id of DOCUMENTATION_ACCOUNT_IDS) {
                assert.ok(!text.includes(id), `${stack} mentions ${id}`);
            }
            for (const cidr of DOCUMENTATION_CIDRS) {
                const prefix = cidr.split(".").slice(0, 3).join(".") + ".";
                assert.ok(!text.includes(prefix), `${stack} mentions ${prefix}`);
            }
        });

        it(`${stack}: leaves the deploying account, the admin roles, viewers, CI egress, partner accounts and another team's secret as needs-input`, () => {
            const config = stackConfig(stack);
            const result = findProblems(rawCatalog(config), { projectDir: ROOT, stack });
            assert.deepStrictEqual(result.problems, []);
            assert.deepStrictEqual(
                result.catalog!.needsInput.map(n => `${n.path}${n.service ? ` ${n.service}` : ""}`).sort(),
                [
                    // The account the environment deploys into (the AWS provider's own key).
                    "aws:allowedAccountIds",
                    "platform.eks.adminRoleArns",
                    "platform.eks.publicAccessCidrs",
                    "platform.eks.viewRoleArns",
                    ...FRONT_DOOR_INPUTS[stack.split(".")[0]],
                    // The payments partner's role; in dev, also the former auditor's account (expired, listed to show the rejection).
                    "services[2].subscribers[0].principal payments",
                    ...(stack === "prod" ? [] : ["services[2].subscribers[1].account payments"]),
                    // The card processor's endpoint service name (orders' external service).
                    "services[1].external[0].serviceName orders",
                    // prod's settlements name for partners and its zone.
                    ...(stack === "prod" ? ["services[2].privateDnsName payments", "services[2].privateDnsZoneId payments"] : []),
                    // the ledger database's password, owned by the database team.
                    "services[2].secrets.LEDGER_DB_PASSWORD payments",
                    // dev's search shard: the Kubernetes team's own account.
                    ...(config[`${PROJECT}:shards`] ? ["shards[4].account"] : []),
                ].sort(),
            );
        });
    }
});

describe("catalog: aws:allowedAccountIds, the account the stack deploys into", () => {
    const services = [fargate("web")];

    it("lists it as needs-input, with the command that writes the list the AWS provider reads", () => {
        const result = findProblems({ services, allowedAccountIds: marker("the account") }, { stack: "dev" });
        assert.deepStrictEqual(result.problems, []);
        assert.strictEqual(result.catalog!.allowedAccountIds, undefined);
        const [n] = result.catalog!.needsInput;
        assert.strictEqual(n.path, "aws:allowedAccountIds");
        assert.deepStrictEqual(n.set, ["pulumi config rm --stack dev --path 'aws:allowedAccountIds'", "pulumi config set --stack dev --path 'aws:allowedAccountIds[0]' '<12-digit account id>'"]);
    });

    it("takes a list of 12-digit account ids", () => {
        const result = findProblems({ services, allowedAccountIds: ["730841926357"] });
        assert.deepStrictEqual(result.problems, []);
        assert.deepStrictEqual(result.catalog!.allowedAccountIds, ["730841926357"]);
        assert.deepStrictEqual(result.catalog!.needsInput, []);
    });

    it("refuses what the provider could not read as a list of accounts, naming the key and the fix", () => {
        // `pulumi config set aws:allowedAccountIds 730841926357` stores text the provider decodes as a number.
        assert.match(problems({ services, allowedAccountIds: 730841926357 })["aws:allowedAccountIds"], /not a list of account ids.*pulumi config set --path 'aws:allowedAccountIds\[0\]'/);
        assert.match(problems({ services, allowedAccountIds: [] })["aws:allowedAccountIds"], /not a list/);
        assert.match(problems({ services, allowedAccountIds: ["7308419263"] })["aws:allowedAccountIds[0]"], /not a 12-digit AWS account id/);
        assert.match(problems({ services, allowedAccountIds: ["123456789012"] })["aws:allowedAccountIds[0]"], /documentation example account/);
        assert.match(problems({ services, allowedAccountIds: { needsInput: "x", hint: "y" } })["aws:allowedAccountIds"], /remove hint/);
    });
});
