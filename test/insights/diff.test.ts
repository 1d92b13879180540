// Not in `npm run test:quick`: it plans the program offline.
/** The plan diff's pure parts on hand-made records: property paths, moves, replacements, findings, cost, the comment's size. */
import { strict as assert } from "assert";
import type { ResourceRecord, Violation } from "../../tools/preview";
import { engineUrn } from "../../tools/preview/monitor";
import { UNKNOWN } from "../../tools/preview/values";
import { costDelta, diffPlans, diffValues, PlanSnapshot, relativePaths } from "../../tools/insights/diff";
import { FORCE_NEW, REPLACEMENT_RULES, replacementReasons, sourceLabel } from "../../tools/insights/replacements";
import { camel, declaredTypes, DirFiles, extract, fromPulumiAws, GitFiles, installedPulumiAws, patchChangesForceNew, patchFiles, plural, terraformName } from "../../tools/facts/extract-force-new";
import { catalogConfig, plan, ROOT } from "../helpers";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MAX_COMMENT_CHARS, renderComment } from "../../tools/insights/comment";
import type { PlanDiffReport } from "../../tools/insights/plan-diff";

const STACK = "dev";
const PROJECT = "p";
const ROOT_URN = engineUrn(STACK, PROJECT, null, "pulumi:pulumi:Stack", `${PROJECT}-${STACK}`);

function rec(type: string, name: string, inputs: Record<string, unknown> = {}, parent: string | null = ROOT_URN, extra: Partial<ResourceRecord> = {}): ResourceRecord {
    return {
        urn: engineUrn(STACK, PROJECT, parent, type, name),
        type, name, parent, custom: !type.startsWith("privatelink:"), remote: false, op: "create", id: null,
        inputs, outputs: {}, dependencies: [], propertyDependencies: {},
        options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, aliases: [], ignoreChanges: [], provider: null, replaceOnChanges: [], additionalSecretOutputs: [], deletedWith: null, import: null },
        ...extra,
    };
}
const snap = (resources: ResourceRecord[], violations: Violation[] = []): PlanSnapshot => ({ stack: STACK, project: PROJECT, resources, violations });

describe("plan diff: property changes", () => {
    it("lists leaf paths, compares JSON held in strings as JSON, and never claims an unknown value changed", () => {
        const before = { cidrBlock: "10.0.0.0/16", tags: { a: "1", b: "2" }, ingress: [{ fromPort: 80 }], policy: JSON.stringify({ Statement: [{ Action: "s3:Get*" }] }), id: UNKNOWN };
        const after = { cidrBlock: "10.1.0.0/16", tags: { a: "1", c: "3" }, ingress: [{ fromPort: 443 }], policy: JSON.stringify({ Statement: [{ Action: "s3:*" }] }), id: "x" };
        const { changes, unknown } = diffValues(before, after);
        assert.deepEqual(changes.map(c => c.path), ["cidrBlock", "ingress[0].fromPort", "policy.Statement[0].Action", "tags.b", "tags.c"]);
        assert.deepEqual(unknown, ["id"]);
        assert.deepEqual(diffValues({ l: [1, 2] }, { l: [1, 2, 3] }).changes, [{ path: "l", before: [1, 2], after: [1, 2, 3] }]);
        assert.deepEqual(diffValues({ l: [UNKNOWN] }, { l: ["a", "b"] }), { changes: [], unknown: ["l"] });
        // Named entries (a container's environment) are matched by name, whatever their order and count.
        const env = (...kv: string[][]) => ({ environment: kv.map(([name, value]) => ({ name, value })) });
        assert.deepEqual(diffValues(env(["A", "1"], ["B", "2"], ["C", "3"]), env(["C", "3"], ["A", "9"])).changes, [
            { path: "environment[name=A].value", before: "1", after: "9" },
            { path: "environment[name=B]", before: { name: "B", value: "2" }, after: undefined },
        ]);
    });

    it("compares file assets by their path inside the project", () => {
        assert.deepEqual(relativePaths({ code: { archive: "/tmp/wt/services/x" } }, "/tmp/wt"), { code: { archive: "<project>/services/x" } });
        assert.equal(relativePaths("/tmp/wtx/y", "/tmp/wt"), "/tmp/wtx/y");
    });
});

describe("plan diff: replacements", () => {
    it("claims a replacement only from the provider's schema (with its source) or replaceOnChanges", () => {
        assert.deepEqual(replacementReasons("aws:ec2/vpc:Vpc", ["tags.Name"]), []);
        const r = replacementReasons("aws:ec2/vpc:Vpc", ["cidrBlock", "tags.Name"]);
        assert.deepEqual(r.map(x => x.property), ["cidrBlock"]);
        assert.match(r[0].source, /terraform-provider-aws .* internal\/service\/ec2\/vpc_\.go \(aws_vpc\): ForceNew$/);
        assert.deepEqual(replacementReasons("aws:sns/topic:Topic", ["displayName"]), []);
        assert.deepEqual(replacementReasons("aws:sns/topic:Topic", ["displayName"], ["displayName"]).map(x => x.source), ["the resource's replaceOnChanges option"]);
        assert.deepEqual(replacementReasons("aws:ecs/taskDefinition:TaskDefinition", ["containerDefinitions[0].image"]).map(x => x.property), ["containerDefinitions"]);
    });

    it("follows nested blocks: a ForceNew attribute inside a block, and a whole block that holds one", () => {
        const nested = REPLACEMENT_RULES.find(r => r.property.includes("."))!;
        assert.ok(nested, "the extracted schema has nested ForceNew attributes");
        const [block, leaf] = [nested.property.slice(0, nested.property.indexOf(".")), nested.property.slice(nested.property.indexOf(".") + 1)];
        assert.deepEqual(replacementReasons(nested.type, [`${block}[0].${leaf}`]).map(x => x.property), [nested.property]);
        assert.deepEqual(replacementReasons(nested.type, [block]).map(x => x.property), [nested.property], "the block added or removed");
        assert.deepEqual(replacementReasons(nested.type, [`${block}[0].someOtherField`]), []);
    });

    it("has a row for every resource type the platform declares: extracted from the provider, or listed with why it is not", () => {
        const notExtracted = FORCE_NEW.notExtracted ?? {};
        const missing = declaredTypes().filter(t => !(t in FORCE_NEW.resources) && !(t in FORCE_NEW.notFromTerraform) && !(t in notExtracted));
        assert.deepEqual(missing, []);
        // A bridged type has extracted rows, or is listed, with why, as not extracted yet (docs/plan-diff.md, "Limits").
        for (const t of declaredTypes().filter(t => t.startsWith("aws:"))) assert.ok(t in FORCE_NEW.resources || (notExtracted[t] ?? "").length > 40, `${t} is bridged from Terraform: it needs extracted rows`);
        for (const t of Object.keys(notExtracted)) assert.ok(!(t in FORCE_NEW.resources), `${t} has rows: drop it from notExtracted`);
        for (const [t, why] of Object.entries(FORCE_NEW.notFromTerraform)) assert.ok(why.length > 20, t);
        assert.match(FORCE_NEW.source.commit ?? "", /^[0-9a-f]{40}$/);
    });

    it("was extracted for the pinned @pulumi/aws: bumping the pin without regenerating fails here", () => {
        const pinned = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/aws"];
        assert.match(pinned, /^\d+\.\d+\.\d+$/, "@pulumi/aws is pinned exactly");
        assert.equal(FORCE_NEW.pulumiAws, pinned, `policies/facts/force-new.json was generated with @pulumi/aws ${FORCE_NEW.pulumiAws}; package.json pins ${pinned}. Fix: regenerate it (docs/plan-diff.md, "Replacement")`);
        const from = FORCE_NEW.source.bridgedBy;
        if (from) {
            assert.equal(from.tag, `v${pinned}`, "read from the pinned release's upstream");
            assert.equal(from.upstream, FORCE_NEW.source.commit);
            assert.ok(Array.isArray(FORCE_NEW.source.patches), "the release's patches were looked at");
        } else {
            // A revision given by hand: the data and every replacement it claims say it is unchecked.
            assert.match(FORCE_NEW.source.note, /not derived from a pulumi-aws release/);
            assert.match(REPLACEMENT_RULES[0].source, new RegExp(`not checked to be what @pulumi/aws ${pinned.replace(/\./g, "\\.")} bridges`));
        }
    });

    it("names only properties @pulumi/aws's typings have", () => {
        const wrong: string[] = [];
        for (const r of REPLACEMENT_RULES) {
            const [, mod, file, cls] = /^aws:([a-z0-9]+)\/(\w+):(\w+)$/.exec(r.type)!;
            const dts = fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "aws", mod, `${file}.d.ts`), "utf8");
            const args = dts.slice(dts.indexOf(`export interface ${cls}Args {`));
            const top = r.property.split(".")[0];
            if (!new RegExp(`^    ${top}\\??:`, "m").test(args.slice(0, args.indexOf("\n}")))) wrong.push(`${r.type} ${r.property}`);
        }
        assert.deepEqual(wrong, []);
    });

    it("agrees with CloudFormation's create-only properties of a target group and a subnet (an independent source)", () => {
        // AWS CloudFormation resource schemas, AWS::ElasticLoadBalancingV2::TargetGroup and AWS::EC2::Subnet, createOnlyProperties.
        const of = (type: string) => new Set(REPLACEMENT_RULES.filter(r => r.type === type).map(r => r.property));
        const tg = of("aws:lb/targetGroup:TargetGroup");
        for (const p of ["name", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"]) assert.ok(tg.has(p), `target group ${p}`);
        const subnet = of("aws:ec2/subnet:Subnet");
        for (const p of ["availabilityZone", "availabilityZoneId", "cidrBlock", "vpcId", "outpostArn"]) assert.ok(subnet.has(p), `subnet ${p}`);
    });
});

describe("plan diff: a catalog port change on two real plans", function () {
    this.timeout(300_000);
    it("shows the service's target group replaced because of its port", async () => {
        const services = (port: number) => [
            { name: "web", runtime: "fargate", port: 8080, image: "1.0.0", consumes: ["orders"] },
            { name: "orders", runtime: "fargate", port, image: "1.0.0" },
        ];
        const base = await plan(catalogConfig(services(8080), { protectStatefulResources: false }), "preview", "port-base");
        const head = await plan(catalogConfig(services(9090), { protectStatefulResources: false }), "preview", "port-base");
        const d = diffPlans(base, head);
        const tgs = d.changed.filter(c => c.type === "aws:lb/targetGroup:TargetGroup" && c.service === "orders");
        assert.ok(tgs.length > 0, JSON.stringify(d.changed.map(c => [c.type, c.name, c.action])));
        for (const tg of tgs) {
            assert.equal(tg.action, "replace", `${tg.name}: ${JSON.stringify(tg)}`);
            assert.ok(tg.replacedBecause.some(r => r.property === "port" && /ForceNew/.test(r.source)), JSON.stringify(tg.replacedBecause));
        }
        assert.ok(!d.changed.some(c => c.service === "web" && c.type === "aws:lb/targetGroup:TargetGroup"), "web's own target group is untouched");
    });
});

/** A git repository in a fresh temporary directory, with `files` committed; `git` runs in it. */
function fixtureRepo(prefix: string, files: Record<string, string>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const git = (...a: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", ...a], { cwd: dir, encoding: "utf8" });
    for (const [f, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), text);
    }
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "fixture");
    return { dir, git, head: git("rev-parse", "HEAD").trim() };
}

/** A provider written the ways terraform-provider-aws writes schemas: SDKv2, a framework resource as v5 and as v6 declare it. */
const PROVIDER_FIXTURE: Record<string, string> = {
    "CHANGELOG.md": "## 9.9.9 (Unreleased)\n",
    "names/attr_consts_gen.go": ["package names", "const (", "\tAttrClusterName = \"cluster_name\"", ")"].join("\n"),
    "internal/service/elbv2/target_group.go": [
        "package elbv2",
        "const attrPort = \"port\"",
        "// @SDKResource(\"aws_lb_target_group\", name=\"Target Group\")",
        "func ResourceTargetGroup() *schema.Resource {",
        "\treturn &schema.Resource{",
        "\t\tSchema: map[string]*schema.Schema{",
        "\t\t\tattrPort: { Type: schema.TypeInt, Optional: true, ForceNew: true }, // a comment, with a comma",
        "\t\t\t\"name\": { Type: schema.TypeString, ForceNew: true, ValidateFunc: validation.StringMatch(regexp.MustCompile(`^[a-z}]+$`), \"x\") },",
        "\t\t\t\"health_check\": { Type: schema.TypeList, MaxItems: 1, Elem: &schema.Resource{ Schema: map[string]*schema.Schema{",
        "\t\t\t\t\"interval\": { Type: schema.TypeInt },",
        "\t\t\t\t\"protocol\": { Type: schema.TypeString, ForceNew: true },",
        "\t\t\t}}},",
        "\t\t\t\"stickiness\": stickinessSchema(),",
        "\t\t\t\"tags\": tftags.TagsSchema(),",
        "\t\t},",
        "\t}",
        "}",
        "func stickinessSchema() *schema.Schema {",
        "\treturn &schema.Schema{ Type: schema.TypeList, Optional: true, ForceNew: true }",
        "}",
    ].join("\n"),
    "internal/service/elbv2/attachment.go": [
        "package elbv2",
        "func (r *attachment) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {",
        "\tresp.TypeName = \"aws_lb_target_group_attachment\"",
        "}",
        "func (r *attachment) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {",
        "\tresp.Schema = schema.Schema{",
        "\t\tAttributes: map[string]schema.Attribute{",
        "\t\t\t\"target_id\": schema.StringAttribute{ Required: true, PlanModifiers: []planmodifier.String{ stringplanmodifier.RequiresReplace() } },",
        "\t\t\t\"port\": schema.Int64Attribute{ Optional: true },",
        "\t\t},",
        "\t}",
        "}",
    ].join("\n"),
    // A framework resource as the v6 provider declares one: the type name in the annotation, no Metadata method.
    "internal/service/eks/pod_identity_association.go": [
        "package eks",
        "// @FrameworkResource(\"aws_eks_pod_identity_association\", name=\"Pod Identity Association\")",
        "func newPodIdentityAssociationResource(_ context.Context) (resource.ResourceWithConfigure, error) {",
        "\treturn &podIdentityAssociationResource{}, nil",
        "}",
        "func (r *podIdentityAssociationResource) Schema(ctx context.Context, request resource.SchemaRequest, response *resource.SchemaResponse) {",
        "\tresponse.Schema = schema.Schema{",
        "\t\tAttributes: map[string]schema.Attribute{",
        "\t\t\tnames.AttrClusterName: schema.StringAttribute{ Required: true, PlanModifiers: []planmodifier.String{ stringplanmodifier.RequiresReplace() } },",
        "\t\t\t\"role_arn\": schema.StringAttribute{ Required: true },",
        "\t\t},",
        "\t}",
        "}",
    ].join("\n"),
};
// The v6 provider's per-resource `region`: replaced when it changes, for types registered with Region override.
PROVIDER_FIXTURE["internal/provider/sdkv2/region.go"] = ["package sdkv2", "func forceNewIfRegionChanges() customizeDiffInterceptor {", "\treturn nil", "}"].join("\n");
PROVIDER_FIXTURE["internal/service/elbv2/service_package_gen.go"] = [
    "package elbv2",
    "func (p *servicePackage) SDKResources(ctx context.Context) []*inttypes.ServicePackageSDKResource {",
    "\treturn []*inttypes.ServicePackageSDKResource{",
    "\t\t{",
    "\t\t\tFactory:  resourceTargetGroup,",
    "\t\t\tTypeName: \"aws_lb_target_group\",",
    "\t\t\tRegion:   unique.Make(inttypes.ResourceRegionDefault()),",
    "\t\t},",
    "\t\t{",
    "\t\t\tFactory:  resourceOther,",
    "\t\t\tTypeName: \"aws_lb_target_group_attachment\",",
    "\t\t\tRegion:   unique.Make(inttypes.ResourceRegionDisabled()),",
    "\t\t},",
    "\t}",
    "}",
].join("\n");
const FIXTURE_TYPES = ["aws:lb/targetGroup:TargetGroup", "aws:lb/targetGroupAttachment:TargetGroupAttachment", "aws:eks/podIdentityAssociation:PodIdentityAssociation"];

describe("the ForceNew extraction script", () => {
    it("reads ForceNew (SDKv2, nested blocks, package-level schemas) and RequiresReplace (framework, v5 and v6 style) from a provider's git tree", () => {
        const repo = fixtureRepo("tfaws-", PROVIDER_FIXTURE);
        try {
            const data = extract(GitFiles.at(repo.dir, "HEAD"), "HEAD", "", FIXTURE_TYPES);
            assert.deepEqual(data.resources["aws:lb/targetGroup:TargetGroup"].forceNew, ["healthCheck.protocol", "name", "port", "region", "stickiness"]);
            assert.equal(data.source.regionReplaces, "internal/provider/sdkv2/region.go");
            assert.ok(data.resources["aws:lb/targetGroupAttachment:TargetGroupAttachment"].sdkOnly?.includes("region"), "registered without Region override: its region is not claimed");
            assert.deepEqual(data.resources["aws:lb/targetGroupAttachment:TargetGroupAttachment"].forceNew, ["targetId"]);
            assert.deepEqual(data.resources["aws:eks/podIdentityAssociation:PodIdentityAssociation"].forceNew, ["clusterName"]);
            assert.equal(data.source.version, "9.9.9");
            assert.equal(data.source.commit, repo.head);
            assert.equal(data.source.bridgedBy, null);
            assert.match(data.source.note, /not derived from a pulumi-aws release/, "a revision given by hand says it was not checked against the pinned release");
            // The same files as a plain directory give the same rows, and no commit.
            const fromDir = extract(new DirFiles(repo.dir), "a directory", "", FIXTURE_TYPES);
            assert.deepEqual(fromDir.resources, data.resources);
            assert.equal(fromDir.source.commit, null);
        } finally {
            fs.rmSync(repo.dir, { recursive: true, force: true });
        }
    });

    it("reads the revision a pulumi-aws release records as its upstream submodule, with the release's patches applied and reported", () => {
        const provider = fixtureRepo("tfaws-", PROVIDER_FIXTURE);
        // A later provider commit that the release does not point at: what is read must not come from it.
        fs.writeFileSync(path.join(provider.dir, "CHANGELOG.md"), "## 10.0.0 (Unreleased)\n");
        provider.git("commit", "-q", "-am", "later");
        // A patch as pulumi-aws keeps them (git format-patch from the upstream checkout): makes the attachment's port ForceNew.
        const patch = [
            "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001",
            "Subject: [PATCH] Replace on port",
            "",
            "diff --git a/internal/service/elbv2/attachment.go b/internal/service/elbv2/attachment.go",
            "--- a/internal/service/elbv2/attachment.go",
            "+++ b/internal/service/elbv2/attachment.go",
            "@@ -8,3 +8,3 @@",
            " \t\t\t\"target_id\": schema.StringAttribute{ Required: true, PlanModifiers: []planmodifier.String{ stringplanmodifier.RequiresReplace() } },",
            "-\t\t\t\"port\": schema.Int64Attribute{ Optional: true },",
            "+\t\t\t\"port\": schema.Int64Attribute{ Optional: true, PlanModifiers: []planmodifier.Int64{ int64planmodifier.RequiresReplace() } },",
            " \t\t},",
            "",
        ].join("\n");
        const other = ["diff --git a/README.md b/README.md", "--- a/README.md", "+++ b/README.md", "@@ -1 +1 @@", "-a", "+b", ""].join("\n");
        fs.writeFileSync(path.join(provider.dir, "README.md"), "a\n");
        provider.git("add", "README.md");
        provider.git("commit", "-q", "-m", "readme");
        const upstream = provider.git("rev-parse", "HEAD~1").trim(); // has no README: the second patch must fail to apply there
        const pulumiAws = fixtureRepo("pulumi-aws-", { "patches/0001-Replace-on-port.patch": patch });
        const tag = `v${installedPulumiAws()}`;
        try {
            pulumiAws.git("update-index", "--add", "--cacheinfo", `160000,${provider.head},upstream`);
            pulumiAws.git("commit", "-q", "-m", "upstream");
            pulumiAws.git("tag", tag);
            const b = fromPulumiAws(pulumiAws.dir, tag, provider.dir);
            assert.equal(b.pulumiAws.upstream, provider.head);
            const data = extract(b.files, `upstream of pulumi-aws ${tag}`, "", FIXTURE_TYPES, b);
            assert.equal(data.source.commit, provider.head);
            assert.equal(data.source.version, "9.9.9", "read at the recorded commit, not at the provider's newest");
            assert.deepEqual(data.resources["aws:lb/targetGroupAttachment:TargetGroupAttachment"].forceNew, ["port", "targetId"], "the patch is applied");
            assert.deepEqual(data.source.bridgedBy, { repository: "pulumi/pulumi-aws", tag, commit: pulumiAws.git("rev-parse", "HEAD").trim(), upstream: provider.head, patches: ["0001-Replace-on-port.patch"] });
            assert.deepEqual(data.source.patches, [{ patch: "0001-Replace-on-port.patch", declaredFiles: ["internal/service/elbv2/attachment.go"], changesForceNew: true }]);
            assert.equal(data.source.note, "");
            assert.match(sourceLabel(data), new RegExp(`; as pulumi-aws ${tag} bridges it\\)$`));
            // Another release than the installed one is refused; so is a patch that does not apply.
            pulumiAws.git("tag", "v0.0.1");
            assert.throws(() => extract(b.files, "x", "", FIXTURE_TYPES, fromPulumiAws(pulumiAws.dir, "v0.0.1", provider.dir)), /is not the installed @pulumi\/aws/);
            pulumiAws.git("update-index", "--add", "--cacheinfo", `160000,${upstream},upstream`);
            fs.writeFileSync(path.join(pulumiAws.dir, "patches", "0002-Readme.patch"), other);
            pulumiAws.git("add", "patches"); // not -A: the gitlink has no directory behind it
            pulumiAws.git("commit", "-q", "-m", "older upstream");
            pulumiAws.git("tag", "-f", tag);
            assert.throws(() => fromPulumiAws(pulumiAws.dir, tag, provider.dir), /0002-Readme\.patch of pulumi-aws .* does not apply/);
        } finally {
            fs.rmSync(provider.dir, { recursive: true, force: true });
            fs.rmSync(pulumiAws.dir, { recursive: true, force: true });
        }
    });

    it("reads which patch lines change a ForceNew", () => {
        const d = (file: string, ...lines: string[]) => [`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`, "@@ -1 +1 @@", ...lines].join("\n");
        const text = [d("a.go", " ForceNew: true,", "-x", "+y"), d("b.go", "-\t\tForceNew: true,", "+\t\tComputed: true,")].join("\n");
        assert.deepEqual(patchFiles(text), ["a.go", "b.go"]);
        assert.equal(patchChangesForceNew(text, "a.go"), false, "a context line is not a change");
        assert.equal(patchChangesForceNew(text, "b.go"), true);
        assert.equal(patchChangesForceNew(text, "c.go"), false);
    });

    it("maps names as the bridge does", () => {
        assert.equal(terraformName("aws:lb/targetGroup:TargetGroup"), "aws_lb_target_group");
        assert.equal(terraformName("aws:ec2/vpcEndpointService:VpcEndpointService"), "aws_vpc_endpoint_service");
        assert.equal(terraformName("aws:apigateway/restApi:RestApi"), "aws_api_gateway_rest_api");
        assert.equal(terraformName("aws:lb/loadBalancer:LoadBalancer"), "aws_lb");
        assert.deepEqual(["policy", "subnet_id", "encryption_configuration", "ingress"].map(w => plural(camel(w))), ["policies", "subnetIds", "encryptionConfigurations", "ingress"]);
    });
});

describe("plan diff: moved URNs", () => {
    const oldParent = rec("privatelink:network:IsolatedVpc", "web");
    const newParent = rec("privatelink:network:Network", "web", {}, ROOT_URN, { options: { ...rec("x", "y").options, aliases: [{ type: "privatelink:network:IsolatedVpc" }] } });

    it("follows an alias spec and the children of an aliased parent: moved, updated in place", () => {
        const base = snap([oldParent, rec("aws:ec2/vpc:Vpc", "web-vpc", { cidrBlock: "10.0.0.0/16" }, oldParent.urn)]);
        const head = snap([newParent, rec("aws:ec2/vpc:Vpc", "web-vpc", { cidrBlock: "10.0.0.0/16" }, newParent.urn)]);
        const d = diffPlans(base, head);
        assert.deepEqual(d.added, []);
        assert.deepEqual(d.removed, []);
        assert.deepEqual(d.moved.map(m => [m.name, m.how, m.effect]), [["web", "alias", "update in place"], ["web-vpc", "alias", "update in place"]]);
        assert.deepEqual(d.changed, [], "a pure move changes nothing");
    });

    it("pairs same type and name under a new parent without an alias: moved, deleted and created", () => {
        const plain = rec("privatelink:network:Network", "web");
        const base = snap([oldParent, rec("aws:ec2/vpc:Vpc", "web-vpc", {}, oldParent.urn)]);
        const head = snap([plain, rec("aws:ec2/vpc:Vpc", "web-vpc", {}, plain.urn)]);
        const d = diffPlans(base, head);
        const vpc = d.moved.find(m => m.name === "web-vpc");
        assert.equal(vpc?.how, "reparented");
        assert.equal(vpc?.effect, "delete and create");
        assert.equal(d.changed.find(c => c.name === "web-vpc")?.action, "replace");
        // The components differ in type: an added one and a removed one, not a move.
        assert.deepEqual(d.added.map(r => r.name), ["web"]);
        assert.deepEqual(d.removed.map(r => r.name), ["web"]);
    });

    it("lets a moved resource's findings follow it", () => {
        const v = (urn: string): Violation => ({ policy: "p", enforcementLevel: "advisory", urn, message: "m" });
        const base = snap([oldParent], [v(oldParent.urn)]);
        const head = snap([newParent], [v(newParent.urn)]);
        const d = diffPlans(base, head);
        assert.deepEqual([d.findings.new, d.findings.resolved], [[], []]);
    });
});

describe("plan diff: services, edges, findings, cost", () => {
    const tagged = (type: string, name: string, tags: Record<string, string>, inputs: Record<string, unknown> = {}) => rec(type, name, { ...inputs, tags });
    it("reads services and edges from the program's tags and keys findings by policy, resource and message", () => {
        const base = snap(
            [tagged("aws:ec2/vpc:Vpc", "a-vpc", { "privatelink:service": "a" }), tagged("aws:ec2/vpcEndpoint:VpcEndpoint", "a-to-b", { "privatelink:service": "a", "privatelink:edge": "a->b" })],
            [{ policy: "x", enforcementLevel: "mandatory", urn: null, message: "old" }, { policy: "u", enforcementLevel: "advisory", urn: null, message: "can't run policy 'u' during preview: string value at .policy can't be known during preview" }],
        );
        const head = snap([tagged("aws:ec2/vpc:Vpc", "a-vpc", { "privatelink:service": "a" }), tagged("aws:ec2/vpc:Vpc", "c-vpc", { "privatelink:service": "c" })], [
            { policy: "x", enforcementLevel: "mandatory", urn: null, message: "new" },
        ]);
        const d = diffPlans(base, head, { base: { currency: "USD", total: 10, services: { a: 10 } }, head: { currency: "USD", total: 25.005, services: { a: 5, c: 20.005 } } });
        assert.deepEqual(d.services, { added: ["c"], removed: [], changed: ["a"] });
        assert.deepEqual(d.edges, { added: [], removed: ["a->b"] });
        assert.deepEqual(d.findings.new.map(f => f.message), ["new"]);
        assert.deepEqual(d.findings.resolved.map(f => f.message), ["old"]);
        assert.deepEqual(d.findings.unknownInPreview, { base: 1, head: 0 });
        assert.deepEqual(d.cost, { currency: "USD", base: 10, head: 25.01, delta: 15.01, services: [{ service: "c", base: 0, head: 20.01, delta: 20.01 }, { service: "a", base: 10, head: 5, delta: -5 }] });
    });

    it("adds up: the delta is the difference of the rounded totals", () => {
        const c = costDelta({ currency: "USD", total: 1.004, services: {} }, { currency: "USD", total: 2.006, services: {} });
        assert.equal(c.delta, Math.round((c.head - c.base) * 100) / 100);
    });
});

describe("plan diff: the comment stays within GitHub's limit", () => {
    it("cuts the resource list, not the summary, when the diff is large", () => {
        const added = Array.from({ length: 5000 }, (_, i) => ({ urn: `u${i}`, type: "aws:ec2/securityGroup:SecurityGroup", name: `sg-${i}-${"x".repeat(20)}`, service: "s" }));
        const report: PlanDiffReport = {
            stack: "dev", mode: "preview",
            base: { ref: "main", commit: "0".repeat(40), install: "shared", timings: { worktreeMs: 0, installMs: 0, planMs: 0, totalMs: 0 } },
            diff: {
                stack: "dev", base: { resources: 0, findings: 0 }, head: { resources: 5000, findings: 0 }, added, removed: [], changed: [], moved: [],
                services: { added: ["s"], removed: [], changed: [] }, edges: { added: [], removed: [] },
                findings: { new: [], resolved: [], unknownInPreview: { base: 0, head: 0 } }, costUnavailable: "none",
                summary: { added: 5000, removed: 0, changed: 0, replaced: 0, moved: 0, newFindings: 0, resolvedFindings: 0, newMandatory: 0 },
            },
        };
        const body = renderComment(report, { mermaid: "graph LR\n" + "a-->b\n".repeat(20000) });
        assert.ok(body.length <= MAX_COMMENT_CHARS, String(body.length));
        assert.match(body, /\*\*5000\*\* to create/);
        assert.match(body, /more lines: see the workflow's artifact/);
        assert.doesNotMatch(body, /```mermaid/);
    });
});
