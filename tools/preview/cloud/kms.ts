/**
 * AWS KMS in the fake cloud: keys and aliases.
 *
 * Sources:
 * - Key id: a UUID; key ARN `arn:aws:kms:<region>:<account>:key/<key id>`;
 *   alias ARN `…:alias/<name>` (KMS Developer Guide, "Key identifiers (KeyId)").
 * - Defaults: `ENCRYPT_DECRYPT`, `SYMMETRIC_DEFAULT`, single-Region, enabled
 *   (KMS API reference, CreateKey).
 */
import { arn, Handler, ServiceModel, str, uuid } from "./common";

const resources: Record<string, Handler> = {
    "aws:kms/key:Key": c => {
        const keyId = uuid(c.hex(32, "key"));
        return {
            id: keyId,
            computed: {
                arn: arn(c, "kms", `key/${keyId}`),
                keyId,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                keySpec: "SYMMETRIC_DEFAULT",
                isEnabled: true,
                multiRegion: false,
            },
        };
    },
    "aws:kms/alias:Alias": c => {
        const name = str(c.inputs.name) ?? `alias/${c.name}-${c.hex(7, "name")}`;
        const target = str(c.inputs.targetKeyId) ?? "";
        return {
            id: name,
            checked: { name },
            computed: { arn: arn(c, "kms", name), targetKeyArn: target.startsWith("arn:") ? target : arn(c, "kms", `key/${target}`) },
        };
    },
};

export const KMS: ServiceModel = { resources };
