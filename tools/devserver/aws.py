"""Create the template's keys, tables, queues, buckets and mail identities in a local moto server.

Everything comes from the resource definitions in infra/template.yaml: table keys, TTL attribute,
queue redrive, bucket encryption, CORS and the S3 -> SQS notification. Only the site's origin in
the bucket's CORS rules is swapped for the local one, since the browser runs against localhost.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import boto3

from devserver.motoserver import CorsRule
from devserver.template import Resolver, resources_of_type


def _client(service: str, endpoint: str, region: str) -> Any:
    make: Any = boto3.client  # one helper for several services; the stubs type each service apart
    return make(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's fake credentials
    )


def _name(resolver: Resolver, logical_id: str, props: dict[str, Any], key: str) -> str:
    if key in props:
        return str(resolver.resolve(props[key]))
    return f"{resolver.stack_name}-{logical_id}".lower()


def create_keys(resolver: Resolver, endpoint: str) -> None:
    kms = _client("kms", endpoint, resolver.region)
    for logical_id, props in resources_of_type(resolver.template, "AWS::KMS::Key").items():
        meta = kms.create_key(Description=str(props.get("Description", logical_id)))["KeyMetadata"]
        if props.get("EnableKeyRotation"):
            kms.enable_key_rotation(KeyId=meta["KeyId"])
        resolver.refs[logical_id] = meta["KeyId"]
        resolver.arns[logical_id] = meta["Arn"]


def create_tables(resolver: Resolver, endpoint: str) -> None:
    ddb = _client("dynamodb", endpoint, resolver.region)
    for logical_id, props in resources_of_type(resolver.template, "AWS::DynamoDB::Table").items():
        name = _name(resolver, logical_id, props, "TableName")
        args: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if "GlobalSecondaryIndexes" in props:
            args["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        if "StreamSpecification" in props:
            args["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        sse = props.get("SSESpecification")
        if sse:
            sse = resolver.resolve(sse)
            args["SSESpecification"] = {
                "Enabled": bool(sse.get("SSEEnabled")),
                **({"SSEType": sse["SSEType"]} if "SSEType" in sse else {}),
                **({"KMSMasterKeyId": sse["KMSMasterKeyId"]} if "KMSMasterKeyId" in sse else {}),
            }
        created = ddb.create_table(**args)["TableDescription"]
        arn = created["TableArn"]
        if "LatestStreamArn" in created:
            resolver.streams[logical_id] = created["LatestStreamArn"]
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            ddb.update_time_to_live(
                TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]}
            )
        pitr = props.get("PointInTimeRecoverySpecification", {})
        if pitr.get("PointInTimeRecoveryEnabled"):
            ddb.update_continuous_backups(
                TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
            )
        resolver.refs[logical_id] = name
        resolver.arns[logical_id] = arn


def create_queues(resolver: Resolver, endpoint: str) -> None:
    sqs = _client("sqs", endpoint, resolver.region)
    queues = resources_of_type(resolver.template, "AWS::SQS::Queue")
    # Dead-letter queues first: the others' redrive policies name them.
    ordered = sorted(queues.items(), key=lambda item: "RedrivePolicy" in item[1])
    for logical_id, props in ordered:
        name = _name(resolver, logical_id, props, "QueueName")
        attributes: dict[str, str] = {}
        for key in ("FifoQueue", "ContentBasedDeduplication"):
            if key in props:
                attributes[key] = str(bool(resolver.resolve(props[key]))).lower()
        for key in ("VisibilityTimeout", "MessageRetentionPeriod", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds"):
            if key in props:
                attributes[key] = str(resolver.resolve(props[key]))
        if "RedrivePolicy" in props:
            attributes["RedrivePolicy"] = json.dumps(resolver.resolve(props["RedrivePolicy"]))
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        resolver.refs[logical_id] = url
        resolver.arns[logical_id] = arn


def _cors(props: dict[str, Any], site_origins: list[str]) -> dict[str, Any] | None:
    rules = props.get("CorsConfiguration", {}).get("CorsRules")
    if not rules:
        return None
    out = []
    for rule in rules:
        converted: dict[str, Any] = {
            "AllowedMethods": rule["AllowedMethods"],
            # The template allows the public site's origin; locally the site is served from here.
            "AllowedOrigins": site_origins,
        }
        if "AllowedHeaders" in rule:
            converted["AllowedHeaders"] = rule["AllowedHeaders"]
        if "ExposedHeaders" in rule:
            converted["ExposeHeaders"] = rule["ExposedHeaders"]
        if "MaxAge" in rule:
            converted["MaxAgeSeconds"] = int(rule["MaxAge"])
        out.append(converted)
    return {"CORSRules": out}


def _notifications(resolver: Resolver, props: dict[str, Any]) -> dict[str, Any] | None:
    queue_configs = props.get("NotificationConfiguration", {}).get("QueueConfigurations")
    if not queue_configs:
        return None
    out = []
    for config in queue_configs:
        converted: dict[str, Any] = {
            "QueueArn": resolver.resolve(config["Queue"]),
            "Events": [config["Event"]],
        }
        rules = config.get("Filter", {}).get("S3Key", {}).get("Rules")
        if rules:
            converted["Filter"] = {"Key": {"FilterRules": rules}}
        out.append(converted)
    return {"QueueConfigurations": out}


def create_buckets(
    resolver: Resolver, endpoint: str, site_origins: list[str], cors_rules: dict[str, list[CorsRule]]
) -> None:
    s3 = _client("s3", endpoint, resolver.region)
    for logical_id, props in resources_of_type(resolver.template, "AWS::S3::Bucket").items():
        name = _name(resolver, logical_id, props, "BucketName")
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": resolver.region})
        if "PublicAccessBlockConfiguration" in props:
            s3.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
            )
        encryption = props.get("BucketEncryption")
        if encryption:
            rules = [
                {
                    "ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"],
                    **({"BucketKeyEnabled": rule["BucketKeyEnabled"]} if "BucketKeyEnabled" in rule else {}),
                }
                for rule in resolver.resolve(encryption["ServerSideEncryptionConfiguration"])
            ]
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
        if props.get("VersioningConfiguration", {}).get("Status") == "Enabled":
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        cors = _cors(props, site_origins)
        if cors:
            s3.put_bucket_cors(Bucket=name, CORSConfiguration=cors)
            cors_rules[name] = [
                CorsRule(
                    tuple(r["AllowedOrigins"]), tuple(r["AllowedMethods"]), tuple(r.get("ExposeHeaders", ()))
                )
                for r in cors["CORSRules"]
            ]
        notifications = _notifications(resolver, props)
        if notifications:
            s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration=notifications)
        resolver.refs[logical_id] = name
        resolver.arns[logical_id] = f"arn:aws:s3:::{name}"


def create_mail_identities(resolver: Resolver, endpoint: str) -> None:
    """The template's sending identities, verified at once (moto refuses mail from an unverified one)."""
    ses = _client("sesv2", endpoint, resolver.region)
    for logical_id, props in resources_of_type(resolver.template, "AWS::SES::EmailIdentity").items():
        if not resolver.included(logical_id):
            continue
        identity = str(resolver.resolve(props["EmailIdentity"]))
        ses.create_email_identity(EmailIdentity=identity)
        resolver.refs[logical_id] = identity


def create_user_pools(resolver: Resolver, endpoint: str) -> None:
    """The template's user pools, their app clients and groups (moto answers Cognito's JWKS for each pool)."""
    cognito = _client("cognito-idp", endpoint, resolver.region)
    for logical_id, props in resources_of_type(resolver.template, "AWS::Cognito::UserPool").items():
        args: dict[str, Any] = {"PoolName": _name(resolver, logical_id, props, "UserPoolName")}
        for key in ("Policies", "AdminCreateUserConfig", "AccountRecoverySetting", "MfaConfiguration"):
            if key in props:
                args[key] = resolver.resolve(props[key])
        pool = cognito.create_user_pool(**args)["UserPool"]
        if "SOFTWARE_TOKEN_MFA" in props.get("EnabledMfas", []):  # an authenticator app, as the template asks
            cognito.set_user_pool_mfa_config(
                UserPoolId=pool["Id"], SoftwareTokenMfaConfiguration={"Enabled": True},
                MfaConfiguration=str(props.get("MfaConfiguration", "OPTIONAL")),
            )
        resolver.refs[logical_id] = pool["Id"]
        resolver.arns[logical_id] = pool["Arn"]
    for logical_id, props in resources_of_type(resolver.template, "AWS::Cognito::UserPoolClient").items():
        client = cognito.create_user_pool_client(
            UserPoolId=resolver.resolve(props["UserPoolId"]),
            ClientName=str(props.get("ClientName", logical_id)),
            GenerateSecret=bool(props.get("GenerateSecret", False)),
            ExplicitAuthFlows=list(props.get("ExplicitAuthFlows", [])),
        )["UserPoolClient"]
        resolver.refs[logical_id] = client["ClientId"]
    for logical_id, props in resources_of_type(resolver.template, "AWS::Cognito::UserPoolGroup").items():
        name = str(props["GroupName"])
        cognito.create_group(
            UserPoolId=resolver.resolve(props["UserPoolId"]), GroupName=name, Description=props.get("Description", "")
        )
        resolver.refs[logical_id] = name


def create_staff_member(resolver: Resolver, endpoint: str, pool: str, group: str, username: str) -> str:
    """One member of the group with a fresh random password (returned, never stored); signs in at once."""
    cognito = _client("cognito-idp", endpoint, resolver.region)
    pool_id = resolver.refs[pool]
    # meets the template's password policy: length, lower, upper, digit, symbol
    password = f"Desk-{secrets.token_urlsafe(12)}-7a"
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=resolver.refs[group])
    return password


def provision(
    resolver: Resolver, endpoint: str, site_origins: list[str], cors_rules: dict[str, list[CorsRule]]
) -> None:
    """Create every key, table, queue, bucket, mail identity and user pool of the template, in dependency order.

    `cors_rules` receives each bucket's CORS rules, for the server's POST responses.
    """
    create_keys(resolver, endpoint)
    create_tables(resolver, endpoint)
    create_queues(resolver, endpoint)
    create_buckets(resolver, endpoint, site_origins, cors_rules)
    create_mail_identities(resolver, endpoint)
    create_user_pools(resolver, endpoint)
