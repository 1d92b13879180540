/**
 * AWS Systems Manager Parameter Store in the fake cloud: parameters the
 * stack creates (world state), and the one read, answered from the world or
 * from AWS's documented public parameters.
 *
 * Sources:
 * - `aws_ssm_parameter` (resource): id = name; ARN
 *   `arn:aws:ssm:<region>:<account>:parameter/<name without leading slash>`;
 *   tier `Standard`, data type `text`, version 1 on create
 *   (terraform-provider-aws `internal/service/ssm/parameter.go`; SSM API
 *   reference, PutParameter).
 * - `aws_ssm_parameter` (data source, `aws.ssm.getParameter`),
 *   `internal/service/ssm/parameter_data_source.go`: `findParameterByName`
 *   wraps `ParameterNotFound` in `retry.NotFoundError`; the read reports
 *   `reading SSM Parameter (<name>): couldn't find resource`. It sets id =
 *   name, `arn`, `type`, `value`, `version`, and `insecure_value` unless the
 *   type is SecureString.
 * - Public parameters: AWS publishes the current ECS-optimized AMI ids under
 *   `/aws/service/ecs/optimized-ami/amazon-linux-2023/[arm64/|gpu/|neuron/]recommended[/image_id]`
 *   in every commercial Region (Amazon ECS Developer Guide, "Retrieving
 *   Amazon ECS-optimized Linux AMI metadata"), readable by every account
 *   (ARN with an empty account field). Those names are the only public
 *   parameters modelled; another `/aws/service/...` name is not found.
 *   The AMI id itself is AWS's current release, which no offline source
 *   gives: an `ami-` id derived from the name and Region stands for it.
 */
import { arn, Handler, hashHex, InvokeCtx, Props, providerNotFound, ServiceModel, str } from "./common";

const ECS_AL2023 = "/aws/service/ecs/optimized-ami/amazon-linux-2023";
const ECS_AL2023_VARIANTS = ["", "arm64/", "gpu/", "neuron/"];

/** The public parameter's value in a Region, or undefined when AWS publishes no such parameter. */
export function publicParameter(name: string, region: string): string | undefined {
    for (const variant of ECS_AL2023_VARIANTS) {
        const base = `${ECS_AL2023}/${variant}recommended`;
        const ami = `ami-0${hashHex(`${base}|${region}`, 16)}`;
        if (name === `${base}/image_id`) return ami;
        if (name === base) {
            return JSON.stringify({
                ecs_agent_version: "1.95.0",
                ecs_runtime_version: "Docker version 25.0.8",
                image_id: ami,
                image_name: `al2023-ami-ecs-${variant === "gpu/" ? "gpu-" : variant === "neuron/" ? "neuron-" : ""}hvm-2023.0.20260101-kernel-6.1-${variant === "arm64/" ? "arm64" : "x86_64"}`,
                os: "Amazon Linux 2023",
                schema_version: 1,
                source_image_name: "al2023-ami-minimal-2023.0.20260101-kernel-6.1",
            });
        }
    }
    return undefined;
}

function getParameter(c: InvokeCtx): Props {
    const name = str(c.inputs.name) ?? "";
    const own = c.world.parameters.get(name);
    const value = own?.value ?? (name.startsWith("/aws/service/") ? publicParameter(name, c.region) : undefined);
    if (value === undefined) throw providerNotFound(`reading SSM Parameter (${name})`);
    const type = own?.type ?? "String";
    return {
        id: name,
        name,
        value,
        ...(type !== "SecureString" ? { insecureValue: value } : {}),
        type,
        version: own?.version ?? 1,
        withDecryption: c.inputs.withDecryption ?? true,
        arn: `arn:${c.partition}:ssm:${c.region}:${own ? c.account : ""}:parameter${name.startsWith("/") ? "" : "/"}${name}`,
    };
}

const resources: Record<string, Handler> = {
    "aws:ssm/parameter:Parameter": c => {
        const name = c.autoname();
        const type = (str(c.inputs.type) ?? "String") as "String" | "StringList" | "SecureString";
        if (c.applies) {
            const previous = c.world.parameters.get(name);
            c.world.parameters.set(name, { name, value: str(c.inputs.value) ?? str(c.inputs.insecureValue) ?? "", type, version: (previous?.version ?? 0) + 1, dataType: str(c.inputs.dataType) ?? "text", createdBy: c.urn });
        }
        return { id: name, checked: { name }, computed: { arn: arn(c, "ssm", `parameter${name.startsWith("/") ? "" : "/"}${name}`), version: 1, tier: "Standard", dataType: "text" } };
    },
};

export const SSM: ServiceModel = { resources, invokes: { "aws:ssm/getParameter:getParameter": getParameter } };
