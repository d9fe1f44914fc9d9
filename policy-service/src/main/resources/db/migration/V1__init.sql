-- policy-service schema v1: customer managed policies, their versions, and attachments to users.
-- Shaped for what follows: up to 5 versions per policy (next_version_number), inline policies
-- and group attachments (their own tables referencing the same ids), permissions boundaries
-- (a table naming a policy per principal), without rewriting these tables.

CREATE TABLE managed_policy (
    policy_id           varchar(32)   PRIMARY KEY,            -- ANPA + 17 uppercase alphanumerics
    account_id          varchar(12)   NOT NULL,
    policy_name         varchar(128)  NOT NULL,
    path                varchar(512)  NOT NULL DEFAULT '/',
    arn                 varchar(2048) NOT NULL UNIQUE,         -- arn:aws:iam::<account>:policy<path><name>
    description         varchar(1000) NOT NULL DEFAULT '',
    default_version_id  varchar(16)   NOT NULL,
    next_version_number integer       NOT NULL DEFAULT 2,
    created_at          timestamptz   NOT NULL,
    updated_at          timestamptz   NOT NULL
);
-- Policy names are unique per account regardless of case (and of path).
CREATE UNIQUE INDEX managed_policy_account_name_uq ON managed_policy (account_id, lower(policy_name));

CREATE TABLE policy_version (
    policy_id   varchar(32) NOT NULL REFERENCES managed_policy (policy_id) ON DELETE CASCADE,
    version_id  varchar(16) NOT NULL,                          -- v1, v2, ...
    document    text        NOT NULL,                          -- exactly as written
    is_default  boolean     NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (policy_id, version_id)
);
-- At most one default version per policy.
CREATE UNIQUE INDEX policy_version_one_default_uq ON policy_version (policy_id) WHERE is_default;

CREATE TABLE user_policy_attachment (
    account_id    varchar(12) NOT NULL,
    user_name     varchar(64) NOT NULL,                        -- as given
    user_name_key varchar(64) NOT NULL,                        -- lower(user_name): IAM names ignore case
    policy_id     varchar(32) NOT NULL REFERENCES managed_policy (policy_id) ON DELETE RESTRICT,
    attached_at   timestamptz NOT NULL,
    PRIMARY KEY (account_id, user_name_key, policy_id)
);
CREATE INDEX user_policy_attachment_policy_idx ON user_policy_attachment (policy_id);
