#!/usr/bin/env node
// One benchmark measurement in a fresh process:
//   node tools/bench/child.js <platform|platform-once|default|nodeargs|plan|env> <stack-file>
//   node tools/bench/child.js changed <stack-file> <git-ref>
// platform: how `npm run plan` runs the program (tools/preview/launch.js).
// platform-once: the same program and policy pack, each run once and nothing
//           else (no warm-up, no second timing), so the process's wall time is
//           theirs: what `npm run bench -- --peer` compares with CDK + cdk-nag.
// default:  how the Pulumi CLI runs a TypeScript program out of the box:
//           ts-node with type checking, Node's default stack-trace limit,
//           the SDK's promise debug wrappers on.
// Prints one JSON line: resources, programMs (program start to last
// registration), maxRssMb, and for the platform path policyMs (the policy
// pack over the same records) and the count of mandatory violations.
"use strict";
const path = require("path");
const started = process.hrtime.bigint();
const [variant, file, ref] = process.argv.slice(2);
const project = path.join(__dirname, "..", "..", "tsconfig.json");

if (variant === "platform" || variant === "platform-once") {
    // Exactly what `npm run plan` does.
    require("../preview/launch").configure();
} else if (variant === "default") {
    // The SDK untouched (its promise debug wrappers on), ts-node type-checking
    // as the Pulumi CLI does by default, Node's default stack-trace limit.
    process.env.PREVIEW_SDK_DEBUG = "1";
    require("ts-node").register({ transpileOnly: false, project });
} else if (variant === "nodeargs") {
    // The default path with the Node flags Pulumi.yaml passes to real runs
    // (runtime.options.nodeargs): what `pulumi up` itself gains.
    process.env.PREVIEW_SDK_DEBUG = "1";
    Error.stackTraceLimit = 1;
    require("v8").setFlagsFromString("--heap-growing-percent=50");
    require("ts-node").register({ transpileOnly: false, project });
} else if (variant === "plan" || variant === "env" || variant === "changed") {
    // Exactly `npm run plan -- --stack <stack file>` (plan), `npm run plan --
    // --env <stack file>` (env) or `npm run plan -- --env <stack file>
    // --changed <ref>` (changed): the CLI, policy pack and every section
    // included, its text output discarded. Prints resources, maxRssMb and the
    // plan's exit code; wall time is measured by the parent.
    require("../preview/launch").configure();
    runCli().catch(err => {
        console.error(err);
        process.exit(1);
    });
    return;
} else {
    console.error(`unknown variant ${variant}: use platform, platform-once, default, nodeargs, plan, env or changed`);
    process.exit(2);
}

const { runPreview } = require("../preview");
runPreview({ stack: "bench", configFile: file, mode: "preview" }).then(result => {
    if (result.errors) {
        console.error(JSON.stringify(result.errors));
        process.exit(2);
    }
    const programMs = Number(process.hrtime.bigint() - started) / 1e6;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    return measurePolicies(result).then(policy => {
        process.stdout.write(JSON.stringify({ resources: result.resources.length, programMs, maxRssMb, ...policy }) + "\n");
    });
}).catch(err => {
    console.error(err);
    process.exit(1);
});

/** The platform path also times the policy pack over the same records, as `npm run plan` runs it. */
async function measurePolicies(result) {
    if (variant === "platform-once") {
        return policyOnce(result);
    }
    if (variant !== "platform") {
        return {};
    }
    const { evaluate, reachability } = require("../../policies/evaluate");
    // What the reachability analysis adds to the plan: the pack without its three rules, then
    // the whole pack plus the plan's reachability section (they share one analysis).
    const off = { "reachability-declared-edges": "disabled", "reachability-no-undeclared-paths": "disabled", "reachability-workload-startup": "disabled" };
    // The stack's own configuration, as the engine hands it to the pack (PULUMI_CONFIG).
    const stackConfig = require("yaml").parse(require("fs").readFileSync(file, "utf8")).config;
    await evaluate(result.resources, { mode: "preview", config: {}, stackConfig }); // warm-up: the same code, JIT-compiled, for both timings
    await reachability(result.resources, { mode: "preview" });
    const t0 = process.hrtime.bigint();
    await evaluate(result.resources, { mode: "preview", config: off, stackConfig });
    const policyWithoutReachabilityMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const violations = await evaluate(result.resources, { mode: "preview", config: {}, stackConfig });
    const policyMs = Number(process.hrtime.bigint() - start) / 1e6;
    const used = process.cpuUsage(cpu);
    // CPU time of the same run: on a shared machine, less swayed by the other processes than wall time.
    const policyCpuMs = (used.user + used.system) / 1000;
    await reachability(result.resources, { mode: "preview" });
    const reachabilityMs = Number(process.hrtime.bigint() - start) / 1e6 - policyWithoutReachabilityMs;
    // The plan's cost estimate (tools/insights/cost.ts) over the same records, as `npm run plan` prints it.
    const { estimateMonthlyCost } = require("../insights/cost");
    const { renderCost } = require("../insights/cost-text");
    estimateMonthlyCost(result.resources, { stackConfig }); // warm-up
    const c0 = process.hrtime.bigint();
    renderCost(estimateMonthlyCost(result.resources, { stackConfig }), true);
    const costMs = Number(process.hrtime.bigint() - c0) / 1e6;
    return { policyMs, policyCpuMs, policyWithoutReachabilityMs, reachabilityMs, costMs, mandatory: violations.filter(v => v.enforcementLevel === "mandatory").length };
}

/**
 * platform-once: the whole pack over the records once, cold, as the engine
 * hands it the stack's configuration; then the process's CPU time, peak RSS
 * and how many of the records are AWS resources (the rest are components).
 */
async function policyOnce(result) {
    const { evaluate } = require("../../policies/evaluate");
    const stackConfig = require("yaml").parse(require("fs").readFileSync(file, "utf8")).config;
    const start = process.hrtime.bigint();
    const violations = await evaluate(result.resources, { mode: "preview", config: {}, stackConfig });
    const policyMs = Number(process.hrtime.bigint() - start) / 1e6;
    const usage = process.resourceUsage();
    return {
        policyMs,
        mandatory: violations.filter(v => v.enforcementLevel === "mandatory").length,
        awsResources: result.resources.filter(r => r.custom).length,
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        maxRssMb: usage.maxRSS / 1024,
    };
}

/** The `plan`, `env` and `changed` variants: the CLI's own main(), output kept only for its summary line. */
async function runCli() {
    const { main } = require("../preview/cli");
    const args = variant === "plan" ? ["--stack", "bench", "--config-file", file] : ["--env", "bench", "--config-file", file, ...(variant === "changed" ? ["--changed", ref] : [])];
    let text = "";
    // The program's own messages (warnings of edges waiting for a wave) are not part of the measurement's output.
    const code = await main(args, s => { text += s; }, () => undefined);
    if (code !== 0) {
        console.error(text.slice(-4000));
        process.exit(2);
    }
    const resources = variant === "plan"
        ? Number(/\+ (\d+) to create/.exec(text)?.[1] ?? NaN)
        : Number(/shard\(s\), (\d+) resources/.exec(text)?.[1] ?? NaN);
    const runs = variant !== "plan" ? Number(/(\d+) program runs/.exec(text)?.[1] ?? NaN) : 1;
    // --changed: what the change touched, what was planned again, what came from the cache.
    const changed = variant === "changed" ? {
        touched: Number(/: (\d+) shard\(s\) touched/.exec(text)?.[1] ?? NaN),
        replanned: Number(/planned again [^:]*: (\d+)/.exec(text)?.[1] ?? NaN),
        cached: Number(/from the cache [^:]*: (\d+) shard/.exec(text)?.[1] ?? NaN),
    } : {};
    const mandatory = Number(/(\d+) mandatory violations?/.exec(text)?.[1] ?? NaN);
    // The environment plan's table: stack, account, resources, runs, ... per shard.
    const perShard = [...text.matchAll(/^ {2}\S+ +\d{12}\*? +(\d+) +\d+ /gm)].map(m => Number(m[1])).sort((a, b) => a - b);
    const shards = perShard.length > 0 ? { shards: perShard.length, perShard: { min: perShard[0], median: perShard[Math.floor(perShard.length / 2)], max: perShard[perShard.length - 1] } } : {};
    process.stdout.write(JSON.stringify({ resources, runs, mandatory, ...shards, ...changed, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + "\n");
}
